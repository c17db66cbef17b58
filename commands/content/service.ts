// Content publishing by admins, through the log. publish() validates content (the zod
// schema and its cross-reference checks, parseContent) and appends it as the one
// ContentPublished of `content-<version>`; activate() appends a ContentActivated to
// `content-active`. Both also apply the change to this process's registry at once, so the
// admin's next request here sees it; every other process picks it up from the log
// (follower.ts). The registry orders activations by global position, so applying one here
// and again from the follower is harmless.
import type { Logger } from 'pino';
import { handleCommand, load } from '../../events/commandHandler.ts';
import type { EventStore } from '../../events/store.ts';
import { ContentError, contentRegistry, parseContent, type ContentRegistry, type ContentSource } from '../../events/content/registry.ts';
import { CONTENT_ACTIVE_STREAM, contentStreamId } from './events.ts';
import { activationDecider, publicationDecider, type Publication } from './rules.ts';

export type PublishedContent = { version: string; publishedBy: string; publishedAt: string; position: number };
export type ActivatedContent = { version: string; activatedBy: string; activatedAt: string; position: number };
export type ContentListing = { active: string; versions: { version: string; source: ContentSource }[] };

export type ContentServiceOptions = {
  store: EventStore;
  /** Default: this process's registry (what rooms read). */
  registry?: ContentRegistry;
  logger?: Logger;
};

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
    const publication: Publication = { version, data: content as unknown as Record<string, unknown>, publishedBy: by };
    const handled = await handleCommand(this.#store, streamId, publicationDecider, publication, { metadata: { actor: by } });
    if (!handled.ok) throw new ContentError('content/version_exists', version, handled.refusal.message);
    // The publication that holds: this one, or the same numbers published before.
    const [recorded] = handled.events.length > 0 ? handled.events : await this.#store.readStream(streamId, { limit: 1 });
    const stored = handled.state!;
    if (handled.events.length > 0) this.#logger?.info({ stream: streamId, version, actor: by, position: recorded!.position }, 'content published');
    this.#registry.register(version, stored.data);
    return { version, publishedBy: stored.publishedBy, publishedAt: recorded!.metadata.recordedAt, position: recorded!.position };
  }

  /**
   * Makes a bundled or published version the one new rooms take, on every game server.
   * @throws ContentError `content/unknown_version`
   */
  async activate(version: string, by: string): Promise<ActivatedContent> {
    // The log, not this process's registry, says whether a version was published: the
    // follower may not have read a publication from another server yet.
    if (!this.#registry.has(version)) {
      const published = (await load(this.#store, contentStreamId(version), publicationDecider)).state;
      if (!published) {
        throw new ContentError('content/unknown_version', version, `there is no content version ${version}; known: ${this.#registry.versions().map((v) => v.version).join(', ')}`);
      }
      this.#registry.register(version, published.data);
    }
    // Validated before it becomes what every new room plays with.
    this.#registry.byVersion(version);
    const handled = await handleCommand(this.#store, CONTENT_ACTIVE_STREAM, activationDecider, { version, activatedBy: by }, { metadata: { actor: by } });
    const recorded = handled.ok ? handled.events[0] : undefined;
    if (!recorded) throw new Error(`activating content ${version} recorded nothing`);
    this.#registry.activate(version, recorded.position);
    this.#logger?.info({ stream: CONTENT_ACTIVE_STREAM, version, actor: by, position: recorded.position }, 'content activated');
    return { version, activatedBy: by, activatedAt: recorded.metadata.recordedAt, position: recorded.position };
  }

  /** The versions this process knows, and the active one. */
  list(): ContentListing {
    return { active: this.#registry.activeVersion(), versions: this.#registry.versions() };
  }
}
