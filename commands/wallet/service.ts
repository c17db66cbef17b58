// The wallet service: runs wallet commands against the event store.
//
// Per command: load the wallet (fold its stream), decide, append with the expected version.
// Within a process, commands to one wallet go through one lane, one batch at a time: the
// commands waiting in a lane are decided in order against the evolving state and appended
// as one commit, so a thousand concurrent debits on one wallet become a few appends instead
// of a storm of version conflicts. Across processes the expected version decides: on a
// conflict the lane reads what the other process appended and decides again.
//
// Idempotency holds across processes and restarts: an event's id is derived from the wallet
// and the command's idempotency key, and the wallet remembers every key it answered, so a
// retry gets back the event that answered it the first time (a refusal included).
import type { Logger } from 'pino';
import type { EventMetadata, NewEvent, RecordedEvent } from '../../events/envelope.ts';
import { ExpectedVersionConflict, IdempotencyConflict } from '../../events/errors.ts';
import type { EventStore } from '../../events/store.ts';
import type { Decider } from '../../rooms/shared/decider.ts';
import { nameBasedUuid } from '../shared/ids.ts';
import { WalletCommand } from './commands.ts';
import type { WalletEvent } from './events.ts';
import { PlayerId, walletStreamId } from './model.ts';
import { COMMAND_INVALID } from './refusals.ts';
import { walletDecider } from './rules.ts';
import { applyEvent, escrowedBalances, initialState, type WagerStatus, type WalletState } from './state.ts';

/** A wallet event as the store hands it back. */
export type RecordedWalletEvent = RecordedEvent & WalletEvent;

export type WalletAccepted = {
  readonly ok: true;
  /** True when this answers a retry: the events are the ones recorded the first time. */
  readonly duplicate: boolean;
  readonly events: readonly RecordedWalletEvent[];
  /** Available balance right after the command, per currency it moved. */
  readonly balance: Readonly<Record<string, number>>;
};

export type WalletRefused = {
  readonly ok: false;
  readonly duplicate: boolean;
  /** `wallet/insufficient_funds`, …, `wallet/idempotency_key_reused`, `command/invalid`. */
  readonly code: string;
  readonly message: string;
  /** The recorded WalletCommandRefused; empty for the two codes that are not recorded. */
  readonly events: readonly RecordedWalletEvent[];
};

export type WalletResult = WalletAccepted | WalletRefused;

/** Who asked and why, stamped on the command's event: `causationId` is the source event for a process manager. */
export type CommandMetadata = Pick<EventMetadata, 'causationId' | 'correlationId' | 'actor'>;

export type WalletView = {
  readonly playerId: string;
  /** Stream version of the last event; -1 for a wallet that never moved. */
  readonly version: number;
  readonly balances: Readonly<Record<string, number>>;
  readonly escrowed: Readonly<Record<string, number>>;
};

export type WalletServiceOptions = {
  readonly store: EventStore;
  readonly logger?: Logger;
  readonly decider?: Decider<WalletState, WalletCommand, WalletEvent>;
  /** Most commands of one wallet decided and appended together. */
  readonly maxBatch?: number;
  /** Attempts per batch against other processes' appends before giving up with the conflict. */
  readonly maxAttempts?: number;
  /** Wallet states kept in memory (least recently used go first). */
  readonly cacheSize?: number;
};

type CommandJob = {
  readonly kind: 'command';
  readonly command: WalletCommand;
  readonly metadata: CommandMetadata | undefined;
  readonly resolve: (result: WalletResult) => void;
  readonly reject: (error: unknown) => void;
};
type ReadJob = { readonly kind: 'read'; readonly run: (state: WalletState) => void; readonly reject: (error: unknown) => void };
type Job = CommandJob | ReadJob;
type Lane = { readonly jobs: Job[]; running: boolean };

/**
 * How a command in a batch is answered: by the `index`-th event this batch appends, by an
 * event recorded earlier (`version`), or by an unrecorded refusal.
 */
type Answer =
  | { readonly kind: 'appended'; readonly index: number }
  | { readonly kind: 'recorded'; readonly version: number }
  | { readonly kind: 'unrecorded'; readonly code: string; readonly message: string };

export class WalletService {
  readonly #store: EventStore;
  readonly #logger: Logger | undefined;
  readonly #decider: Decider<WalletState, WalletCommand, WalletEvent>;
  readonly #maxBatch: number;
  readonly #maxAttempts: number;
  readonly #cacheSize: number;
  readonly #lanes = new Map<string, Lane>();
  /** Folded wallets by stream id, in least-recently-used order. Only a wallet's running lane touches its entry. */
  readonly #states = new Map<string, WalletState>();

  constructor(options: WalletServiceOptions) {
    this.#store = options.store;
    this.#logger = options.logger?.child({ component: 'wallet' });
    this.#decider = options.decider ?? walletDecider;
    this.#maxBatch = options.maxBatch ?? 200;
    this.#maxAttempts = options.maxAttempts ?? 50;
    this.#cacheSize = options.cacheSize ?? 10_000;
  }

  /**
   * Runs one command (validated here with its zod schema). Domain refusals are results, not
   * errors; a store failure rejects (the command may be retried with the same key).
   */
  execute(input: unknown, metadata?: CommandMetadata): Promise<WalletResult> {
    const parsed = WalletCommand.safeParse(input);
    if (!parsed.success) {
      const message = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'command'}: ${issue.message}`).join('; ');
      return Promise.resolve({ ok: false, duplicate: false, code: COMMAND_INVALID, message, events: [] });
    }
    const command = parsed.data;
    return new Promise((resolve, reject) => this.#enqueue(walletStreamId(command.playerId), { kind: 'command', command, metadata, resolve, reject }));
  }

  /** The wallet as of now: available and escrowed balances. Rejects with a ZodError for an id no wallet can have. */
  async wallet(playerId: string): Promise<WalletView> {
    const id = PlayerId.parse(playerId);
    return this.#read(id, (state) => ({
      playerId: id,
      version: state.version,
      balances: Object.fromEntries(state.balances),
      escrowed: Object.fromEntries(escrowedBalances(state)),
    }));
  }

  /** Where this wallet's stake in a wager stands; null if it never staked (or its stake was refused). */
  async wagerStatus(playerId: string, wagerId: string): Promise<WagerStatus | null> {
    return this.#read(PlayerId.parse(playerId), (state) => state.wagers.get(wagerId)?.status ?? null);
  }

  #read<T>(playerId: string, view: (state: WalletState) => T): Promise<T> {
    return new Promise((resolve, reject) => this.#enqueue(walletStreamId(playerId), { kind: 'read', run: (state) => resolve(view(state)), reject }));
  }

  #enqueue(streamId: string, job: Job): void {
    let lane = this.#lanes.get(streamId);
    if (!lane) {
      lane = { jobs: [], running: false };
      this.#lanes.set(streamId, lane);
    }
    lane.jobs.push(job);
    if (!lane.running) {
      lane.running = true;
      void this.#drain(streamId, lane);
    }
  }

  async #drain(streamId: string, lane: Lane): Promise<void> {
    while (lane.jobs.length > 0) {
      const first = lane.jobs[0]!;
      if (first.kind === 'read') {
        lane.jobs.shift();
        try {
          first.run(await this.#load(streamId));
        } catch (error) {
          first.reject(error);
        }
        continue;
      }
      const batch: CommandJob[] = [];
      while (batch.length < this.#maxBatch && lane.jobs[0]?.kind === 'command') batch.push(lane.jobs.shift() as CommandJob);
      try {
        const results = await this.#runBatch(streamId, batch);
        batch.forEach((job, i) => job.resolve(results[i]!));
      } catch (error) {
        this.#logger?.error({ err: error, streamId, commands: batch.length }, 'wallet commands failed');
        for (const job of batch) job.reject(error);
      }
    }
    lane.running = false;
    this.#lanes.delete(streamId);
  }

  /** The wallet's state, caught up with its stream. */
  async #load(streamId: string): Promise<WalletState> {
    const state = this.#states.get(streamId) ?? initialState();
    this.#states.delete(streamId);
    const fresh = await this.#store.readStream(streamId, { fromVersion: state.version + 1 });
    for (const event of fresh) applyEvent(state, event as RecordedWalletEvent);
    this.#states.set(streamId, state);
    if (this.#states.size > this.#cacheSize) this.#states.delete(this.#states.keys().next().value!);
    return state;
  }

  async #runBatch(streamId: string, batch: readonly CommandJob[]): Promise<WalletResult[]> {
    for (let attempt = 1; ; attempt++) {
      const state = await this.#load(streamId);
      const expected = state.version;
      const answers: Answer[] = [];
      const events: NewEvent[] = [];
      // Decisions fold into the cached state as they are made; if anything fails the entry
      // is dropped, so the next load starts from what the store holds.
      try {
        this.#decideInto(streamId, state, batch, answers, events);
      } catch (error) {
        this.#states.delete(streamId);
        throw error;
      }
      if (events.length === 0) return this.#answer(streamId, answers, [], false);
      let recorded: readonly RecordedEvent[];
      try {
        recorded = (await this.#store.append(streamId, expected === -1 ? 'no_stream' : expected, events)).events;
      } catch (error) {
        this.#states.delete(streamId);
        const raced = error instanceof ExpectedVersionConflict || error instanceof IdempotencyConflict;
        if (!raced || attempt >= this.#maxAttempts) throw error;
        this.#logger?.debug({ streamId, attempt, err: error }, 'wallet moved in another process; deciding again');
        continue;
      }
      // The store answers a re-append of events it already holds (same ids, same content)
      // with the originals. If they sit elsewhere than where this batch meant to put them,
      // another process recorded this very batch first: the cached fold numbered them
      // wrongly and missed what came between, so it is dropped.
      const reappended = recorded[0]!.version !== expected + 1;
      if (reappended) this.#states.delete(streamId);
      return this.#answer(streamId, answers, recorded, reappended);
    }
  }

  /** Decides each command against the evolving state; new events get ids derived from the wallet and the key. */
  #decideInto(streamId: string, state: WalletState, batch: readonly CommandJob[], answers: Answer[], events: NewEvent[]): void {
    for (const job of batch) {
      const decision = this.#decider.decide(state, job.command, { tick: 0 });
      if (!decision.ok) {
        this.#logger?.warn({ streamId, idempotencyKey: job.command.idempotencyKey, code: decision.refusal.code }, decision.refusal.message);
        answers.push({ kind: 'unrecorded', ...decision.refusal });
        continue;
      }
      if (decision.events.length === 0) {
        answers.push({ kind: 'recorded', version: state.processed.get(job.command.idempotencyKey)!.version });
        continue;
      }
      answers.push({ kind: 'appended', index: events.length });
      decision.events.forEach((event, i) => {
        applyEvent(state, event);
        events.push({
          id: nameBasedUuid('pantheon.wallet', streamId, job.command.idempotencyKey, String(i)),
          type: event.type,
          data: event.data,
          ...(job.metadata ? { metadata: job.metadata } : {}),
        });
      });
    }
  }

  /** Turns answers into results; a retry of a command from an earlier append reads its event back. */
  async #answer(streamId: string, answers: readonly Answer[], recorded: readonly RecordedEvent[], reappended: boolean): Promise<WalletResult[]> {
    const earlier = new Map<number, RecordedWalletEvent>();
    for (const answer of answers) {
      if (answer.kind !== 'recorded' || earlier.has(answer.version)) continue;
      const [event] = await this.#store.readStream(streamId, { fromVersion: answer.version, limit: 1 });
      if (!event || event.version !== answer.version) throw new Error(`${streamId} has no event at version ${answer.version}, which its state says answered a command`);
      earlier.set(answer.version, event as RecordedWalletEvent);
    }
    return answers.map((answer) => {
      switch (answer.kind) {
        case 'unrecorded':
          return { ok: false, duplicate: false, code: answer.code, message: answer.message, events: [] };
        case 'recorded':
          return resultOf(earlier.get(answer.version)!, true);
        case 'appended':
          return resultOf(recorded[answer.index] as RecordedWalletEvent, reappended);
      }
    });
  }
}

function resultOf(event: RecordedWalletEvent, duplicate: boolean): WalletResult {
  switch (event.type) {
    case 'WalletCommandRefused':
      return { ok: false, duplicate, code: event.data.code, message: event.data.message, events: [event] };
    case 'PurchaseGranted':
      return { ok: true, duplicate, events: [event], balance: Object.fromEntries(event.data.grants.map((g) => [g.currency, g.balanceAfter])) };
    default:
      return { ok: true, duplicate, events: [event], balance: { [event.data.currency]: event.data.balanceAfter } };
  }
}
