// The one command-handling loop for aggregates that are not rooms (wallets, accounts,
// receipts, content): load the stream's state, decide, append at the version decided on,
// and on a concurrent writer's append decide again against what it wrote.
//
//   const result = await handleCommand(store, 'wallet-p1', walletDecider, command, { cache });
//
// Loading starts from a cached state where there is one and reads only what came after it,
// so an aggregate that lives long is not folded from its first event per command. A conflict
// (another process appended first, or recorded the same event ids) drops the cached state and
// goes round again under one retry policy: exponential backoff with decorrelated jitter,
// bounded, from cockatiel. A refusal is a value, never an exception; store failures other
// than conflicts reject.
//
// Rooms do not come through here: a room is its stream's single writer and appends a whole
// tick at once (rooms/shared/actor.ts).
import { ExponentialBackoff, handleType, retry, type IPolicy } from 'cockatiel';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { fold, type Decider, type Refusal } from './decider.ts';
import type { EventMetadata, NewEvent, RecordedEvent } from './envelope.ts';
import { ExpectedVersionConflict, IdempotencyConflict } from './errors.ts';
import type { EventStore } from './store.ts';

/** What a decider's events must carry to be appended. */
export type DomainEvent = { readonly type: string; readonly data: unknown };

/** A stream's folded state and the version of the last event folded into it (-1: none). */
export type Loaded<S> = { readonly state: S; readonly version: number };

/** Folded states by stream id, least recently used evicted first. */
export type StateCache<S> = LRUCache<string, Loaded<S>>;

export function stateCache<S>(max = 10_000): StateCache<S> {
  return new LRUCache<string, Loaded<S>>({ max });
}

/** The retry policy every command handler shares: conflicts only, a handful of times, jittered. */
export const conflictRetry: IPolicy = retry(handleType(ExpectedVersionConflict).orType(IdempotencyConflict), {
  maxAttempts: 20,
  backoff: new ExponentialBackoff({ initialDelay: 2, maxDelay: 250 }),
});

export type HandleCommandOptions<S, E extends DomainEvent> = {
  /** Where the stream's state is kept between commands; without one every command folds the stream. */
  readonly cache?: StateCache<S>;
  /** Default: conflictRetry. */
  readonly retry?: IPolicy;
  /**
   * An event's id: derive it from what identifies the command (its stream and idempotency key)
   * so a retry from any process appends the same id and the store answers with the original.
   * Default: a fresh UUIDv7 per event.
   */
  readonly eventId?: (event: E, index: number) => string;
  /** Who asked and why, on every event; per event when a function. */
  readonly metadata?: EventMetadata | ((event: E, index: number) => EventMetadata | undefined);
  /**
   * Folds events into a state without changing the state given. Default: the decider's
   * `evolve`, one event at a time; an aggregate whose evolve copies a large state can fold a
   * whole batch into one copy instead.
   */
  readonly fold?: (state: S, events: readonly E[]) => S;
  /** Told (at debug) of every conflict that sends the command round again. */
  readonly logger?: Pick<Logger, 'debug'>;
};

export type Handled<S, E extends DomainEvent> =
  | {
      readonly ok: true;
      /** The state after the command (after the originals, for a duplicate). */
      readonly state: S;
      readonly version: number;
      /** What this command appended, as recorded; empty when it decided nothing new. */
      readonly events: readonly (RecordedEvent & E)[];
      /** True when the store already held these very events (same ids): a retry of a command it recorded. */
      readonly duplicate: boolean;
    }
  | { readonly ok: false; readonly refusal: Refusal; readonly state: S; readonly version: number };

/**
 * Decides `command` against the stream's current state and appends what it decided, with
 * the expected version. Conflicts are retried under the retry policy (the last one rejects).
 */
export async function handleCommand<S, C, E extends DomainEvent>(
  store: EventStore,
  streamId: string,
  decider: Decider<S, C, E>,
  command: C,
  options: HandleCommandOptions<S, E> = {},
): Promise<Handled<S, E>> {
  const { cache } = options;
  const foldEvents = options.fold ?? ((state: S, events: readonly E[]) => fold(decider, state, events));
  let attempts = 0;
  const attempt = async (): Promise<Handled<S, E>> => {
    attempts += 1;
    const { state, version } = await load(store, streamId, decider, foldEvents, cache);
    const decision = decider.decide(state, command);
    if (!decision.ok) return { ok: false, refusal: decision.refusal, state, version };
    if (decision.events.length === 0) return { ok: true, state, version, events: [], duplicate: false };
    const toAppend = decision.events.map((event, index): NewEvent => {
      const metadata = typeof options.metadata === 'function' ? options.metadata(event, index) : options.metadata;
      return {
        ...(options.eventId ? { id: options.eventId(event, index) } : {}),
        type: event.type,
        data: event.data,
        ...(metadata ? { metadata } : {}),
      };
    });
    let recorded: readonly RecordedEvent[];
    try {
      recorded = (await store.append(streamId, version === -1 ? 'no_stream' : version, toAppend)).events;
    } catch (error) {
      cache?.delete(streamId);
      if (error instanceof ExpectedVersionConflict || error instanceof IdempotencyConflict) {
        options.logger?.debug({ streamId, attempt: attempts, err: error }, 'stream moved in another process; deciding again');
      }
      throw error;
    }
    const events = recorded as readonly (RecordedEvent & E)[];
    // The store answers a re-append of events it holds (same ids, same content) with the
    // originals. Found elsewhere than where this decision meant them to go, they were
    // recorded by an earlier attempt of this very command: the state is read back.
    if (recorded[0]!.version !== version + 1) {
      cache?.delete(streamId);
      const now = await load(store, streamId, decider, foldEvents, cache);
      return { ok: true, state: now.state, version: now.version, events, duplicate: true };
    }
    const next: Loaded<S> = { state: foldEvents(state, decision.events), version: recorded.at(-1)!.version };
    cache?.set(streamId, next);
    return { ok: true, ...next, events, duplicate: false };
  };
  return (options.retry ?? conflictRetry).execute(attempt);
}

/** The stream's state now: the cached fold, caught up with whatever was appended since. */
export async function load<S, E extends DomainEvent>(
  store: EventStore,
  streamId: string,
  decider: Pick<Decider<S, never, E, never>, 'initialState' | 'evolve'>,
  foldEvents: (state: S, events: readonly E[]) => S = (state, events) => fold(decider, state, events),
  cache?: StateCache<S>,
): Promise<Loaded<S>> {
  const cached = cache?.get(streamId) ?? { state: decider.initialState(), version: -1 };
  const fresh = await store.readStream(streamId, { fromVersion: cached.version + 1 });
  if (fresh.length === 0) return cached;
  const loaded: Loaded<S> = { state: foldEvents(cached.state, fresh as unknown as readonly E[]), version: fresh.at(-1)!.version };
  cache?.set(streamId, loaded);
  return loaded;
}
