// The account's rules, pure: one decider for a player's account stream, one for an
// identity's claim stream, and `pendingRepair`, which reads the two side by side and names
// the append a crash may have left undone. The service (service.ts) does the I/O.
import { accept, refuse, type Decider } from '../../events/decider.ts';
import type { AccountEvent, ClaimEvent } from './events.ts';
import { accountCodes, identityKey, MAX_IDENTITIES, type Identity } from './model.ts';

export type LinkedIdentity = { readonly identity: Identity; readonly displayName: string | null; readonly claimVersion: number };

export type AccountState = {
  /** Null until registered. */
  readonly playerId: string | null;
  readonly displayName: string | null;
  /** In the order they were linked. */
  readonly identities: readonly LinkedIdentity[];
  /** Identity key -> claim version of its last unlink: the claim released next (maybe not yet). */
  readonly unlinked: Readonly<Record<string, number>>;
};

export type AccountCommand =
  | { readonly type: 'Register'; readonly playerId: string; readonly identity: Identity; readonly displayName: string | null; readonly claimVersion: number }
  | { readonly type: 'Link'; readonly playerId: string; readonly identity: Identity; readonly displayName: string | null; readonly claimVersion: number }
  | { readonly type: 'Unlink'; readonly playerId: string; readonly identity: Identity };

const sameIdentity = (a: Identity, b: Identity) => a.provider === b.provider && a.subject === b.subject;

export const accountDecider: Decider<AccountState, AccountCommand, AccountEvent> = {
  initialState: () => ({ playerId: null, displayName: null, identities: [], unlinked: {} }),
  decide(state, command) {
    switch (command.type) {
      case 'Register': {
        if (state.playerId !== null) return refuse(accountCodes.alreadyRegistered, `player ${state.playerId} is already registered`);
        const { type: _type, ...data } = command;
        return accept({ type: 'PlayerRegistered', data });
      }
      case 'Link': {
        if (state.playerId === null) return refuse(accountCodes.notFound, `no player ${command.playerId}`);
        // The same claim linked twice (a retry, a repair): nothing more to record.
        if (state.identities.some((l) => sameIdentity(l.identity, command.identity) && l.claimVersion === command.claimVersion)) return accept();
        if (state.identities.length >= MAX_IDENTITIES) return refuse(accountCodes.tooManyIdentities, `a player holds at most ${MAX_IDENTITIES} identities`);
        const { type: _type, ...data } = command;
        return accept({ type: 'IdentityLinked', data });
      }
      case 'Unlink': {
        if (state.playerId === null) return refuse(accountCodes.notFound, `no player ${command.playerId}`);
        const linked = state.identities.find((l) => sameIdentity(l.identity, command.identity));
        if (!linked) return refuse(accountCodes.notLinked, `${identityKey(command.identity)} is not linked to ${command.playerId}`);
        if (state.identities.length === 1) return refuse(accountCodes.lastIdentity, 'this is the only way to sign in to this account; link another identity first');
        return accept({ type: 'IdentityUnlinked', data: { playerId: command.playerId, identity: linked.identity, claimVersion: linked.claimVersion } });
      }
      default: {
        const _exhaustive: never = command;
        return _exhaustive;
      }
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'PlayerRegistered': {
        const { playerId, identity, displayName, claimVersion } = event.data;
        return { playerId, displayName, identities: [{ identity, displayName, claimVersion }], unlinked: state.unlinked };
      }
      case 'IdentityLinked': {
        const { identity, displayName, claimVersion } = event.data;
        return { ...state, identities: [...state.identities, { identity, displayName, claimVersion }] };
      }
      case 'IdentityUnlinked': {
        const { identity, claimVersion } = event.data;
        return {
          ...state,
          identities: state.identities.filter((l) => !sameIdentity(l.identity, identity)),
          unlinked: { ...state.unlinked, [identityKey(identity)]: claimVersion },
        };
      }
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
  },
};

export type ClaimState = {
  /** Who holds the identity; null if nobody does (never claimed, or released). */
  readonly holder: string | null;
  /** The display name the platform reported when it was claimed. */
  readonly displayName: string | null;
};

export type ClaimCommand =
  | { readonly type: 'Claim'; readonly identity: Identity; readonly playerId: string; readonly displayName: string | null }
  | { readonly type: 'Release'; readonly identity: Identity; readonly playerId: string };

export const claimDecider: Decider<ClaimState, ClaimCommand, ClaimEvent> = {
  initialState: () => ({ holder: null, displayName: null }),
  decide(state, command) {
    switch (command.type) {
      case 'Claim': {
        if (state.holder === command.playerId) return accept();
        if (state.holder !== null) return refuse(accountCodes.identityTaken, `${identityKey(command.identity)} is linked to another player`);
        const { type: _type, ...data } = command;
        return accept({ type: 'IdentityClaimed', data });
      }
      case 'Release': {
        if (state.holder !== command.playerId) return refuse(accountCodes.notHolder, `${command.playerId} does not hold ${identityKey(command.identity)}`);
        const { type: _type, ...data } = command;
        return accept({ type: 'IdentityReleased', data });
      }
      default: {
        const _exhaustive: never = command;
        return _exhaustive;
      }
    }
  },
  evolve(_state, event) {
    switch (event.type) {
      case 'IdentityClaimed':
        return { holder: event.data.playerId, displayName: event.data.displayName };
      case 'IdentityReleased':
        return { holder: null, displayName: null };
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
  },
};

/** An identity's claim stream as the service reads it: its fold, and the version of its last event. */
export type ClaimView = { readonly state: ClaimState; readonly version: number };

/**
 * What is left to append so the holder's account agrees with the claim. A link claims first
 * and records on the account second; an unlink records on the account first and releases
 * second; a sign-in of a new person claims, then registers. A crash between the two appends
 * leaves exactly one of these undone, and the claim's version tells which:
 * - `register`: the holder's account does not exist yet;
 * - `link`: the account has not recorded this claim;
 * - `release`: the account recorded that it let this claim go.
 */
export function pendingRepair(identity: Identity, claim: ClaimView, account: AccountState): 'none' | 'register' | 'link' | 'release' {
  if (claim.state.holder === null) return 'none';
  if (account.playerId === null) return 'register';
  if (account.identities.some((l) => sameIdentity(l.identity, identity) && l.claimVersion === claim.version)) return 'none';
  if (account.unlinked[identityKey(identity)] === claim.version) return 'release';
  return 'link';
}
