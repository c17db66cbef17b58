// The bot a player challenges from /play: a second guest identity this browser signs in, with
// its own SDK connection, that plays like load-tests/bots/battleBot.ts (a ready ability of a
// standing oracle, on the target its ability asks for, one command in flight at a time), and
// channels its own seat's rites in the middle of their window in a ritual.
import type { Content } from './content.ts';
import { abilityOf } from './content.ts';
import type { Room } from './room.ts';
import { valuesOf, type AnyState, type OracleLike } from './views.ts';

type Cooldown = { abilityId: string; readyAtTick: number };
type BattleOracle = OracleLike & { abilities: Iterable<string>; cooldowns?: Iterable<Cooldown> };
type Seat = { lastRef?: string };

export function playBattleBot(room: Room, me: string, content: Content, everyMs = 600): () => void {
  let sent = 0;
  let inFlight: string | null = null;
  room.onMessage('refused', ({ ref }: { ref?: string }) => {
    if (ref === inFlight) inFlight = null;
  });
  room.onMessage('room/status', () => {});
  const timer = setInterval(() => {
    const state = room.state as AnyState & { seats?: { get(id: string): Seat | undefined } };
    if (!state?.oracles || state.status !== 'active' || state.roomStatus !== 'running' || (state.tick ?? 0) < (state.startTick ?? 0)) return;
    if (inFlight !== null && state.seats?.get(me)?.lastRef !== inFlight) return;
    inFlight = null;
    const oracles = valuesOf(state.oracles) as BattleOracle[];
    const tick = state.tick ?? 0;
    const mine = oracles.filter((o) => o.playerId === me && !o.fallen && ![...(o.statuses ?? [])].some((s) => s.kind === 'stun' && s.expiresAtTick > tick));
    const caster = mine[sent % Math.max(1, mine.length)];
    if (!caster) return;
    const ready = [...caster.abilities].filter((id) => ([...(caster.cooldowns ?? [])].find((c) => c.abilityId === id)?.readyAtTick ?? 0) <= tick);
    const abilityId = ready[sent % Math.max(1, ready.length)];
    if (!abilityId) return;
    const aim = abilityOf(content, abilityId)?.target ?? 'enemy';
    const standing = oracles.filter((o) => !o.fallen);
    const target = aim === 'self' ? caster : aim === 'ally' ? (standing.find((o) => o.side === caster.side && o.hp < o.maxHp) ?? caster) : standing.filter((o) => o.side !== caster.side).sort((a, b) => a.hp - b.hp)[0];
    if (!target) return;
    inFlight = `bot:${++sent}`;
    room.send('CastAbility', { oracleId: caster.oracleId, abilityId, targetId: target.oracleId, ref: inFlight });
  }, everyMs);
  return () => clearInterval(timer);
}

/** Channels the rites of the bot's seat (and of any seat, when the player leaves one open too long) mid-window. */
export function playRitualBot(room: Room, me: string): () => void {
  let lastStep = -1;
  room.onMessage('refused', () => {});
  room.onMessage('room/status', () => {});
  const started = performance.now();
  let tickAt = { tick: 0, at: started };
  const timer = setInterval(() => {
    const state = room.state as AnyState & { stepPlayerId?: string };
    if (!state || state.status !== 'in_progress') return;
    const synced = state.tick ?? 0;
    if (synced !== tickAt.tick) tickAt = { tick: synced, at: performance.now() };
    const hz = state.tickHz ?? 5;
    const tick = tickAt.tick + Math.floor(((performance.now() - tickAt.at) / 1000) * hz);
    const open = state.opensAtTick ?? 0;
    const close = state.closesAtTick ?? 0;
    const middle = Math.floor((open + close) / 2);
    const step = state.stepIndex ?? 0;
    if (step === lastStep || state.stepPlayerId !== me) return;
    // One tick before the middle: the rite lands in the tick after it arrives.
    if (tick >= middle - 1 && tick < close) {
      lastStep = step;
      room.send('ChannelRite', { rite: state.stepRite });
    }
  }, 50);
  return () => clearInterval(timer);
}
