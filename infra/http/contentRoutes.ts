// Game content over HTTP: admins publish a content version (the full content JSON, checked
// like bundled content) and activate one for every game server; anyone may list the
// versions, see which one new rooms take, and read any version as a client builds its UI
// from it (contentDocument.ts), with an ETag to revalidate cheaply. Publishing and activating go through the log
// (commands/content/), so every server and every later audit sees the same numbers.
import { z } from 'zod';
import { productCatalog } from '../../commands/purchases/catalog.ts';
import type { ContentService } from '../../commands/content/service.ts';
import { loadCodex } from '../../events/content/codex.ts';
import { ContentVersion } from '../../events/content/content.ts';
import { ContentError, contentRegistry, type ContentRegistry } from '../../events/content/registry.ts';
import { ritualContent } from '../../rooms/ritual/content.ts';
import { ClientContent, clientContent } from './contentDocument.ts';
import { defineRoute, HttpError } from './route.ts';

/** Content is tens of kilobytes today; a megabyte leaves room without inviting abuse. */
export const MAX_CONTENT_BYTES = 1024 * 1024;

const statusOf: Record<ContentError['code'], number> = {
  'content/invalid': 400,
  'content/unknown_version': 404,
  'content/version_exists': 409,
};

async function refusing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ContentError) throw new HttpError(statusOf[error.code], error.code, error.message.slice(0, 4000));
    throw error;
  }
}

/** The client document of `version` ('active': the one new rooms take); unknown: content/unknown_version (404). */
function document(registry: ContentRegistry, version: string) {
  const active = registry.activeVersion();
  const wanted = version === 'active' ? active : version;
  return clientContent({ content: registry.byVersion(wanted), active: wanted === active, codex: loadCodex(), rituals: ritualContent, products: productCatalog });
}

export function contentRoutes(content: ContentService, registry: ContentRegistry = contentRegistry) {
  return [
    defineRoute({
      name: 'getActiveContent',
      method: 'GET',
      path: '/content/active',
      summary: 'The content new rooms take now, as a client builds its UI from it: abilities with targeting and cooldowns, oracles, bosses, rituals, codex, shop',
      tags: ['content'],
      access: 'public',
      etag: true,
      response: ClientContent,
      handle: async () => document(registry, 'active'),
    }),
    defineRoute({
      name: 'getContent',
      method: 'GET',
      path: '/content/:version',
      summary: 'One content version (bundled or published), as a client builds its UI from it; rooms record theirs (raid and ritual state: contentVersion)',
      tags: ['content'],
      access: 'public',
      etag: true,
      params: z.strictObject({ version: ContentVersion }),
      response: ClientContent,
      refusals: { 404: 'No such content version (content/unknown_version)' },
      handle: ({ params }) => refusing(async () => document(registry, params.version)),
    }),
    defineRoute({
      name: 'listContentVersions',
      method: 'GET',
      path: '/content',
      summary: 'Content versions this server knows (bundled and published) and the one new rooms take',
      tags: ['content'],
      access: 'public',
      response: z.object({
        active: ContentVersion,
        versions: z.array(z.object({ version: ContentVersion, source: z.enum(['bundled', 'published']) })),
      }),
      handle: async () => content.list(),
    }),
    defineRoute({
      name: 'publishContent',
      method: 'POST',
      path: '/content',
      summary: 'Publish a new content version (immutable; the same numbers again answer the original publication)',
      tags: ['content'],
      access: 'admin',
      // Any JSON: the content checks (schema and cross-references) answer content/invalid
      // with what is wrong, rather than a generic body error.
      body: z.unknown().describe('The full content of one version, as in events/content/content.ts (contentVersion, elements, signs, oracle, abilities, battle, raidBosses)'),
      maxBodyBytes: MAX_CONTENT_BYTES,
      response: z.object({ version: ContentVersion, publishedBy: z.string(), publishedAt: z.string(), position: z.int() }),
      refusals: { 400: 'The content is invalid (content/invalid), with what is wrong', 409: 'This version exists with other numbers, or is bundled (content/version_exists)' },
      handle: ({ body, principal }) => refusing(() => content.publish(body, principal!.playerId)),
    }),
    defineRoute({
      name: 'activateContent',
      method: 'POST',
      path: '/content/:version/activate',
      summary: 'Make a bundled or published content version the one new rooms take, on every game server',
      tags: ['content'],
      access: 'admin',
      params: z.strictObject({ version: ContentVersion }),
      response: z.object({ version: ContentVersion, activatedBy: z.string(), activatedAt: z.string(), position: z.int() }),
      refusals: { 404: 'No such content version (content/unknown_version)' },
      handle: ({ params, principal }) => refusing(() => content.activate(params.version, principal!.playerId)),
    }),
  ];
}
