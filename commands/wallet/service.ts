// The wallet service: runs wallet commands against the event store.
//
// Within a process, commands to one wallet go through one lane, one batch at a time: the
// commands waiting in a lane are decided in order against the evolving state and appended
// as one commit (walletBatchDecider), so a thousand concurrent debits on one wallet become a
// few appends instead of a storm of version conflicts. Loading, deciding, appending with the
// expected version and deciding again after another process's append is handleCommand's
// (events/commandHandler.ts).
//
// Idempotency holds across processes and restarts: an event's id is derived from the wallet
// and the command's idempotency key, and the wallet remembers every key it answered, so a
// retry gets back the event that answered it the first time (a refusal included).
import type { Logger } from 'pino';
import { handleCommand, load, stateCache, type StateCache } from '../../events/commandHandler.ts';
import type { Decider } from '../../events/decider.ts';
import type { EventMetadata, RecordedEvent } from '../../events/envelope.ts';
import { nameBasedUuid } from '../../events/ids.ts';
import type { EventStore } from '../../events/store.ts';
import { WalletCommand } from './commands.ts';
import type { WalletEvent } from './events.ts';
import { PlayerId, walletStreamId } from './model.ts';
import { COMMAND_INVALID } from './refusals.ts';
import { foldWallet, recall, walletBatchDecider, walletDecider } from './rules.ts';
import { escrowedBalances, type WagerStatus, type WalletState } from './state.ts';

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

export class WalletService {
  readonly #store: EventStore;
  readonly #logger: Logger | undefined;
  readonly #decider: Decider<WalletState, WalletCommand, WalletEvent>;
  readonly #batchDecider: Decider<WalletState, readonly WalletCommand[], WalletEvent>;
  readonly #maxBatch: number;
  readonly #lanes = new Map<string, Lane>();
  /** Folded wallets by stream id. */
  readonly #states: StateCache<WalletState>;

  constructor(options: WalletServiceOptions) {
    this.#store = options.store;
    this.#logger = options.logger?.child({ component: 'wallet' });
    this.#decider = options.decider ?? walletDecider;
    this.#batchDecider = walletBatchDecider(this.#decider);
    this.#maxBatch = options.maxBatch ?? 200;
    this.#states = stateCache(options.cacheSize ?? 10_000);
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
    return (await load(this.#store, streamId, this.#decider, foldWallet, this.#states)).state;
  }

  async #runBatch(streamId: string, batch: readonly CommandJob[]): Promise<WalletResult[]> {
    const commands = batch.map((job) => job.command);
    const metadataByKey = new Map(batch.map((job) => [job.command.idempotencyKey, job.metadata]));
    const handled = await handleCommand(this.#store, streamId, this.#batchDecider, commands, {
      cache: this.#states,
      fold: foldWallet,
      ...(this.#logger ? { logger: this.#logger } : {}),
      // Every wallet command yields exactly one event (rules.ts), so its key names it.
      eventId: (event) => nameBasedUuid('pantheon.wallet', streamId, event.data.idempotencyKey, '0'),
      metadata: (event): EventMetadata | undefined => metadataByKey.get(event.data.idempotencyKey),
    });
    if (!handled.ok) throw new Error(`a batch of wallet commands was refused as a whole: ${handled.refusal.message}`);
    // Each command is answered from the wallet after the batch: by the event its key names,
    // appended now or (a retry) earlier, or, for a key reused with other content, by the
    // unrecorded refusal.
    const appended = new Map<number, RecordedWalletEvent>(handled.events.map((event) => [event.version, event]));
    const answered = new Set<string>();
    const results: WalletResult[] = [];
    for (const command of commands) {
      const prior = recall(handled.state, command);
      if (prior.kind === 'new') throw new Error(`${streamId}: command ${command.idempotencyKey} was decided but nothing answers it`);
      if (prior.kind === 'reused') {
        const decision = this.#decider.decide(handled.state, command);
        if (decision.ok) throw new Error(`${streamId}: key ${command.idempotencyKey} reads as reused, yet the wallet accepts it`);
        const { refusal } = decision;
        this.#logger?.warn({ streamId, idempotencyKey: command.idempotencyKey, code: refusal.code }, refusal.message);
        results.push({ ok: false, duplicate: false, code: refusal.code, message: refusal.message, events: [] });
        continue;
      }
      const now = appended.get(prior.version);
      const first = now !== undefined && !answered.has(command.idempotencyKey);
      answered.add(command.idempotencyKey);
      results.push(resultOf(first ? now : await this.#recorded(streamId, prior.version), first ? handled.duplicate : true));
    }
    return results;
  }

  /** The event at `version`, which the wallet's state says answered a command. */
  async #recorded(streamId: string, version: number): Promise<RecordedWalletEvent> {
    const [event] = await this.#store.readStream(streamId, { fromVersion: version, limit: 1 });
    if (!event || event.version !== version) throw new Error(`${streamId} has no event at version ${version}, which its state says answered a command`);
    return event as RecordedWalletEvent;
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
