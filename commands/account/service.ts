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
// once (the store's idempotent append).
import type { Logger } from 'pino';
import type { NewEvent, RecordedEvent } from '../../events/envelope.ts';
import { ExpectedVersionConflict } from '../../events/errors.ts';
import { uuidv7 } from '../../events/ids.ts';
import type { EventStore } from '../../events/store.ts';
import { fold } from '../../events/decider.ts';
import { nameBasedUuid } from '../../events/ids.ts';
import type { AccountEvent, ClaimEvent } from './events.ts';
import { accountCodes, Identity, identityStreamId, playerStreamId, type Provider } from './model.ts';
import { accountDecider, claimDecider, pendingRepair, type AccountCommand, type AccountState, type ClaimView } from './rules.ts';

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
  /** Rounds against concurrent writers before giving up with the conflict. */
  maxAttempts?: number;
};

type Loaded = { state: AccountState; version: number; events: RecordedEvent[] };

export class AccountService {
  readonly #store: EventStore;
  readonly #logger: Logger | undefined;
  readonly #newPlayerId: () => string;
  readonly #maxAttempts: number;

  constructor(options: AccountServiceOptions) {
    this.#store = options.store;
    this.#logger = options.logger?.child({ component: 'account' });
    this.#newPlayerId = options.newPlayerId ?? (() => uuidv7());
    this.#maxAttempts = options.maxAttempts ?? 10;
  }

  /**
   * The player an identity signs in as; a person new to the game gets a new player, registered
   * with this identity. `displayName` is what the platform (or the guest) calls them.
   */
  async signIn(input: Identity, displayName: string | null): Promise<SignedIn> {
    const identity = Identity.parse(input);
    return this.#retry(async () => {
      const settled = await this.#settle(identity);
      if (settled.holder) {
        return { playerId: settled.holder.state.playerId!, created: settled.registered, displayName: settled.holder.state.displayName };
      }
      const playerId = this.#newPlayerId();
      const claimed = await this.#appendClaim(identity, settled.claim, { type: 'Claim', identity, playerId, displayName }, playerId);
      if (!claimed) return undefined;
      // The claim is the registration's proof: register the new player from it (what settling
      // would do, without reading back two streams this request just wrote or knows empty).
      await this.#finish(identity, claimed, { state: accountDecider.initialState(), version: -1, events: [] });
      this.#logger?.info({ player: playerId, provider: identity.provider }, 'player registered');
      return { playerId, created: true, displayName };
    });
  }

  /** Links another identity to a registered player. Refused with `account/identity_taken` if someone else holds it. */
  async link(playerId: string, input: Identity, displayName: string | null): Promise<AccountView> {
    const identity = Identity.parse(input);
    await this.#retry(async () => {
      const account = await this.#account(playerId);
      if (account.state.playerId === null) throw new AccountRefused(accountCodes.notFound, `no player ${playerId}`);
      const { claim, holder } = await this.#settle(identity);
      if (holder) {
        if (holder.state.playerId === playerId) return true;
        throw new AccountRefused(accountCodes.identityTaken, `this ${identity.provider} identity is linked to another player`);
      }
      // Refused before claiming, so a full account does not take a claim it cannot record.
      const decision = accountDecider.decide(account.state, { type: 'Link', playerId, identity, displayName, claimVersion: claim.version + 1 });
      if (!decision.ok) throw new AccountRefused(decision.refusal.code, decision.refusal.message);
      if (!(await this.#appendClaim(identity, claim, { type: 'Claim', identity, playerId, displayName }, playerId))) return undefined;
      await this.#settle(identity);
      return true;
    });
    this.#logger?.info({ player: playerId, provider: identity.provider }, 'identity linked');
    return this.#viewOf(playerId);
  }

  /** Unlinks an identity. Refused with `account/last_identity` for the only one: nobody locks themself out. */
  async unlink(playerId: string, input: Identity): Promise<AccountView> {
    const identity = Identity.parse(input);
    await this.#retry(async () => {
      const account = await this.#account(playerId);
      const decision = accountDecider.decide(account.state, { type: 'Unlink', playerId, identity });
      if (!decision.ok) throw new AccountRefused(decision.refusal.code, decision.refusal.message);
      // The account first, at its version: two unlinks racing cannot both pass the last-identity check.
      const events = decision.events.map((e) => ({ type: e.type, data: e.data, metadata: { actor: playerId } }));
      if ((await this.#appendTo(playerStreamId(playerId), account.version, events)) === false) return undefined;
      await this.#settle(identity);
      return true;
    });
    this.#logger?.info({ player: playerId, provider: identity.provider }, 'identity unlinked');
    return this.#viewOf(playerId);
  }

  /**
   * Reads an identity's claim and its holder's account, finishing whatever change a crash (or
   * a concurrent request still in flight) left half done, until the two agree.
   */
  async #settle(identity: Identity): Promise<{ claim: ClaimView; holder: Loaded | undefined; registered: boolean }> {
    let registered = false;
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
      const claim = await this.#claim(identity);
      if (claim.state.holder === null) return { claim, holder: undefined, registered };
      const account = await this.#account(claim.state.holder);
      const repair = pendingRepair(identity, claim, account.state);
      if (repair === 'none') return { claim, holder: account, registered };
      // A conflict here means someone else wrote meanwhile: read both again.
      await this.#finish(identity, claim, account);
      if (repair === 'register') registered = true;
    }
    throw new AccountRefused('account/busy', 'the account is being changed by many requests at once; try again');
  }

  /** A player's account; null if there is no such player. */
  async account(playerId: string): Promise<AccountView | null> {
    const loaded = await this.#account(playerId);
    return loaded.state.playerId === null ? null : view(loaded);
  }

  /** Who holds an identity now (null: nobody). */
  async holderOf(input: Identity): Promise<string | null> {
    return (await this.#claim(Identity.parse(input))).state.holder;
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
    const eventId = nameBasedUuid('account', stream, String(claim.version), repair);
    if (repair === 'release') {
      const decision = claimDecider.decide(claim.state, { type: 'Release', identity, playerId: holder });
      if (!decision.ok) throw new AccountRefused(decision.refusal.code, decision.refusal.message);
      await this.#appendTo(stream, claim.version, decision.events.map((e) => ({ id: eventId, type: e.type, data: e.data, metadata: { actor: holder } })));
      return;
    }
    if (repair === 'none') return;
    const command: AccountCommand = repair === 'register'
      ? { type: 'Register', playerId: holder, identity, displayName: claim.state.displayName, claimVersion: claim.version }
      : { type: 'Link', playerId: holder, identity, displayName: claim.state.displayName, claimVersion: claim.version };
    const decision = accountDecider.decide(account.state, command);
    if (!decision.ok) {
      // The account cannot take it (it filled up meanwhile): give the claim back.
      this.#logger?.warn({ player: holder, stream, code: decision.refusal.code }, 'claimed identity could not be recorded on the account; releasing it');
      await this.#appendTo(stream, claim.version, [{ id: nameBasedUuid('account', stream, String(claim.version), 'undo'), type: 'IdentityReleased', data: { identity, playerId: holder }, metadata: { actor: holder } }]);
      throw new AccountRefused(decision.refusal.code, decision.refusal.message);
    }
    await this.#appendTo(playerStreamId(holder), account.version, decision.events.map((e) => ({ id: eventId, type: e.type, data: e.data, metadata: { actor: holder } })));
  }

  /** Claims at the version read; false if someone else appended first (look again). */
  async #appendClaim(identity: Identity, claim: ClaimView, command: AccountCommandClaim, actor: string): Promise<ClaimView | false> {
    const decision = claimDecider.decide(claim.state, command);
    if (!decision.ok) throw new AccountRefused(decision.refusal.code, decision.refusal.message);
    const appended = await this.#appendTo(identityStreamId(identity), claim.version, decision.events.map((e) => ({ type: e.type, data: e.data, metadata: { actor } })));
    if (!appended) return false;
    return { state: fold(claimDecider, claim.state, decision.events), version: appended };
  }

  /** Appends at `version` (-1: a new stream); returns the new version, or false on a conflict. */
  async #appendTo(streamId: string, version: number, events: NewEvent[]): Promise<number | false> {
    try {
      const result = await this.#store.append(streamId, version === -1 ? 'no_stream' : version, events);
      return result.nextExpectedVersion;
    } catch (error) {
      if (error instanceof ExpectedVersionConflict) return false;
      throw error;
    }
  }

  async #claim(identity: Identity): Promise<ClaimView> {
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

  /** Runs `round` until it returns a value; `undefined` means another writer got in first. */
  async #retry<T>(round: () => Promise<T | undefined>): Promise<T> {
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
      const result = await round();
      if (result !== undefined) return result;
    }
    throw new AccountRefused('account/busy', 'the account is being changed by many requests at once; try again');
  }
}

type AccountCommandClaim = Extract<Parameters<typeof claimDecider.decide>[1], { type: 'Claim' }>;

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
