// Content publishing by admins, through the log. publish() validates content (the zod
// schema and its cross-reference checks, parseContent) and appends it as the one
// ContentPublished of `content-<version>`; activate() appends a ContentActivated to
// `content-active`. Both also apply the change to this process's registry at once, so the
// admin's next request here sees it; every other process picks it up from the log
// (follower.ts). The registry orders activations by global position, so applying one here
// and again from the follower is harmless.
import type { Logger } from 'pino';
import { canonicalJson } from '../../events/canonical.ts';
import type { RecordedEvent } from '../../events/envelope.ts';
import { ExpectedVersionConflict } from '../../events/errors.ts';
import type { EventStore } from '../../events/store.ts';
import type { Content } from '../../events/content/content.ts';
import { ContentError, contentRegistry, parseContent, type ContentRegistry, type ContentSource } from '../../events/content/registry.ts';
import { CONTENT_ACTIVE_STREAM, contentStreamId, ContentPublished } from './events.ts';

export type PublishedContent = { version: string; publishedBy: string; publishedAt: string; position: number };
export type ActivatedContent = { version: string; activatedBy: string; activatedAt: string; position: number };
export type ContentListing = { active: string; versions: { version: string; source: ContentSource }[] };

export type ContentServiceOptions = {
  store: EventStore;
  /** Default: this process's registry (what rooms read). */
  registry?: ContentRegistry;
  logger?: Logger;
};

type PublishedData = { version: string; data: Record<string, unknown>; publishedBy: string };

export class ContentService {
  readonly #store: EventStore;
  readonly #registry: ContentRegistry;
  readonly #logger: Logger | undefined;

  constructor(options: ContentServiceOptions) {
    this.#store = options.store;
    this.#registry = options.registry ?? contentRegistry;
    this.#logger = options.logger?.child({ component: 'content' });
  }

  /**
   * Publishes a new content version. The same numbers again under the same version answer
   * the original publication; other numbers are refused with `content/version_exists`.
   * @throws ContentError `content/invalid` (with the validation message), `content/version_exists`
   */
  async publish(data: unknown, by: string): Promise<PublishedContent> {
    const content = parseContent(data);
    const version = content.contentVersion;
    if (this.#registry.sourceOf(version) === 'bundled') {
      throw new ContentError('content/version_exists', version, `content version ${version} ships with the server and cannot be published again; publish a new version`);
    }
    const streamId = contentStreamId(version);
    const event: PublishedData = { version, data: content as unknown as Record<string, unknown>, publishedBy: by };
    let recorded: RecordedEvent;
    try {
      const result = await this.#store.append(streamId, 'no_stream', [{ type: ContentPublished.type, data: event, metadata: { actor: by } }]);
      recorded = result.events[0]!;
      this.#logger?.info({ stream: streamId, version, actor: by, position: recorded.position }, 'content published');
    } catch (error) {
      if (!(error instanceof ExpectedVersionConflict)) throw error;
      const original = (await this.#store.readStream(streamId, { limit: 1 }))[0];
      if (!original || !sameContent((original.data as PublishedData).data, content)) {
        throw new ContentError('content/version_exists', version, `content version ${version} was already published with other numbers; a version never changes, publish a new one`);
      }
      recorded = original;
    }
    const stored = recorded.data as PublishedData;
    this.#registry.register(version, stored.data);
    return { version, publishedBy: stored.publishedBy, publishedAt: recorded.metadata.recordedAt, position: recorded.position };
  }

  /**
   * Makes a bundled or published version the one new rooms take, on every game server.
   * @throws ContentError `content/unknown_version`
   */
  async activate(version: string, by: string): Promise<ActivatedContent> {
    // The log, not this process's registry, says whether a version was published: the
    // follower may not have read a publication from another server yet.
    if (!this.#registry.has(version)) {
      const published = (await this.#store.readStream(contentStreamId(version), { limit: 1 }))[0];
      if (!published || published.type !== ContentPublished.type) {
        throw new ContentError('content/unknown_version', version, `there is no content version ${version}; known: ${this.#registry.versions().map((v) => v.version).join(', ')}`);
      }
      this.#registry.register(version, (published.data as PublishedData).data);
    }
    // Validated before it becomes what every new room plays with.
    this.#registry.byVersion(version);
    const result = await this.#store.append(CONTENT_ACTIVE_STREAM, 'any', [{ type: 'ContentActivated', data: { version, activatedBy: by }, metadata: { actor: by } }]);
    const recorded = result.events[0]!;
    this.#registry.activate(version, recorded.position);
    this.#logger?.info({ stream: CONTENT_ACTIVE_STREAM, version, actor: by, position: recorded.position }, 'content activated');
    return { version, activatedBy: by, activatedAt: recorded.metadata.recordedAt, position: recorded.position };
  }

  /** The versions this process knows, and the active one. */
  list(): ContentListing {
    return { active: this.#registry.activeVersion(), versions: this.#registry.versions() };
  }
}

/** Whether stored content data holds the same numbers as `content` (key order aside). */
function sameContent(stored: unknown, content: Content): boolean {
  try {
    return canonicalJson(parseContent(stored)) === canonicalJson(content);
  } catch {
    return false;
  }
}
