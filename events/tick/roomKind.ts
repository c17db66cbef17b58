// What a room kind hands the generic room machinery: its rules, its commands, how a
// room of its kind is created, and how its state is shown to clients.
import type { z } from 'zod';
import type { EventDefinition } from '../catalog.ts';
import type { Decision, TickDecider } from '../decider.ts';

export type KindEvent = { type: string; data: unknown };
export type KindCommand = { type: string; playerId: string };
/** A feature flag's value, as a room records it: boolean, string, integer or JSON object. */
export type FlagValue = boolean | string | number | { readonly [key: string]: unknown };

export type RoomKind<S, C extends KindCommand, E extends KindEvent, Setup> = {
  /** Colyseus room name and stream category: streams are `<name>-<roomId>`. */
  readonly name: string;
  readonly tickHz: number;
  /** A StateHashed event every this many ticks. */
  readonly hashEvery: number;
  readonly decider: TickDecider<S, C, E>;
  readonly events: readonly EventDefinition[];
  /** Client message type -> payload schema; the room adds `type` and the sender's `playerId`. */
  readonly commands: Readonly<Record<string, z.ZodType>>;
  /** Options a room of this kind is created with (validated before anything is written). */
  readonly setup: z.ZodType<Setup>;
  /**
   * Feature flags the kind's rules read, with the default each takes when it is unknown.
   * The server evaluates them when it creates a room and hands the values to `create`.
   */
  readonly flags?: Readonly<Record<string, FlagValue>>;
  /**
   * The stream's first event, from the setup, the room id, a seed the server drew and the
   * values of its flags (absent where no flags are served): all recorded in it.
   */
  create(setup: Setup, room: { roomId: string; seed: string; startTick: number; flags?: Readonly<Record<string, FlagValue>> }): Decision<E>;
  /** Players with a seat (everyone else may only watch). */
  seats(state: S): readonly string[];
  isOver(state: S): boolean;
  /** Event types after which a room of this kind is over (recovery skips those rooms). */
  readonly endedBy: readonly string[];
};

