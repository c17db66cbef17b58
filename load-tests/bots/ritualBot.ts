// A ritual bot: a real @colyseus/sdk client that performs its seat's part. By default it is
// a perfect performer: when the current step is its seat's, it channels the required rite
// so that it lands on the centre of the rhythm window. It can be told to make mistakes
// first (a wrong rite, a rite before the window opens, or letting the window lapse), which
// is how tests and load scenarios produce failed rituals. Used by the end-to-end tests.
//
// Rooms sync `tick` when something changes and otherwise only once a second, so, like any
// rhythm client, the bot extrapolates the server's tick from the last one it saw and the
// room's tick rate, and re-anchors whenever a new tick arrives.
import type { Room } from '@colyseus/sdk';
import type { RiteKind } from '../../rooms/ritual/content.ts';
import { ANY_SEAT, type RitualView } from '../../rooms/ritual/state.ts';

const rites: readonly RiteKind[] = ['invoke', 'offer', 'chant', 'seal'];

/** What a deliberate mistake looks like. */
export type RitualMistake = 'wrong_rite' | 'too_early' | 'miss';

export type RitualBotOptions = {
  playerId: string;
  /**
   * Whether this bot answers steps any seat may take. Two bots answering the same step
   * would make the slower one misstep, so by default only seat 0 does.
   */
  takesAnySeat?: boolean;
  /** Deliberate missteps to make on this bot's turns before performing perfectly (default 0). */
  mistakes?: number;
  /** Which kind of misstep (default wrong_rite). */
  mistake?: RitualMistake;
  /** Called with the ref of each command sent, for latency measurement. */
  onSend?: (ref: string) => void;
  /** Wall clock in ms (for tests of the bot itself). */
  now?: () => number;
};

/** A command that was sent but left the ritual unchanged this many ticks after it should have landed is sent again. */
const RETRY_AFTER_TICKS = 2;
/** How far into a tick interval a rite meant for the next tick is sent: clear of both step boundaries. */
const SEND_AT_FRACTION = 0.4;

/** The tick a perfect rite lands on: the window's centre (rounded down for odd widths). */
export function perfectTick(state: Pick<RitualView, 'opensAtTick' | 'closesAtTick'>): number {
  return Math.floor((state.opensAtTick + state.closesAtTick) / 2);
}

/** The server's tick extrapolated from the last fresh one seen. */
export class TickClock {
  #tick = -1;
  #seenAt = 0;
  #tickMs = 200;

  /** Records what the state shows; only a changed tick is fresh (it was just mirrored). */
  observe(tick: number, tickHz: number, now: number): void {
    if (tickHz > 0) this.#tickMs = 1000 / tickHz;
    if (tick === this.#tick) return;
    this.#tick = tick;
    this.#seenAt = now;
  }

  /** The tick a command sent at `now` is judged in: the first step after it arrives. */
  landsAt(now: number): number {
    return this.#tick + 1 + Math.max(0, Math.floor((now - this.#seenAt) / this.#tickMs));
  }

  /** Milliseconds from `now` until the moment to send a command meant to land in `tick`. */
  msUntilSendFor(tick: number, now: number): number {
    return this.#seenAt + (tick - 1 - this.#tick + SEND_AT_FRACTION) * this.#tickMs - now;
  }
}

/** Starts performing; returns a function that stops. */
export function performRitual(room: Room<RitualView>, options: RitualBotOptions): () => void {
  const now = options.now ?? (() => performance.now());
  const clock = new TickClock();
  let seq = 0;
  let mistakesLeft = options.mistakes ?? 0;
  const mistake = options.mistake ?? 'wrong_rite';
  let sent: { key: string; lands: number } | undefined;
  let missed: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const send = (rite: RiteKind, key: string, lands: number) => {
    const ref = `${options.playerId}:${++seq}`;
    sent = { key, lands };
    options.onSend?.(ref);
    room.send('ChannelRite', { rite, ref });
  };
  /** Sends when the moment for `target` has come, or wakes up for it. */
  const sendFor = (rite: RiteKind, key: string, target: number, lands: number) => {
    const wait = msUntilSendFor(target);
    if (lands >= target && wait <= 0) return send(rite, key, lands);
    timer = setTimeout(act, Math.max(1, wait));
  };
  const msUntilSendFor = (target: number) => clock.msUntilSendFor(target, now());

  function act(): void {
    clearTimeout(timer);
    timer = undefined;
    const state = room.state;
    if (stopped || !state) return;
    clock.observe(state.tick, state.tickHz, now());
    if (state.status !== 'in_progress' || state.roomStatus !== 'running' || state.stepRite === '') return;
    const me = state.seats?.get(options.playerId);
    if (!me) return;
    const takesAny = options.takesAnySeat ?? me.seat === 0;
    if (state.stepSeat !== me.seat && !(state.stepSeat === ANY_SEAT && takesAny)) return;

    // Any change to the step, the misstep count or the window's anchor is a new situation.
    const key = `${state.stepIndex}:${state.missteps}:${state.anchorTick}`;
    const lands = clock.landsAt(now());
    if (sent?.key === key && lands <= sent.lands + RETRY_AFTER_TICKS) {
      timer = setTimeout(act, Math.max(1, msUntilSendFor(sent.lands + RETRY_AFTER_TICKS + 1)));
      return;
    }
    const right = state.stepRite as RiteKind;
    const wrong = rites[(rites.indexOf(right) + 1) % rites.length]!;

    if (mistakesLeft > 0) {
      if (mistake === 'miss') {
        if (missed !== key) {
          missed = key;
          mistakesLeft -= 1;
        }
        return;
      }
      mistakesLeft -= 1;
      // Before the window opens the right rite is a misstep too; afterwards only a wrong one is.
      return send(mistake === 'too_early' && lands < state.opensAtTick ? right : wrong, key, lands);
    }
    if (missed === key) return;
    // Too late now: the window lapses on its own and the step's rhythm restarts.
    if (lands > state.closesAtTick) return;
    sendFor(right, key, Math.max(perfectTick(state), lands), lands);
  }

  room.onStateChange(act);
  act();
  return () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    room.onStateChange.remove(act);
  };
}
