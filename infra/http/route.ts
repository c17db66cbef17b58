// One description per HTTP route: its zod schemas validate what comes in, shape what
// goes out, and are the OpenAPI document (openapi.ts), so the three never disagree.
import { createEndpoint } from '@colyseus/core';
import { z } from 'zod';

/** A refusal the client can act on: a status, a stable code and a sentence. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

type Schema = z.ZodType;
type Input<P extends Schema, Q extends Schema, B extends Schema> = {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
  request: Request | undefined;
};

export type Route<P extends Schema = Schema, Q extends Schema = Schema, B extends Schema = Schema, R extends Schema = Schema> = {
  /** The OpenAPI operationId. */
  readonly name: string;
  readonly method: 'GET' | 'POST';
  /** Colyseus router syntax: `/players/:playerId/wallet`. */
  readonly path: string;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  readonly response: R;
  /** Refusals this route may answer with, for the document: status → description. */
  readonly refusals?: Readonly<Record<number, string>>;
  handle(input: Input<P, Q, B>): Promise<z.input<R>>;
};

export function defineRoute<P extends Schema, Q extends Schema, B extends Schema, R extends Schema>(route: Route<P, Q, B, R>): Route {
  return route as unknown as Route;
}

export function errorResponse(error: HttpError): Response {
  return Response.json({ error: { code: error.code, message: error.message } }, { status: error.status, headers: error.headers });
}

function parse<S extends Schema>(schema: S | undefined, value: unknown, code: string, what: string): z.output<S> {
  if (!schema) return undefined as z.output<S>;
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new HttpError(400, code, `invalid ${what}: ${z.prettifyError(parsed.error).replaceAll('\n', '; ')}`);
  return parsed.data;
}

/** The Colyseus router endpoint that validates, runs the handler and serializes its result. */
export function toEndpoint(route: Route, onBug: (error: unknown, route: Route) => void) {
  return createEndpoint(route.path, { method: route.method, requireRequest: true }, async (ctx) => {
    try {
      const params = parse(route.params, ctx.params, 'http/invalid_params', 'path');
      const query = parse(route.query, ctx.query, 'http/invalid_query', 'query');
      const body = parse(route.body, ctx.body, 'http/invalid_body', 'body');
      const result = await route.handle({ params, query, body, request: ctx.request });
      return Response.json(route.response.parse(result));
    } catch (error) {
      if (error instanceof HttpError) return errorResponse(error);
      onBug(error, route);
      return errorResponse(new HttpError(500, 'http/internal', 'the server failed to answer; it has been logged'));
    }
  });
}
