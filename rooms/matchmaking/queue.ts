// A pure matchmaking queue: tickets (a solo player or a party) wait per mode, and
// formMatches() groups them by rating into full, size-balanced sides. No clock: the caller
// passes `now` and each ticket's `joinedAt` in the same integer unit (ticks or seconds).
// Determinism: tickets are kept sorted by (joinedAt, id) and every pass walks that array;
// Sets are used only for membership, never for order.
import { z } from 'zod';
import type { Refusal } from '../../events/decider.ts';

export const QueueMode = z.enum(['battle-1v1', 'battle-2v2', 'battle-3v3', 'raid-2', 'raid-3', 'raid-4', 'raid-5', 'raid-6']);
export type QueueMode = z.infer<typeof QueueMode>;

/** Battles are two sides of N; a raid is one side of its size. */
export type ModeShape = { readonly sides: 1 | 2; readonly sideSize: number };
export const modeShapes: Readonly<Record<QueueMode, ModeShape>> = {
  'battle-1v1': { sides: 2, sideSize: 1 },
  'battle-2v2': { sides: 2, sideSize: 2 },
  'battle-3v3': { sides: 2, sideSize: 3 },
  'raid-2': { sides: 1, sideSize: 2 },
  'raid-3': { sides: 1, sideSize: 3 },
  'raid-4': { sides: 1, sideSize: 4 },
  'raid-5': { sides: 1, sideSize: 5 },
  'raid-6': { sides: 1, sideSize: 6 },
};

export const Ticket = z.strictObject({
  id: z.string().min(1).max(200),
  /** One player, or a party that must stay together on one side. */
  players: z.array(z.string().min(1).max(200)).min(1).max(6),
  /** The party's rating (for a party, whatever single figure the caller rates it by, e.g. the mean). */
  rating: z.number().int().min(0).max(100_000),
  mode: QueueMode,
  joinedAt: z.number().int().nonnegative(),
});
export type Ticket = z.infer<typeof Ticket>;

/** Tickets in join order: sorted by (joinedAt, id). */
export type QueueState = { readonly tickets: readonly Ticket[] };

export const matchmakingRefusalCodes = [
  'matchmaking/invalid_ticket',
  'matchmaking/already_queued',
  'matchmaking/party_too_large',
  'matchmaking/not_queued',
] as const;
export type MatchmakingRefusalCode = (typeof matchmakingRefusalCodes)[number];

export type QueueUpdate = { readonly ok: true; readonly state: QueueState } | { readonly ok: false; readonly refusal: Refusal };
const refused = (code: MatchmakingRefusalCode, message: string): QueueUpdate => ({ ok: false, refusal: { code, message } });

export type MatchmakingConfig = {
  /** Rating difference accepted straight away. */
  readonly baseBand: number;
  /** The band grows by `widenBy` for every full `widenEvery` units waited... */
  readonly widenBy: number;
  readonly widenEvery: number;
  /** ...up to this, so a long wait never pairs a novice with a champion. */
  readonly maxBand: number;
};
export const defaultMatchmakingConfig: MatchmakingConfig = { baseBand: 100, widenBy: 50, widenEvery: 10, maxBand: 1000 };

export const partySize = (ticket: Ticket): number => ticket.players.length;

export function emptyQueue(): QueueState {
  return { tickets: [] };
}

const joinOrder = (a: Ticket, b: Ticket): number => a.joinedAt - b.joinedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function enqueue(state: QueueState, input: unknown): QueueUpdate {
  const parsed = Ticket.safeParse(input);
  if (!parsed.success) return refused('matchmaking/invalid_ticket', parsed.error.message);
  const ticket = parsed.data;
  if (new Set(ticket.players).size !== ticket.players.length) return refused('matchmaking/invalid_ticket', 'a party lists a player twice');
  const { sideSize } = modeShapes[ticket.mode];
  if (partySize(ticket) > sideSize) {
    return refused('matchmaking/party_too_large', `${ticket.mode} fits parties of up to ${sideSize}, not ${partySize(ticket)}`);
  }
  const queued = new Set(state.tickets.flatMap((t) => t.players));
  if (state.tickets.some((t) => t.id === ticket.id) || ticket.players.some((p) => queued.has(p))) {
    return refused('matchmaking/already_queued', 'that ticket or one of its players is already waiting');
  }
  return { ok: true, state: { tickets: [...state.tickets, ticket].sort(joinOrder) } };
}

/** Takes a ticket out of the queue; a party leaves together (its members may queue again alone). */
export function dequeue(state: QueueState, ticketId: string): QueueUpdate {
  if (!state.tickets.some((t) => t.id === ticketId)) return refused('matchmaking/not_queued', `ticket ${ticketId} is not waiting`);
  return { ok: true, state: { tickets: state.tickets.filter((t) => t.id !== ticketId) } };
}

/** The rating difference a ticket accepts after waiting `waited` units. */
export function bandAt(waited: number, config: MatchmakingConfig = defaultMatchmakingConfig): number {
  const steps = Math.floor(Math.max(0, waited) / config.widenEvery);
  return Math.min(config.maxBand, config.baseBand + steps * config.widenBy);
}

// Both tickets must accept each other, so the newer one's narrower band decides.
function compatible(anchor: Ticket, other: Ticket, now: number, config: MatchmakingConfig): boolean {
  const band = Math.min(bandAt(now - anchor.joinedAt, config), bandAt(now - other.joinedAt, config));
  return other.mode === anchor.mode && Math.abs(other.rating - anchor.rating) <= band;
}

/**
 * The earliest-joined candidates (after the anchor) that fill every side exactly, or null.
 * A depth-first search that tries taking each candidate before skipping it, so those who
 * waited longest go first; `caps` is the room left per side, kept sorted because sides are
 * interchangeable, which keeps the memo of dead ends small (a few dozen states per candidate).
 * Greedy first-fit is not enough: in 3v3, solos and duos [1, 1, 2, 2] fit only as 1+2 / 1+2.
 */
function fillSides(anchor: Ticket, candidates: readonly Ticket[], shape: ModeShape): Ticket[] | null {
  const caps = [shape.sideSize - partySize(anchor), ...Array<number>(shape.sides - 1).fill(shape.sideSize)];
  const deadEnds = new Set<string>();
  const search = (index: number, room: readonly number[]): Ticket[] | null => {
    if (room.every((cap) => cap === 0)) return [];
    const key = `${index}|${room.join(',')}`;
    const candidate = candidates[index];
    if (!candidate || deadEnds.has(key)) return null;
    const size = partySize(candidate);
    for (const side of room.keys()) {
      const cap = room[side] ?? 0;
      if (cap < size || room.indexOf(cap) !== side) continue; // equal caps are the same choice
      const rest = search(index + 1, room.map((c, s) => (s === side ? c - size : c)).sort((a, b) => b - a));
      if (rest) return [candidate, ...rest];
    }
    const skipping = search(index + 1, room);
    if (!skipping) deadEnds.add(key);
    return skipping;
  };
  const rest = search(0, caps.sort((a, b) => b - a));
  return rest && [anchor, ...rest];
}

export type MatchSide = { readonly tickets: readonly string[]; readonly players: readonly string[]; readonly ratingTotal: number };
export type Match = {
  readonly mode: QueueMode;
  /** The longest-waiting ticket, whose rating the others were matched around. */
  readonly anchorTicketId: string;
  readonly sides: readonly MatchSide[];
};

const ratingTotal = (tickets: readonly Ticket[]): number => tickets.reduce((sum, t) => sum + t.rating * partySize(t), 0);
const sideOf = (tickets: readonly Ticket[]): MatchSide => ({
  tickets: tickets.map((t) => t.id),
  players: tickets.flatMap((t) => t.players),
  ratingTotal: ratingTotal(tickets),
});

/**
 * Splits the chosen tickets into full sides with the closest rating totals. At most six
 * tickets, so trying every split is cheap; the anchor stays on side 0 to skip mirror images,
 * and ties keep the first split found, so the result is deterministic.
 */
function balanceSides(chosen: readonly Ticket[], shape: ModeShape): MatchSide[] {
  if (shape.sides === 1) return [sideOf(chosen)];
  let best: { gap: number; split: [Ticket[], Ticket[]] } | null = null;
  for (let mask = 0; mask < 1 << (chosen.length - 1); mask++) {
    const [first, second]: [Ticket[], Ticket[]] = [[], []];
    chosen.forEach((ticket, index) => (index > 0 && (mask >> (index - 1)) & 1 ? second : first).push(ticket));
    if (first.reduce((n, t) => n + partySize(t), 0) !== shape.sideSize) continue;
    const gap = Math.abs(ratingTotal(first) - ratingTotal(second));
    if (!best || gap < best.gap) best = { gap, split: [first, second] };
  }
  if (!best) throw new Error('balanceSides: the chosen tickets do not split into full sides');
  return best.split.map(sideOf);
}

/**
 * Forms every match it can at `now`. Tickets are taken as anchors in join order; each anchor
 * gathers compatible tickets of its mode, earliest first. Returns the matches and the queue
 * without the matched tickets; a second call at the same `now` finds nothing more.
 */
export function formMatches(
  state: QueueState,
  now: number,
  config: MatchmakingConfig = defaultMatchmakingConfig,
): { readonly matches: readonly Match[]; readonly state: QueueState } {
  const taken = new Set<string>();
  const matches: Match[] = [];
  for (const anchor of state.tickets) {
    if (taken.has(anchor.id)) continue;
    const candidates = state.tickets.filter((t) => t !== anchor && !taken.has(t.id) && compatible(anchor, t, now, config));
    const shape = modeShapes[anchor.mode];
    const chosen = fillSides(anchor, candidates, shape);
    if (!chosen) continue;
    for (const ticket of chosen) taken.add(ticket.id);
    matches.push({ mode: anchor.mode, anchorTicketId: anchor.id, sides: balanceSides(chosen, shape) });
  }
  return { matches, state: { tickets: state.tickets.filter((t) => !taken.has(t.id)) } };
}
