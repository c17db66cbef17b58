// The account service: sign-in by platform identity, link, unlink, read. It runs the pure
// rules (rules.ts) against two kinds of streams and keeps them in step:
//
//   identity-<provider>.<subject>   who holds the identity. Claims are appended at the
//                                   version that shows it free, so the store's expected-
//                                   version check is the unique constraint: one identity is
//                                   never held by two players, however many processes race.
//   player-<playerId>               the account: registration, links, unlinks.
//
// Sign-in resolves through the claim alone. A change touches both streams, in an order that
// leaves any crash recognisable (rules.ts, pendingRepair); whoever touches the identity next
// finishes it, with event ids derived from the claim, so two finishers append the same event
// once (the store's idempotent append). Every append goes through handleCommand, which
// decides again after a concurrent writer's append.
import type { Logger } from 'pino';
import { handleCommand, type Handled } from '../../events/commandHandler.ts';
import { fold } from '../../events/decider.ts';
import type { RecordedEvent } from '../../events/envelope.ts';
import { nameBasedUuid, uuidv7 } from '../../events/ids.ts';
import type { EventStore } from '../../events/store.ts';
import type { AccountEvent, ClaimEvent } from './events.ts';
import { accountCodes, Identity, identityStreamId, playerStreamId, type Provider } from './model.ts';
import { accountDecider, claimDecider, pendingRepair, type AccountCommand, type AccountState, type ClaimCommand, type ClaimState, type ClaimView } from './rules.ts';

/** A domain refusal (`account/identity_taken`, …): the caller answers the client with its code. */
export class AccountRefused extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'AccountRefused';
    this.code = code;
  }
}

export type AccountView = {
  readonly playerId: string;
  readonly displayName: string | null;
  readonly identities: Array<{ provider: Provider; subject: string; displayName: string | null; linkedAt: string }>;
};

export type SignedIn = { readonly playerId: string; readonly created: boolean; readonly displayName: string | null };

export type AccountServiceOptions = {
  store: EventStore;
  logger?: Logger;
  /** New player ids; default UUIDv7. */
  newPlayerId?: () => string;
};

/** Repairs one settling may make before it calls the account busy (each is one append; two suffice). */
const MAX_REPAIRS = 10;

type Loaded = { state: AccountState; version: number; events: RecordedEvent[] };

export class AccountService {
  readonly #store: EventStore;
  readonly #logger: Logger | undefined;
  readonly #newPlayerId: () => string;

  constructor(options: AccountServiceOptions) {
    this.#store = options.store;
    this.#logger = options.logger?.child({ component: 'account' });
    this.#newPlayerId = options.newPlayerId ?? (() => uuidv7());
  }

  /**
   * The player an identity signs in as; a person new to the game gets a new player, registered
   * with this identity. `displayName` is what the platform (or the guest) calls them.
   */
  async signIn(input: Identity, displayName: string | null): Promise<SignedIn> {
    const identity = Identity.parse(input);
    const settled = await this.#settle(identity);
    if (settled.holder) return signedIn(settled.holder, settled.registered);
    const playerId = this.#newPlayerId();
    const claimed = await this.#claim(identity, { type: 'Claim', identity, playerId, displayName }, playerId);
    if (!claimed.ok) {
      // Someone signed in with this identity first: that player is who it signs in as.
      const first = await this.#settle(identity);
      if (first.holder) return signedIn(first.holder, first.registered);
      throw busy();
    }
    // The claim is the registration's proof: register the new player from it (what settling
    // would do, without reading back two streams this request just wrote or knows empty).
    await this.#finish(identity, { state: claimed.state, version: claimed.version }, { state: accountDecider.initialState(), version: -1, events: [] });
    this.#logger?.info({ player: playerId, provider: identity.provider }, 'player registered');
    return { playerId, created: true, displayName };
  }

  /** Links another identity to a registered player. Refused with `account/identity_taken` if someone else holds it. */
  async link(playerId: string, input: Identity, displayName: string | null): Promise<AccountView> {
    const identity = Identity.parse(input);
    const account = await this.#account(playerId);
    if (account.state.playerId === null) throw new AccountRefused(accountCodes.notFound, `no player ${playerId}`);
    const { claim, holder } = await this.#settle(identity);
    if (holder && holder.state.playerId !== playerId) throw new AccountRefused(accountCodes.identityTaken, `this ${identity.provider} identity is linked to another player`);
    if (!holder) {
      // Refused before claiming, so a full account does not take a claim it cannot record.
      const decision = accountDecider.decide(account.state, { type: 'Link', playerId, identity, displayName, claimVersion: claim.version + 1 });
      if (!decision.ok) throw new AccountRefused(decision.refusal.code, decision.refusal.message);
      const claimed = await this.#claim(identity, { type: 'Claim', identity, playerId, displayName }, playerId);
      if (!claimed.ok) throw new AccountRefused(claimed.refusal.code, `this ${identity.provider} identity is linked to another player`);
      await this.#settle(identity);
      this.#logger?.info({ player: playerId, provider: identity.provider }, 'identity linked');
    }
    return this.#viewOf(playerId);
  }

  /** Unlinks an identity. Refused with `account/last_identity` for the only one: nobody locks themself out. */
  async unlink(playerId: string, input: Identity): Promise<AccountView> {
    const identity = Identity.parse(input);
    // The account first, at its version: two unlinks racing cannot both pass the last-identity check.
    const unlinked = await handleCommand(this.#store, playerStreamId(playerId), accountDecider, { type: 'Unlink', playerId, identity }, { metadata: { actor: playerId } });
    if (!unlinked.ok) throw new AccountRefused(unlinked.refusal.code, unlinked.refusal.message);
    await this.#settle(identity);
    this.#logger?.info({ player: playerId, provider: identity.provider }, 'identity unlinked');
    return this.#viewOf(playerId);
  }

  /**
   * Reads an identity's claim and its holder's account, finishing whatever change a crash (or
   * a concurrent request still in flight) left half done, until the two agree.
   */
  async #settle(identity: Identity): Promise<{ claim: ClaimView; holder: Loaded | undefined; registered: boolean }> {
    let registered = false;
    for (let repairs = 0; repairs <= MAX_REPAIRS; repairs++) {
      const claim = await this.#claimView(identity);
      if (claim.state.holder === null) return { claim, holder: undefined, registered };
      const account = await this.#account(claim.state.holder);
      const repair = pendingRepair(identity, claim, account.state);
      if (repair === 'none') return { claim, holder: account, registered };
      // Someone else may have written meanwhile: read both again either way.
      await this.#finish(identity, claim, account);
      if (repair === 'register') registered = true;
    }
    throw busy();
  }

  /** A player's account; null if there is no such player. */
  async account(playerId: string): Promise<AccountView | null> {
    const loaded = await this.#account(playerId);
    return loaded.state.playerId === null ? null : view(loaded);
  }

  /** Who holds an identity now (null: nobody). */
  async holderOf(input: Identity): Promise<string | null> {
    return (await this.#claimView(Identity.parse(input))).state.holder;
  }

  async #viewOf(playerId: string): Promise<AccountView> {
    const loaded = await this.#account(playerId);
    if (loaded.state.playerId === null) throw new AccountRefused(accountCodes.notFound, `no player ${playerId}`);
    return view(loaded);
  }

  /** Appends the one event `pendingRepair` says is missing, with an id derived from the claim. */
  async #finish(identity: Identity, claim: ClaimView, account: Loaded): Promise<void> {
    const holder = claim.state.holder;
    if (holder === null) return;
    const stream = identityStreamId(identity);
    const repair = pendingRepair(identity, claim, account.state);
    const derivedId = (step: string) => ({ eventId: () => nameBasedUuid('account', stream, String(claim.version), step), metadata: { actor: holder } });
    if (repair === 'none') return;
    if (repair === 'release') {
      // Refused only if the claim moved meanwhile: settling reads it again.
      await handleCommand(this.#store, stream, claimDecider, { type: 'Release', identity, playerId: holder }, derivedId(repair));
      return;
    }
    const command: AccountCommand = repair === 'register'
      ? { type: 'Register', playerId: holder, identity, displayName: claim.state.displayName, claimVersion: claim.version }
      : { type: 'Link', playerId: holder, identity, displayName: claim.state.displayName, claimVersion: claim.version };
    const recorded = await handleCommand(this.#store, playerStreamId(holder), accountDecider, command, derivedId(repair));
    if (!recorded.ok && recorded.refusal.code !== accountCodes.alreadyRegistered) {
      // The account cannot take it (it filled up meanwhile): give the claim back.
      this.#logger?.warn({ player: holder, stream, code: recorded.refusal.code }, 'claimed identity could not be recorded on the account; releasing it');
      await handleCommand(this.#store, stream, claimDecider, { type: 'Release', identity, playerId: holder }, derivedId('undo'));
      throw new AccountRefused(recorded.refusal.code, recorded.refusal.message);
    }
  }

  /** Claims the identity for a player: refused with `account/identity_taken` when someone else holds it. */
  #claim(identity: Identity, command: ClaimCommand, actor: string): Promise<Handled<ClaimState, ClaimEvent>> {
    return handleCommand(this.#store, identityStreamId(identity), claimDecider, command, { metadata: { actor } });
  }

  async #claimView(identity: Identity): Promise<ClaimView> {
    const events = await this.#store.readStream(identityStreamId(identity));
    return {
      state: fold(claimDecider, claimDecider.initialState(), events as unknown as ClaimEvent[]),
      version: events.length === 0 ? -1 : events[events.length - 1]!.version,
    };
  }

  async #account(playerId: string): Promise<Loaded> {
    const events = await this.#store.readStream(playerStreamId(playerId));
    return {
      state: fold(accountDecider, accountDecider.initialState(), events as unknown as AccountEvent[]),
      version: events.length === 0 ? -1 : events[events.length - 1]!.version,
      events,
    };
  }
}

function busy(): AccountRefused {
  return new AccountRefused('account/busy', 'the account is being changed by many requests at once; try again');
}

function signedIn(holder: Loaded, registered: boolean): SignedIn {
  return { playerId: holder.state.playerId!, created: registered, displayName: holder.state.displayName };
}

function view(loaded: Loaded): AccountView {
  const linkedAt = new Map<string, string>();
  for (const event of loaded.events) {
    if (event.type === 'PlayerRegistered' || event.type === 'IdentityLinked') {
      const { identity } = event.data as { identity: Identity };
      linkedAt.set(`${identity.provider}.${identity.subject}`, event.metadata.recordedAt);
    }
  }
  return {
    playerId: loaded.state.playerId!,
    displayName: loaded.state.displayName,
    identities: loaded.state.identities.map((l) => ({
      provider: l.identity.provider,
      subject: l.identity.subject,
      displayName: l.displayName,
      linkedAt: linkedAt.get(`${l.identity.provider}.${l.identity.subject}`) ?? '',
    })),
  };
}
