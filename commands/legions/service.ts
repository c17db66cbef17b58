// The legion service: runs a legion's commands through handleCommand against its stream,
// and its treasury through the wallet: anyone in the legion contributes from their own
// wallet; only officers and the leader spend. A spend is checked against the legion's roles
// as they stand, then is one wallet command with the caller's idempotency key (a retry
// spends once).
import { handleCommand, load, stateCache, type StateCache } from '../../events/commandHandler.ts';
import { nameBasedUuid, uuidv7 } from '../../events/ids.ts';
import type { EventStore } from '../../events/store.ts';
import type { FriendsService } from '../friends/service.ts';
import type { WalletResult, WalletService, WalletView } from '../wallet/index.ts';
import type { LegionEvent } from './events.ts';
import { legionCodes, legionStreamId, runsLegion, treasuryOf, type LegionRole } from './model.ts';
import { legionDecider, type LegionCommand, type LegionState } from './rules.ts';

export type LegionResult = { readonly ok: true; readonly legion: LegionState } | { readonly ok: false; readonly code: string; readonly message: string };
export type TreasuryMove = { readonly currency: string; readonly amount: number; readonly idempotencyKey: string; readonly reason?: string };

type MemberCommand = Exclude<LegionCommand, { type: 'Found' } | { type: 'Invite' }>;

export class LegionService {
  readonly #store: EventStore;
  readonly #wallets: WalletService;
  readonly #friends: Pick<FriendsService, 'blocked'>;
  readonly #newId: () => string;
  readonly #cache: StateCache<LegionState> = stateCache(2_000);

  constructor(options: { store: EventStore; wallets: WalletService; friends: Pick<FriendsService, 'blocked'>; newId?: () => string }) {
    this.#store = options.store;
    this.#wallets = options.wallets;
    this.#friends = options.friends;
    this.#newId = options.newId ?? (() => uuidv7());
  }

  async found(leader: string, name: string, tag: string): Promise<LegionResult> {
    return this.#run({ type: 'Found', legionId: this.#newId(), name, tag, leader });
  }

  /** An officer (or the leader) invites a player; a player who blocks the inviter is not asked. */
  async invite(legionId: string, by: string, playerId: string): Promise<LegionResult> {
    const blocked = await this.#friends.blocked(by, playerId);
    return this.#run({ type: 'Invite', legionId, by, playerId, blocked });
  }

  act(command: MemberCommand): Promise<LegionResult> {
    return this.#run(command);
  }

  async legion(legionId: string): Promise<LegionState | null> {
    const { state } = await load(this.#store, legionStreamId(legionId), legionDecider, undefined, this.#cache);
    return state.legionId === null ? null : state;
  }

  async roleOf(legionId: string, playerId: string): Promise<LegionRole | undefined> {
    return (await this.legion(legionId))?.members[playerId];
  }

  async treasury(legionId: string): Promise<WalletView> {
    return this.#wallets.wallet(treasuryOf(legionId));
  }

  /** Spends from the treasury: officers and the leader only (`legion/not_officer`). */
  async spend(legionId: string, by: string, move: TreasuryMove): Promise<WalletResult> {
    const legion = await this.legion(legionId);
    if (!legion) return refused(legionCodes.notFound, `no legion ${legionId}`);
    if (!runsLegion(legion.members[by])) return refused(legion.members[by] ? legionCodes.notOfficer : legionCodes.notMember, 'only the leader and officers spend from the treasury');
    return this.#wallets.execute(
      { type: 'Debit', playerId: treasuryOf(legionId), idempotencyKey: move.idempotencyKey, currency: move.currency, amount: move.amount, counterAccount: `legion_spend:${legionId}`, reason: move.reason ?? 'legion.spend' },
      { actor: by },
    );
  }

  /** A member moves money from their wallet into the treasury: a debit there, then the credit here, under keys derived from theirs. */
  async contribute(legionId: string, playerId: string, move: TreasuryMove): Promise<WalletResult> {
    const legion = await this.legion(legionId);
    if (!legion) return refused(legionCodes.notFound, `no legion ${legionId}`);
    if (!legion.members[playerId]) return refused(legionCodes.notMember, 'only members contribute');
    const key = (side: string) => `legion:${nameBasedUuid('pantheon.legion.contribution', legionId, playerId, move.idempotencyKey, side)}`;
    const debit = await this.#wallets.execute(
      { type: 'Debit', playerId, idempotencyKey: key('debit'), currency: move.currency, amount: move.amount, counterAccount: `legion_treasury:${legionId}`, reason: 'legion.contribution' },
      { actor: playerId },
    );
    if (!debit.ok) return debit;
    // The debit is durable: the credit is retried by repeating the call with the same key.
    return this.#wallets.execute(
      { type: 'Credit', playerId: treasuryOf(legionId), idempotencyKey: key('credit'), currency: move.currency, amount: move.amount, counterAccount: `legion_member:${playerId}`, reason: 'legion.contribution' },
      { actor: playerId },
    );
  }

  async #run(command: LegionCommand): Promise<LegionResult> {
    const actor = 'by' in command ? command.by : 'leader' in command ? command.leader : command.playerId;
    const handled = await handleCommand<LegionState, LegionCommand, LegionEvent>(this.#store, legionStreamId(command.legionId), legionDecider, command, {
      cache: this.#cache,
      metadata: { actor },
    });
    return handled.ok ? { ok: true, legion: handled.state } : { ok: false, code: handled.refusal.code, message: handled.refusal.message };
  }
}

function refused(code: string, message: string): WalletResult {
  return { ok: false, duplicate: false, code, message, events: [] };
}
