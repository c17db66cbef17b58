// Content published through the log. `content-<version>` holds one ContentPublished: the
// full content of that version, appended with expected version no_stream, so a version is
// written once and never changes. `content-active` holds every ContentActivated: the
// latest one names the version new rooms take. Every game server and every audit reads
// these (follower.ts), so all of them play and replay a version with the same numbers.
import { z } from 'zod';
import { defineEvent, type EventOf } from '../../events/catalog.ts';
import { ContentVersion } from '../../events/content/content.ts';

export const CONTENT_ACTIVE_STREAM = 'content-active';

export function contentStreamId(version: string): string {
  return `content-${version}`;
}

/** Who did it: the admin's player id as their token names it. */
const Actor = z.string().min(1).max(200);

/**
 * `data` is the content as validated at publication (defaults filled in). It is kept as
 * plain JSON here rather than as the Content schema: the registry validates it when it
 * registers the version, and a later build's schema must not make old log entries unreadable.
 */
export const ContentPublished = defineEvent(
  'ContentPublished',
  z
    .strictObject({ version: ContentVersion, data: z.record(z.string(), z.unknown()), publishedBy: Actor })
    .refine((event) => event.data.contentVersion === event.version, { message: 'data.contentVersion must equal version', path: ['data', 'contentVersion'] }),
);

export const ContentActivated = defineEvent('ContentActivated', z.strictObject({ version: ContentVersion, activatedBy: Actor }));

/** For the catalog (infra/catalog.ts). */
export const contentEventDefinitions = [ContentPublished, ContentActivated] as const;
export type ContentEvent = EventOf<(typeof contentEventDefinitions)[number]>;
export type ContentPublished = EventOf<typeof ContentPublished>;
export type ContentActivated = EventOf<typeof ContentActivated>;
