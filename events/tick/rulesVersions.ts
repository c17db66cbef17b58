// The rules versions a build can replay. Every room stream's creation event records the
// rules version it was played under (`rulesVersion`: battle/1, raid/1, ritual-rules/1); an
// audit years later must re-simulate it with exactly those rules, not today's. So each
// kind lists every version it ever shipped, each with the room kind (decider, hash
// cadence) that plays it, and a version, once published, is never edited or removed:
// changing the rules means adding a version and keeping the old decider loadable.
import type { RecordedEvent } from '../envelope.ts';
import type { KindCommand, KindEvent, RoomKind } from './roomKind.ts';

/** A room kind with its state, commands and setup types forgotten, so kinds can share a table. */
export type AnyRoomKind = RoomKind<unknown, KindCommand, KindEvent, unknown>;

/** One shipped rules version of a kind, and the room kind that plays it. */
export type RulesVersion = { readonly version: string; readonly kind: AnyRoomKind };

/** Everything a build knows about one kind's rules, oldest version first. */
export type KindRules = {
  /** The kind's name (stream category): battle, raid, ritual. */
  readonly name: string;
  /** The type of the event every stream of this kind starts with. */
  readonly createdBy: string;
  /** The version new rooms are created with. */
  readonly current: string;
  readonly versions: readonly RulesVersion[];
};

/** Forgets a kind's type parameters. Safe: an audit only feeds a kind the events of its own streams. */
export function anyKind<S, C extends KindCommand, E extends KindEvent, Setup>(kind: RoomKind<S, C, E, Setup>): AnyRoomKind {
  return kind as unknown as AnyRoomKind;
}

export type RulesVersionErrorCode = 'rules/unknown_version' | 'rules/not_a_room_stream';

export class RulesVersionError extends Error {
  readonly code: RulesVersionErrorCode;
  constructor(code: RulesVersionErrorCode, message: string) {
    super(message);
    this.name = 'RulesVersionError';
    this.code = code;
  }
}

/** What a stream was recorded with, resolved to the rules that replay it. */
export type ResolvedRules = { kind: AnyRoomKind; kindName: string; rulesVersion: string; contentVersion: string | undefined };

export type RulesRegistry = {
  readonly kinds: readonly KindRules[];
  /** Stream categories recorded by a kind under another name (`ghost` streams are raids), by the kind's name. */
  readonly aliases: Readonly<Record<string, string>>;
  /** Event types after which a room stream is over, across every kind. */
  readonly endEventTypes: ReadonlySet<string>;
  /** The kind whose streams start with an event of this type, if any. */
  kindCreatedBy(eventType: string): KindRules | undefined;
  /** The rules a stream was recorded with, from its first event. Throws RulesVersionError. */
  resolve(creation: Pick<RecordedEvent, 'streamId' | 'type' | 'data'>): ResolvedRules;
};

export function createRulesRegistry(kinds: readonly KindRules[], aliases: Readonly<Record<string, string>> = {}): RulesRegistry {
  const byCreation = new Map<string, KindRules>();
  for (const kind of kinds) {
    if (byCreation.has(kind.createdBy)) throw new Error(`two kinds start with ${kind.createdBy}`);
    const seen = new Set<string>();
    for (const { version } of kind.versions) {
      if (seen.has(version)) throw new Error(`${kind.name} lists rules version ${version} twice`);
      seen.add(version);
    }
    if (!seen.has(kind.current)) throw new Error(`${kind.name}'s current rules version ${kind.current} is not among its versions`);
    byCreation.set(kind.createdBy, kind);
  }
  for (const [alias, kind] of Object.entries(aliases)) {
    if (!kinds.some((k) => k.name === kind)) throw new Error(`stream category ${alias} names ${kind}, which is not a kind`);
  }
  return {
    kinds,
    aliases,
    endEventTypes: new Set(kinds.flatMap((kind) => kind.versions.flatMap((v) => v.kind.endedBy))),
    kindCreatedBy: (eventType) => byCreation.get(eventType),
    resolve(creation) {
      const kind = byCreation.get(creation.type);
      if (!kind) {
        const starts = kinds.map((k) => k.createdBy).join(', ');
        throw new RulesVersionError('rules/not_a_room_stream', `${creation.streamId} starts with ${creation.type}, not a room's creation event (${starts})`);
      }
      const data = (typeof creation.data === 'object' && creation.data !== null ? creation.data : {}) as { rulesVersion?: unknown; contentVersion?: unknown };
      const rulesVersion = String(data.rulesVersion ?? '');
      const entry = kind.versions.find((candidate) => candidate.version === rulesVersion);
      if (!entry) {
        const known = kind.versions.map((v) => v.version).join(', ');
        throw new RulesVersionError(
          'rules/unknown_version',
          `${creation.streamId} was recorded with ${kind.name} rules ${JSON.stringify(rulesVersion)}, which this build cannot replay (known: ${known})`,
        );
      }
      const contentVersion = typeof data.contentVersion === 'string' ? data.contentVersion : undefined;
      return { kind: entry.kind, kindName: kind.name, rulesVersion, contentVersion };
    },
  };
}
