// Keeps a process's content registry in step with the log: every version published and
// activated through any game server (ContentPublished, ContentActivated) becomes known
// here, so rooms created here take the active version and audits here can replay a stream
// recorded under a version that exists only in the log.
//
// At start it reads `content-active` (every activation, and through it every version any
// room can have been created with) and those versions' streams; then it follows the global
// stream from the head it started at. A version published before this process started and
// never activated is not listed until it is activated (no room can have used it).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { EventCatalog } from '../../events/catalog.ts';
import type { RecordedEvent } from '../../events/envelope.ts';
import type { EventStore } from '../../events/store.ts';
import { EventDecodeError } from '../../events/errors.ts';
import { ContentError, contentRegistry, type ContentRegistry } from '../../events/content/registry.ts';
import { CONTENT_ACTIVE_STREAM, ContentActivated, contentEventDefinitions, ContentPublished, contentStreamId } from './events.ts';

type Store = Pick<EventStore, 'headPosition' | 'readStream' | 'subscribeAll'>;

export type ContentFollowerOptions = {
  /** Default: this process's registry (what rooms and audits read). */
  registry?: ContentRegistry;
  /** Events per read while following. */
  batchSize?: number;
};

export type ContentFollower = {
  /** The last global position this follower has applied. */
  readonly position: number;
  /** Resolves once everything up to `position` has been applied (or the follower stopped). */
  waitFor(position: number): Promise<void>;
  stop(): Promise<void>;
};

// Content events are read raw from the global stream and decoded here, so following costs
// no decoding of the battles' events it passes over.
const catalog = new EventCatalog(contentEventDefinitions);

type Published = { version: string; data: Record<string, unknown>; publishedBy: string };
type Activated = { version: string; activatedBy: string };

function decode<T>(event: RecordedEvent): T {
  return catalog.decode(event.type, event.schemaVersion, event.data, { streamId: event.streamId, version: event.version, eventId: event.id }) as T;
}

function isContentEvent(event: RecordedEvent): boolean {
  return event.type === ContentPublished.type || event.type === ContentActivated.type;
}

/**
 * Registers every activated version and applies the activations, in log order.
 * @returns the head position the load covers: follow from there.
 */
export async function loadPublishedContent(store: Store, logger: Logger | undefined, registry: ContentRegistry = contentRegistry): Promise<number> {
  // The head first: everything at or below it is visible to the reads that follow, and
  // anything after it is delivered (again, harmlessly) by the subscription.
  const head = await store.headPosition();
  const activations = await store.readStream(CONTENT_ACTIVE_STREAM, { raw: true });
  for (const event of activations) await apply(store, event, registry, logger);
  logger?.info({ active: registry.activeVersion(), versions: registry.versions().length, position: head }, 'content versions loaded from the log');
  return head;
}

/** Loads the published content, then follows the log until stopped. */
export async function followPublishedContent(store: Store, logger: Logger | undefined, options: ContentFollowerOptions = {}): Promise<ContentFollower> {
  const registry = options.registry ?? contentRegistry;
  const log = logger?.child({ component: 'content-follower' });
  let position = await loadPublishedContent(store, log, registry);
  const abort = new AbortController();
  let waiters: { position: number; resolve: () => void }[] = [];
  const advance = (to: number) => {
    position = to;
    const due = waiters.filter((w) => w.position <= position);
    waiters = waiters.filter((w) => w.position > position);
    for (const waiter of due) waiter.resolve();
  };

  const loop = (async () => {
    let attempt = 0;
    while (!abort.signal.aborted) {
      const subscription = store.subscribeAll({ after: position, raw: true, batchSize: options.batchSize ?? 1000, signal: abort.signal });
      try {
        for await (const page of subscription.pages()) {
          for (const event of page) if (isContentEvent(event)) await apply(store, event, registry, log);
          advance(page.at(-1)!.position);
          attempt = 0;
        }
      } catch (error) {
        subscription.close();
        if (abort.signal.aborted) break;
        log?.warn({ err: error, position, attempt }, 'content follower paused: the store is unavailable, retrying');
        await sleep(Math.min(30_000, 250 * 2 ** attempt++), undefined, { signal: abort.signal }).catch(() => undefined);
      }
    }
  })();

  return {
    get position() {
      return position;
    },
    waitFor(target) {
      if (position >= target || abort.signal.aborted) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ position: target, resolve }));
    },
    async stop() {
      abort.abort();
      await loop;
      for (const waiter of waiters) waiter.resolve();
      waiters = [];
    },
  };
}

/**
 * Applies one content event to the registry. A version this build cannot load (invalid
 * under its schema, or bundled here with other numbers) is logged, not thrown: the rest
 * of the log still applies, and a room or audit needing that version fails by itself.
 * Store errors are thrown: the caller reads the event again.
 */
async function apply(store: Pick<EventStore, 'readStream'>, event: RecordedEvent, registry: ContentRegistry, logger: Logger | undefined): Promise<void> {
  try {
    if (event.type === ContentPublished.type) {
      const { version, data } = decode<Published>(event);
      if (registry.register(version, data).added) logger?.info({ stream: event.streamId, version, position: event.position }, 'content version registered');
      return;
    }
    const { version } = decode<Activated>(event);
    if (!registry.has(version)) {
      const published = (await store.readStream(contentStreamId(version), { raw: true, limit: 1 }))[0];
      if (!published) {
        logger?.error({ stream: event.streamId, version, position: event.position }, 'content activated that was never published; keeping the active version');
        return;
      }
      registry.register(version, decode<Published>(published).data);
    }
    if (registry.activate(version, event.position)) logger?.info({ version, position: event.position }, 'content version active');
  } catch (error) {
    // Only what reading it again would not change; a store error goes up and is retried.
    if (!(error instanceof ContentError || error instanceof EventDecodeError)) throw error;
    logger?.error({ err: error, stream: event.streamId, eventVersion: event.version, position: event.position }, 'content event not applied');
  }
}
