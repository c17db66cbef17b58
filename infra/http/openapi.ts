// The OpenAPI 3.1 document of the HTTP API, generated from the routes' zod schemas,
// including who may call each route (the bearerAuth scheme and the refusals it brings).
import { z } from 'zod';
import { describeAccess, ErrorBody, MAX_BODY_BYTES, type Route } from './route.ts';

type JsonSchema = Record<string, unknown>;

/** Named schemas (`.meta({ id })`) the routes use, hoisted into components.schemas. */
let shared: Record<string, JsonSchema> = {};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, $defs, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  // A `#/$defs/…` reference inside the document would point at its root: name them as components.
  const relink = <T>(value: T): T => JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/')) as T;
  for (const [name, definition] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) shared[name] = relink(definition);
  return relink(rest);
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query' | 'header'): JsonSchema[] {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (object.required ?? []).includes(name),
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
    schema: property,
  }));
}

export function openApiDocument(routes: readonly Route[], info: { title: string; version: string; description?: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  shared = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const responses: Record<string, JsonSchema> = {
      200: { description: 'OK', content: { 'application/json': { schema: jsonSchema(route.response, 'output') } } },
      400: { description: 'Invalid input (code http/invalid_*)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    };
    const access = route.access ?? 'admin';
    const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
    if (access !== 'public') {
      responses[401] = error('No valid session token (auth/missing_token, auth/invalid_token, auth/expired_token)');
      if (access !== 'authenticated') responses[403] = error(`The token's player may not call this (auth/forbidden): it needs ${describeAccess(access)}`);
    }
    if (route.body) {
      responses[413] = error(`Body over ${route.maxBodyBytes ?? MAX_BODY_BYTES} bytes (http/body_too_large)`);
      responses[415] = error('Body is not application/json (http/unsupported_media_type)');
    }
    for (const [status, description] of Object.entries(route.refusals ?? {})) responses[status] = error(description);
    if (route.etag) {
      const ok = responses[200]!;
      ok.headers = { ETag: { description: 'A strong entity tag of this body; send it back as If-None-Match', schema: { type: 'string' } } };
      responses[304] = { description: 'Not modified: the If-None-Match named the current ETag (no body)' };
    }
    (paths[path] ??= {})[route.method.toLowerCase()] = {
      operationId: route.name,
      summary: route.summary,
      tags: [...route.tags],
      security: access === 'public' ? [] : [{ bearerAuth: [] }],
      'x-pantheon-access': typeof access === 'string' ? access : { roles: [...access.roles] },
      parameters: [
        ...parameters(route.params, 'path'), ...parameters(route.query, 'query'), ...parameters(route.headers, 'header'),
        ...(route.etag ? [{ name: 'If-None-Match', in: 'header', required: false, description: 'The ETag of a copy you hold: 304 if it is current', schema: { type: 'string' } }] : []),
      ],
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: { ...shared, Error: jsonSchema(ErrorBody, 'output') },
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The accessToken a sign-in (POST /auth/…) or a refresh returns; it lives 15 minutes.' },
      },
    },
  };
}
