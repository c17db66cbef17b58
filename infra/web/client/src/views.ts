// How a battle, raid or ritual looks on a page: one renderer over the room's schema state
// (docs/protocol.md, State), used by the spectator page (public fields only) and the play
// page (the player's own private fields too).
import { elementBadge, h, hpMeter } from './ui.ts';

type Status = { kind: string; expiresAtTick: number };
export type OracleLike = {
  oracleId: string; playerId?: string; side?: string; name: string; element?: string;
  hp: number; maxHp: number; shield: number; fallen: boolean; statuses?: Iterable<Status>;
};
type MapLike<T> = { forEach(callback: (value: T, key: string) => void): void };
export type AnyState = {
  tick?: number; status?: string; roomStatus?: string; startTick?: number; lastTick?: number;
  winnerSide?: string; endReason?: string;
  oracles?: MapLike<OracleLike>;
  boss?: OracleLike & { bossId: string; phaseId: string; enraged: boolean; castingAbilityId: string; castingLandsAtTick: number };
  outcome?: string;
  // ritual
  ritualName?: string; tickHz?: number; stepIndex?: number; steps?: { length: number }; stepRite?: string; stepSeat?: number; stepPlayerId?: string;
  opensAtTick?: number; closesAtTick?: number; anchorTick?: number; missteps?: number; allowedMissteps?: number; points?: number; score?: number; omen?: string;
};

export function kindOf(state: AnyState): 'battle' | 'raid' | 'ritual' {
  if (state.steps !== undefined || state.ritualName !== undefined) return 'ritual';
  if (state.boss !== undefined) return 'raid';
  return 'battle';
}

export function valuesOf<T>(map: MapLike<T> | undefined): T[] {
  const out: T[] = [];
  map?.forEach((value) => out.push(value));
  return out;
}

export function statusText(statuses: Iterable<Status> | undefined, tick: number): string {
  return [...(statuses ?? [])].filter((s) => s.expiresAtTick > tick).map((s) => s.kind).join(', ');
}

/** One oracle (or the boss): name, element, HP meter, shield, statuses. */
export function fighterCard(oracle: OracleLike, tick: number, extra: Node[] = []): HTMLElement {
  const statuses = statusText(oracle.statuses, tick);
  return h('article', { class: `fighter${oracle.fallen ? ' fallen' : ''}`, 'data-testid': `fighter-${oracle.oracleId}`, 'aria-label': oracle.name },
    h('div', { class: 'row' }, h('span', { class: 'name' }, oracle.name), elementBadge(oracle.element), oracle.fallen ? h('span', { class: 'badge failed' }, 'fallen') : null),
    hpMeter(oracle.name, oracle.hp, oracle.maxHp, `hp-${oracle.oracleId}`),
    oracle.shield > 0 ? h('div', { class: 'muted' }, `shield ${oracle.shield}`) : null,
    statuses ? h('div', { class: 'statuses' }, statuses) : null,
    ...extra);
}

/** The sides of a battle (a and b) or the party of a raid with its boss. */
export function combatView(state: AnyState, options: { me?: string; extraFor?: (oracle: OracleLike) => Node[] } = {}): HTMLElement {
  const tick = state.tick ?? 0;
  const oracles = valuesOf(state.oracles);
  const card = (o: OracleLike) => fighterCard(o, tick, options.extraFor?.(o) ?? []);
  if (kindOf(state) === 'raid' && state.boss) {
    const boss = state.boss;
    const casting = boss.castingAbilityId ? h('div', { class: 'statuses' }, `casting ${boss.castingAbilityId} (lands at tick ${boss.castingLandsAtTick})`) : null;
    return h('div', { class: 'grid two' },
      h('section', { class: 'panel', 'aria-labelledby': 'boss-h' }, h('h2', { id: 'boss-h' }, 'Boss'),
        h('div', { class: 'row' }, h('span', { class: 'badge', 'data-testid': 'boss-phase' }, `phase ${boss.phaseId || '—'}`), boss.enraged ? h('span', { class: 'badge failed' }, 'enraged') : null),
        fighterCard({ ...boss, oracleId: boss.bossId }, tick, casting ? [casting] : [])),
      h('section', { class: 'panel', 'aria-labelledby': 'party-h' }, h('h2', { id: 'party-h' }, 'Party'), ...oracles.map(card)));
  }
  const side = (id: string) => {
    const mine = options.me !== undefined && oracles.some((o) => o.side === id && o.playerId === options.me);
    const title = `Side ${id.toUpperCase()}${mine ? ' (you)' : ''}`;
    return h('section', { class: 'panel', 'aria-labelledby': `side-${id}` }, h('h2', { id: `side-${id}` }, title), ...oracles.filter((o) => o.side === id).map(card));
  };
  return h('div', { class: 'grid two' }, side('a'), side('b'));
}

const reasons: Record<string, string> = { defeat: 'by knockout', tick_limit: 'on time', forfeit: 'by forfeit' };

/** The result of an ended match in words, or null while it runs. */
export function resultText(state: AnyState, me?: { side?: string }): string | null {
  switch (kindOf(state)) {
    case 'battle': {
      if (state.status !== 'ended') return null;
      const how = reasons[state.endReason ?? ''] ?? state.endReason ?? '';
      if (!state.winnerSide) return `Draw ${how}`.trim();
      if (me?.side) return `${me.side === state.winnerSide ? 'Victory' : 'Defeat'} ${how} — side ${state.winnerSide.toUpperCase()} wins`;
      return `Side ${state.winnerSide.toUpperCase()} wins ${how}`;
    }
    case 'raid':
      return state.status === 'ended' ? `Raid ${state.outcome || 'over'}` : null;
    case 'ritual':
      return state.status === 'ended' ? `Ritual ${state.outcome || 'over'}${state.omen && state.omen !== 'none' ? ` (omen: ${state.omen})` : ''} — score ${state.score ?? 0}` : null;
  }
}

/** The ritual's progress: the step to channel, its window on a rhythm bar, points and missteps. */
export function ritualView(state: AnyState, displayTick: number, seats: Map<string, number> = new Map()): HTMLElement {
  const steps = state.steps?.length ?? 0;
  const open = state.opensAtTick ?? 0;
  const close = state.closesAtTick ?? 0;
  const from = state.anchorTick ?? 0;
  const to = Math.max(close + Math.ceil((close - open + 1) / 2), from + 1);
  const pct = (tick: number) => `${Math.min(100, Math.max(0, ((tick - from) / (to - from)) * 100))}%`;
  const third = (close - open + 1) / 3;
  const whose = state.stepSeat === -1 || state.stepSeat === undefined ? 'any seat' : `seat ${state.stepSeat}${state.stepPlayerId ? ` (${seats.has(state.stepPlayerId) ? 'you' : 'partner'})` : ''}`;
  const bar = h('div', { class: 'rhythm', role: 'img', 'aria-label': `window opens at tick ${open} and closes at tick ${close}; now tick ${displayTick}` },
    h('div', { class: 'window', style: `left:${pct(open)};width:calc(${pct(close + 1)} - ${pct(open)})` }),
    h('div', { class: 'perfect', style: `left:${pct(open + third)};width:calc(${pct(open + 2 * third)} - ${pct(open + third)})` }),
    h('div', { class: 'cursor', style: `left:${pct(displayTick)}` }));
  return h('section', { class: 'panel', 'aria-labelledby': 'ritual-h' },
    h('h2', { id: 'ritual-h' }, state.ritualName ?? 'Ritual'),
    h('div', { class: 'kv' },
      h('span', {}, 'Step'), h('span', { 'data-testid': 'ritual-step' }, `${Math.min((state.stepIndex ?? 0) + 1, steps)} of ${steps}`),
      h('span', {}, 'Rite'), h('strong', { 'data-testid': 'ritual-rite' }, state.stepRite || '—'),
      h('span', {}, 'By'), h('span', {}, whose),
      h('span', {}, 'Points'), h('span', { 'data-testid': 'ritual-points' }, String(state.points ?? 0)),
      h('span', {}, 'Missteps'), h('span', { 'data-testid': 'ritual-missteps' }, `${state.missteps ?? 0} of ${state.allowedMissteps ?? 0} allowed`),
      h('span', {}, 'Score'), h('span', {}, String(state.score ?? 0))),
    state.status === 'in_progress' ? bar : null);
}
