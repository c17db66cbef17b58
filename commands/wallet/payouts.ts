// The payouts process manager: turns battle, raid and ritual outcomes into wallet commands.
//
//   BattleCreated with a wager  -> EscrowWager of the stake from every participant
//   BattleEnded                 -> SettleWager per participant with the settlement's payout
//                                  (RefundWager on a draw, or for everyone if any stake was
//                                  never escrowed), then participation and victory rewards
//   LootDropped (a raid won)    -> the raid victory reward for that player
//   RitualCompleted, success    -> the ritual rewards for every participant
//
// Every command's idempotency key is derived from the source event's id, so a redelivered or
// duplicated outcome event pays once: the projection runner delivers at least once, the
// wallet answers each key once, and together that is exactly once. Amounts come from the
// reward table (rewards.ts); what it reads of the rooms' events, from outcomes.ts.
import type { Logger } from 'pino';
import type { RecordedEvent } from '../../events/envelope.ts';
import type { EventStore } from '../../events/store.ts';
import type { z } from 'zod';
import { defineReactor, type Reactor } from '../../events/processor.ts';
import type { WalletCommand } from './commands.ts';
import { BattleLineUp, BattleResult, outcomeTypes, RaidLoot, read, RitualLineUp, RitualResult } from './outcomes.ts';
import { rewardTable as defaultRewards, type RewardGrants, type RewardTable } from './rewards.ts';
import type { WalletService } from './service.ts';

export type PayoutsOptions = {
  readonly wallets: WalletService;
  /** Reads the outcome's own stream (participants, forfeits). */
  readonly store: EventStore;
  readonly rewards?: RewardTable;
  readonly logger?: Logger;
};

export const PAYOUTS_REACTOR = 'wallet_payouts';
const REWARDS_ACCOUNT = 'system:rewards';

export function createPayoutsReactor(options: PayoutsOptions): Reactor {
  const payouts = new Payouts(options);
  return defineReactor({
    name: PAYOUTS_REACTOR,
    eventTypes: new Set([outcomeTypes.battleCreated, outcomeTypes.battleEnded, outcomeTypes.lootDropped, outcomeTypes.ritualCompleted]),
    async react(events) {
      // Each match in order (its escrows are decided before its settlement); matches side
      // by side, so one slow settlement does not hold up the payouts of every other room.
      const byStream = Map.groupBy(events, (event) => event.streamId);
      await Promise.all([...byStream.values()].map(async (stream) => {
        for (const event of stream) await payouts.handle(event);
      }));
    },
  });
}

class Payouts {
  readonly #wallets: WalletService;
  readonly #store: EventStore;
  readonly #rewards: RewardTable;
  readonly #logger: Logger | undefined;

  constructor(options: PayoutsOptions) {
    this.#wallets = options.wallets;
    this.#store = options.store;
    this.#rewards = options.rewards ?? defaultRewards;
    this.#logger = options.logger?.child({ component: PAYOUTS_REACTOR });
  }

  handle(event: RecordedEvent): Promise<void> {
    switch (event.type) {
      case outcomeTypes.battleCreated:
        return this.#battleCreated(event, read(BattleLineUp, event));
      case outcomeTypes.battleEnded:
        return this.#battleEnded(event, read(BattleResult, event));
      case outcomeTypes.lootDropped:
        return this.#reward(event, read(RaidLoot, event).playerId, 'raid.victory', this.#rewards.raid.victory);
      case outcomeTypes.ritualCompleted:
        return this.#ritualCompleted(event, read(RitualResult, event));
      default:
        return Promise.resolve();
    }
  }

  async #battleCreated(event: RecordedEvent, data: z.infer<typeof BattleLineUp>): Promise<void> {
    const { wager } = data;
    if (!wager) return;
    await Promise.all(data.participants.map(({ playerId }) =>
      this.#run(event, { type: 'EscrowWager', playerId, idempotencyKey: `${event.id}:escrow`, wagerId: event.streamId, ...wager })));
  }

  async #battleEnded(event: RecordedEvent, data: z.infer<typeof BattleResult>): Promise<void> {
    // As stored, not decoded: only the line-up and who forfeited are needed of a stream
    // that may hold thousands of events (the line-up is read through its view below).
    const battle = await this.#store.readStream(event.streamId, { raw: true });
    const first = battle[0];
    if (first?.type !== outcomeTypes.battleCreated) throw new Error(`${event.streamId} does not begin with ${outcomeTypes.battleCreated}`);
    const created = read(BattleLineUp, first);
    const forfeited = new Set(battle.flatMap((e) => (e.type === outcomeTypes.playerForfeited ? [(e.data as { playerId: string }).playerId] : [])));

    if (data.wager) await this.#closeWager(event, data, created.participants.map((p) => p.playerId));

    const stayed = created.participants.filter((p) => !forfeited.has(p.playerId));
    // Issued together, a player's rewards are decided in order and recorded in one append (the wallet's lane batches them).
    await Promise.all(stayed.flatMap((p) => [
      this.#reward(event, p.playerId, 'battle.participation', this.#rewards.battle.participation),
      ...(p.side === data.winnerSide ? [this.#reward(event, p.playerId, 'battle.victory', this.#rewards.battle.victory)] : []),
    ]));
  }

  /**
   * Pays the settlement out of the stakes. If any participant's stake was never escrowed
   * (their wallet refused it), the pot the settlement divides was never there: the wager is
   * void and every stake that was escrowed goes back. The check reads the wallets, and
   * gives the same answer on every redelivery: escrows are decided (and recorded) before.
   */
  async #closeWager(event: RecordedEvent, ended: z.infer<typeof BattleResult>, players: readonly string[]): Promise<void> {
    const wagerId = event.streamId;
    const payouts = ended.wager?.payouts ?? [];
    const statuses = await Promise.all(players.map((playerId) => this.#wallets.wagerStatus(playerId, wagerId)));
    const voided = statuses.some((status) => status === null);
    if (voided) {
      this.#logger?.warn({ wagerId, players, statuses, sourceEventId: event.id }, 'wager void: a stake was never escrowed; refunding the stakes that were');
    }
    // A draw's settlement gives every stake back: a refund says so in the ledger.
    const draw = ended.winnerSide === null;
    await Promise.all(players.map((playerId, i) => {
      if (statuses[i] === null) return Promise.resolve();
      const payout = payouts.find((p) => p.playerId === playerId)?.amount ?? 0;
      const command: WalletCommand = voided || draw
        ? { type: 'RefundWager', playerId, idempotencyKey: `${event.id}:refund`, wagerId }
        : { type: 'SettleWager', playerId, idempotencyKey: `${event.id}:settle`, wagerId, payout };
      return this.#run(event, command);
    }));
  }

  async #ritualCompleted(event: RecordedEvent, data: z.infer<typeof RitualResult>): Promise<void> {
    if (data.outcome !== 'success') return;
    const [first] = await this.#store.readStream(event.streamId, { limit: 1 });
    if (first?.type !== outcomeTypes.ritualCreated) throw new Error(`${event.streamId} does not begin with ${outcomeTypes.ritualCreated}`);
    const { participants } = read(RitualLineUp, first);
    await Promise.all(participants.flatMap((playerId) => [
      this.#reward(event, playerId, 'ritual.success', this.#rewards.ritual.success),
      ...(data.omen === 'favourable' ? [this.#reward(event, playerId, 'ritual.favourable_omen', this.#rewards.ritual.favourableOmen)] : []),
    ]));
  }

  /** One Credit per currency, keyed by the source event, the reason and the currency. */
  async #reward(event: RecordedEvent, playerId: string, reason: string, grants: RewardGrants): Promise<void> {
    await Promise.all(grants.map(({ currency, amount }) => this.#run(event, {
      type: 'Credit', playerId, idempotencyKey: `${event.id}:${reason}:${currency}`, currency, amount, counterAccount: REWARDS_ACCOUNT, reason,
    })));
  }

  async #run(source: RecordedEvent, command: WalletCommand): Promise<void> {
    const result = await this.#wallets.execute(command, { causationId: source.id, correlationId: source.streamId, actor: PAYOUTS_REACTOR });
    if (result.ok) return;
    // A refusal is the outcome (an unaffordable stake, a wager already closed): recorded, not retried.
    const context = { playerId: command.playerId, command: command.type, code: result.code, sourceEventId: source.id, streamId: source.streamId };
    const unexpected = result.code === 'wallet/idempotency_key_reused' || result.code === 'command/invalid';
    if (unexpected) this.#logger?.error(context, result.message);
    else this.#logger?.info(context, result.message);
  }
}
