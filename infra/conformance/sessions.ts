// The scripted sessions of the conformance kit, step by step, as docs/protocol.md describes
// the protocol: sign-in, content, create and join, every command of every room kind, a
// sample of refusals with their codes, reconnection, spectating, matchmaking. Every id is
// fresh per run (random device ids, oracle ids), so runs never meet each other's data.
import { randomBytes } from 'node:crypto';
import type { Room } from '@colyseus/sdk';
import {
  check, clientFor, joinRefusal, nextMessage, postJson, refusalOf, signIn, StepFailed, until, watch,
  type Session, type Step, type Target, type Watched,
} from './kit.ts';

type Oracle = { oracleId: string; fallen: boolean; abilities: string[]; cooldowns?: { abilityId: string; readyAtTick: number }[] };
type BattleState = {
  roomStatus: string; tick: number; status: string; startTick: number; lastTick: number; winnerSide: string; endReason: string;
  oracles: Map<string, Oracle>; seats: Map<string, { lastRef?: string; forfeited: boolean }>;
};
type RaidState = { status: string; tick: number; startTick: number; outcome: string; boss: { bossId: string }; oracles: Map<string, Oracle>; seats: Map<string, { lastRef?: string }> };
type RitualState = { status: string; outcome: string; endReason: string; seats: Map<string, { lastRef?: string }> };

const run = randomBytes(4).toString('hex');
const oracle = (playerId: string, n: number, chart: Record<string, string>) => ({ oracleId: `${playerId.slice(-8)}-${run}-o${n}`, name: `Conformance ${n}`, chart });
// Charts chosen for their abilities: ana has an enemy and a self ability, bo an ally one.
const anaChart = { sun: 'aries', moon: 'gemini', rising: 'cancer' };
const boChart = { sun: 'cancer', moon: 'taurus', rising: 'scorpio' };

export function conformanceSteps(target: Target): Step[] {
  let ana: Session;
  let bo: Session;
  let targets = new Map<string, string>();
  let battle: { a: Watched; b: Watched; anaOracle: string; boOracle: string } | undefined;
  let sent = 0;
  const ref = (who: string) => `${who}:${run}:${++sent}`;

  /** Sends a command and waits until it was accepted (the seat's lastRef shows it) or refused. */
  async function accepted(watched: Watched, playerId: string, type: string, payload: Record<string, unknown>): Promise<void> {
    const r = ref('ok');
    watched.room.send(type, { ...payload, ref: r });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const refused = watched.refusals.find((x) => x.ref === r);
      if (refused) throw new StepFailed(`${type} ${JSON.stringify(payload)} was refused: ${refused.code} (${refused.message})`);
      if ((watched.room.state as { seats: Map<string, { lastRef?: string }> }).seats.get(playerId)?.lastRef === r) return;
      if (Date.now() > deadline) throw new StepFailed(`${type} was neither accepted nor refused within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async function refusedWith(watched: Watched, type: string, payload: unknown, code: string): Promise<void> {
    const r = ref('no');
    watched.room.send(type, payload !== null && typeof payload === 'object' ? { ...payload, ref: r } : payload);
    const refusal = await refusalOf(watched, r);
    check(refusal.code === code, `${type} ${JSON.stringify(payload)}: expected ${code}, got ${refusal.code} (${refusal.message})`);
  }

  const readyAbility = (state: BattleState | RaidState, oracleId: string, aim: (target: string) => boolean): string | undefined => {
    const mine = state.oracles.get(oracleId);
    return mine?.abilities.find((id) => aim(targets.get(id) ?? '') && (mine.cooldowns?.find((c) => c.abilityId === id)?.readyAtTick ?? 0) <= state.tick);
  };

  return [
    {
      name: 'http: /healthz answers 200',
      async run() {
        const response = await fetch(`${target.http}/healthz`);
        check(response.status === 200, `GET /healthz answered ${response.status}`);
      },
    },
    {
      name: 'sign-in: two guests; a refresh token works once',
      needs: ['http: /healthz answers 200'],
      async run() {
        ana = await signIn(target, `conformance-ana-${run}-0000`);
        bo = await signIn(target, `conformance-bo-${run}-00000`);
        check(ana.playerId !== bo.playerId, 'two devices, two players');
        const refreshed = await postJson(target, '/auth/refresh', { refreshToken: ana.refreshToken });
        check(refreshed.status === 200 && typeof refreshed.body.accessToken === 'string', `refresh answered ${refreshed.status}`);
        ana = refreshed.body as unknown as Session;
        const reused = await postJson(target, '/auth/refresh', { refreshToken: (await signIn(target, `conformance-spent-${run}-00`)).refreshToken });
        check(reused.status === 200, 'a fresh refresh token works');
        return `players ${ana.playerId}, ${bo.playerId}`;
      },
    },
    {
      name: 'content: each ability\'s targeting, an ETag that revalidates, 404 for an unknown version',
      needs: ['http: /healthz answers 200'],
      async run() {
        const response = await fetch(`${target.http}/content/active`);
        check(response.status === 200, `GET /content/active answered ${response.status}`);
        const content = (await response.json()) as { contentVersion: string; abilities: { id: string; target: string }[] };
        check(content.abilities.length > 0 && content.abilities.every((a) => ['enemy', 'ally', 'self'].includes(a.target)), 'every ability has a target of enemy, ally or self');
        targets = new Map(content.abilities.map((a) => [a.id, a.target]));
        const etag = response.headers.get('etag');
        check(etag, 'an ETag');
        const again = await fetch(`${target.http}/content/active`, { headers: { 'if-none-match': etag } });
        check(again.status === 304, `If-None-Match with the ETag answered ${again.status}, not 304`);
        const unknown = await fetch(`${target.http}/content/1999.1.1`);
        const body = (await unknown.json()) as { error?: { code?: string } };
        check(unknown.status === 404 && body.error?.code === 'content/unknown_version', `an unknown version answered ${unknown.status} ${body.error?.code}`);
        return `content ${content.contentVersion}, ${content.abilities.length} abilities`;
      },
    },
    {
      name: 'create and join: a battle by its participants; others refused',
      needs: ['sign-in: two guests; a refresh token works once', 'content: each ability\'s targeting, an ETag that revalidates, 404 for an unknown version'],
      async run() {
        const a = oracle(ana.playerId, 1, anaChart);
        const b = oracle(bo.playerId, 1, boChart);
        const setup = {
          participants: [
            { playerId: ana.playerId, side: 'a', oracles: [a] },
            { playerId: bo.playerId, side: 'b', oracles: [b] },
          ],
          countdownTicks: 60,
          tickLimit: 2400,
        };
        check(await joinRefusal(clientFor(target, undefined).create('battle', { setup })) === 'auth/missing_token', 'a create without a token is refused auth/missing_token');
        const stranger = await signIn(target, `conformance-eve-${run}-0000`);
        check(await joinRefusal(clientFor(target, stranger.accessToken).create('battle', { setup })) === 'auth/forbidden', 'a create by a non-participant is refused auth/forbidden');
        const roomA = await clientFor(target, ana.accessToken).create('battle', { setup });
        const wa = watch(roomA);
        check(await joinRefusal(clientFor(target, stranger.accessToken).joinById(roomA.roomId)) === 'room/not_participant', 'a stranger joining is refused room/not_participant');
        const roomB = await clientFor(target, bo.accessToken).joinById(roomA.roomId);
        battle = { a: wa, b: watch(roomB), anaOracle: a.oracleId, boOracle: b.oracleId };
        await until<BattleState>(roomA, (s) => s.oracles?.size === 2 && s.seats?.size === 2, 'both oracles and seats in the state');
        return `battle-${roomA.roomId}`;
      },
    },
    {
      name: 'refusals: command/unknown, command/invalid, command/too_large, battle/not_started',
      needs: ['create and join: a battle by its participants; others refused'],
      async run() {
        const { a, anaOracle, boOracle } = battle!;
        await refusedWith(a, 'Teleport', {}, 'command/unknown');
        await refusedWith(a, 'CastAbility', { oracleId: anaOracle }, 'command/invalid');
        await refusedWith(a, 'CastAbility', { oracleId: anaOracle, abilityId: 'solar-flare', targetId: 'x'.repeat(5000) }, 'command/too_large');
        const state = a.room.state as BattleState;
        check(state.tick < state.startTick, 'still in the countdown');
        await refusedWith(a, 'CastAbility', { oracleId: anaOracle, abilityId: state.oracles.get(anaOracle)!.abilities[0]!, targetId: boOracle }, 'battle/not_started');
      },
    },
    {
      name: 'CastAbility: enemy, self and ally abilities accepted, aimed as the content says; battle/invalid_target otherwise',
      needs: ['refusals: command/unknown, command/invalid, command/too_large, battle/not_started'],
      async run() {
        const { a, b, anaOracle, boOracle } = battle!;
        await until<BattleState>(a.room, (s) => s.tick >= s.startTick, 'the countdown to end');
        const s = a.room.state as BattleState;
        const enemy = readyAbility(s, anaOracle, (t) => t === 'enemy');
        const self = readyAbility(s, anaOracle, (t) => t === 'self');
        const ally = readyAbility(b.room.state as BattleState, boOracle, (t) => t === 'ally');
        check(enemy && self && ally, `abilities of each targeting (enemy ${enemy}, self ${self}, ally ${ally})`);
        // An ally ability aimed at the enemy: the mistake the content's targeting prevents.
        await refusedWith(b, 'CastAbility', { oracleId: boOracle, abilityId: ally, targetId: anaOracle }, 'battle/invalid_target');
        await accepted(a, ana.playerId, 'CastAbility', { oracleId: anaOracle, abilityId: enemy, targetId: boOracle });
        await accepted(a, ana.playerId, 'CastAbility', { oracleId: anaOracle, abilityId: self, targetId: anaOracle });
        await accepted(b, bo.playerId, 'CastAbility', { oracleId: boOracle, abilityId: ally, targetId: boOracle });
        return `${enemy} → enemy, ${self} → self, ${ally} → ally`;
      },
    },
    {
      name: 'refusals: battle/on_cooldown, battle/not_your_oracle, battle/unknown_ability',
      needs: ['CastAbility: enemy, self and ally abilities accepted, aimed as the content says; battle/invalid_target otherwise'],
      async run() {
        const { a, b, anaOracle, boOracle } = battle!;
        const s = a.room.state as BattleState;
        const onCooldown = s.oracles.get(anaOracle)!.cooldowns!.find((c) => c.readyAtTick > s.tick + 10)!;
        check(onCooldown, 'an ability on cooldown');
        await refusedWith(a, 'CastAbility', { oracleId: anaOracle, abilityId: onCooldown.abilityId, targetId: targets.get(onCooldown.abilityId) === 'enemy' ? boOracle : anaOracle }, 'battle/on_cooldown');
        const allyAbility = (b.room.state as BattleState).oracles.get(boOracle)!.abilities.find((id) => targets.get(id) === 'ally')!;
        await refusedWith(a, 'CastAbility', { oracleId: boOracle, abilityId: allyAbility, targetId: boOracle }, 'battle/not_your_oracle');
        await refusedWith(a, 'CastAbility', { oracleId: anaOracle, abilityId: 'no-such-ability', targetId: boOracle }, 'battle/unknown_ability');
      },
    },
    {
      name: 'spectating: a watch-only token sees the state; its commands are refused room/spectator_read_only',
      needs: ['create and join: a battle by its participants; others refused'],
      async run() {
        const { a } = battle!;
        const watcher = await postJson(target, '/auth/spectator', undefined);
        check(watcher.status === 200, `POST /auth/spectator answered ${watcher.status}`);
        const token = String(watcher.body.accessToken);
        check(await joinRefusal(clientFor(target, token).joinById(a.room.roomId)) === 'auth/forbidden', 'a watch-only token without spectator: true is refused auth/forbidden');
        const seen = watch(await clientFor(target, token).joinById(a.room.roomId, { spectator: true }));
        await until<BattleState>(seen.room, (s) => s.oracles?.size === 2, 'the public state');
        check((seen.room.state as BattleState).oracles.get(battle!.anaOracle)!.cooldowns === undefined, 'no private fields for a spectator');
        await refusedWith(seen, 'Forfeit', {}, 'room/spectator_read_only');
        const feed = await clientFor(target, token).joinOrCreate('spectator', { match: `battle-${a.room.roomId}`, spectator: true });
        const summary = await nextMessage<{ revision?: number }>(feed, 'summary');
        check(typeof summary.revision === 'number', 'a summary from the spectator room');
        await Promise.all([seen.room.leave(), feed.leave()]);
      },
    },
    {
      name: 'reconnection: a dropped player reconnects with its token to the same seat and plays on',
      needs: ['CastAbility: enemy, self and ally abilities accepted, aimed as the content says; battle/invalid_target otherwise'],
      async run() {
        const { a } = battle!;
        check(a.closed === undefined, `the connection was already closed (${a.closed})`);
        const token = a.room.reconnectionToken;
        const sessionId = a.room.sessionId;
        a.room.reconnection.enabled = false;
        a.room.connection.close();
        // The reconnect is valid once the server noticed the drop and holds the seat; one sent
        // sooner can spend the token on a seat that is not held yet, so give the drop a moment.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        let back: Room | undefined;
        for (const deadline = Date.now() + 10_000; !back; ) {
          back = await clientFor(target, ana.accessToken).reconnect(token).catch((error: unknown) => {
            if (Date.now() > deadline) throw new StepFailed(`reconnect failed: ${error instanceof Error ? error.message : String(error)}`);
            return undefined;
          });
          if (!back) await new Promise((resolve) => setTimeout(resolve, 200));
        }
        check(back.sessionId === sessionId, 'the same seat (session id)');
        battle = { ...battle!, a: watch(back) };
        await until<BattleState>(back, (s) => s.oracles?.size === 2, 'the state after reconnecting');
        const enemy = await until<BattleState>(back, (s) => readyAbility(s, battle!.anaOracle, (t) => t === 'enemy') !== undefined, 'an enemy ability to be ready', 15_000);
        await accepted(battle!.a, ana.playerId, 'CastAbility', { oracleId: battle!.anaOracle, abilityId: readyAbility(enemy, battle!.anaOracle, (t) => t === 'enemy'), targetId: battle!.boOracle });
      },
    },
    {
      name: 'Forfeit: the battle ends, the other side wins by forfeit',
      needs: ['create and join: a battle by its participants; others refused'],
      async run() {
        const { a, b } = battle!;
        await accepted(b, bo.playerId, 'Forfeit', {});
        const ended = await until<BattleState>(b.room, (s) => s.status === 'ended', 'the battle to end');
        check(ended.winnerSide === 'a' && ended.endReason === 'forfeit', `ended with winner ${ended.winnerSide} by ${ended.endReason}`);
        await refusedWith(b, 'Forfeit', {}, (b.room.state as BattleState).roomStatus === 'over' ? 'room/over' : 'battle/ended');
        await Promise.all([a.room.leave(), b.room.leave()]);
      },
    },
    ...otherRooms(target, () => ({ ana, bo }), { accepted, refusedWith, readyAbility: (s, id, aim) => readyAbility(s, id, aim), targets: () => targets }),
  ];
}

type Helpers = {
  accepted(watched: Watched, playerId: string, type: string, payload: Record<string, unknown>): Promise<void>;
  refusedWith(watched: Watched, type: string, payload: unknown, code: string): Promise<void>;
  readyAbility(state: RaidState, oracleId: string, aim: (target: string) => boolean): string | undefined;
  targets(): Map<string, string>;
};

/** Ritual, raid and matchmaking sessions. */
function otherRooms(target: Target, players: () => { ana: Session; bo: Session }, h: Helpers): Step[] {
  const signedIn = 'sign-in: two guests; a refresh token works once';
  return [
    {
      name: 'ritual: ChannelRite accepted; Abandon ends it for everyone',
      needs: [signedIn],
      async run() {
        const { ana, bo } = players();
        const setup = { ritualId: 'anointing-of-the-dawn', participants: [ana.playerId, bo.playerId], countdownTicks: 0 };
        const a = watch(await clientFor(target, ana.accessToken).create('ritual', { setup }));
        const b = watch(await clientFor(target, bo.accessToken).joinById(a.room.roomId));
        await until<RitualState>(a.room, (s) => s.status === 'in_progress', 'the ritual to begin');
        await h.accepted(a, ana.playerId, 'ChannelRite', { rite: 'invoke' });
        await h.refusedWith(a, 'ChannelRite', { rite: 'dance' }, 'command/invalid');
        await h.accepted(b, bo.playerId, 'Abandon', {});
        const ended = await until<RitualState>(a.room, (s) => s.status === 'ended', 'the ritual to end');
        check(ended.outcome === 'failure' && ended.endReason === 'abandoned', `ended ${ended.outcome} (${ended.endReason})`);
        await Promise.all([a.room.leave(), b.room.leave()]);
      },
    },
    {
      name: 'raid: a harmful ability at the boss accepted; when everyone forfeits the raid is lost',
      needs: [signedIn, 'content: each ability\'s targeting, an ETag that revalidates, 404 for an unknown version'],
      async run() {
        const { ana, bo } = players();
        const a1 = oracle(ana.playerId, 2, anaChart);
        const b1 = oracle(bo.playerId, 2, boChart);
        const setup = { participants: [{ playerId: ana.playerId, oracles: [a1] }, { playerId: bo.playerId, oracles: [b1] }], bossId: 'leviathan', countdownTicks: 0, tickLimit: 2400 };
        const a = watch(await clientFor(target, ana.accessToken).create('raid', { setup }));
        const b = watch(await clientFor(target, bo.accessToken).joinById(a.room.roomId));
        const state = await until<RaidState>(a.room, (s) => s.status === 'active' && s.tick >= s.startTick && h.readyAbility(s, a1.oracleId, (t) => t === 'enemy') !== undefined, 'the raid to start');
        await h.accepted(a, ana.playerId, 'CastAbility', { oracleId: a1.oracleId, abilityId: h.readyAbility(state, a1.oracleId, (t) => t === 'enemy'), targetId: state.boss.bossId });
        const ally = (b.room.state as RaidState).oracles.get(b1.oracleId)!.abilities.find((id) => h.targets().get(id) === 'ally')!;
        await h.refusedWith(b, 'CastAbility', { oracleId: b1.oracleId, abilityId: ally, targetId: state.boss.bossId }, 'raid/invalid_target');
        await h.accepted(a, ana.playerId, 'Forfeit', {});
        await h.accepted(b, bo.playerId, 'Forfeit', {});
        const ended = await until<RaidState>(a.room, (s) => s.status === 'ended', 'the raid to end');
        check(ended.outcome === 'defeat', `outcome ${ended.outcome}`);
        await Promise.all([a.room.leave(), b.room.leave()]);
      },
    },
    {
      name: 'matchmaking: two players queue for battle-1v1, are matched and take their seats',
      needs: [signedIn],
      timeoutMs: 30_000,
      async run() {
        const { ana, bo } = players();
        const ticket = (session: Session, n: number, chart: Record<string, string>) => ({ rating: 1000 + n, mode: 'battle-1v1', oracles: [oracle(session.playerId, 10 + n, chart)] });
        const qa = await clientFor(target, ana.accessToken).joinOrCreate('matchmaking', ticket(ana, 1, anaChart));
        const matchedA = nextMessage<{ roomName: string; roomId: string; reservation: unknown }>(qa, 'matched', 25_000);
        qa.onMessage('refused', () => {});
        const qb = await clientFor(target, bo.accessToken).joinOrCreate('matchmaking', ticket(bo, 2, boChart));
        const matchedB = nextMessage<{ roomName: string; roomId: string; reservation: unknown }>(qb, 'matched', 25_000);
        qb.onMessage('refused', () => {});
        const [ma, mb] = await Promise.all([matchedA, matchedB]);
        check(ma.roomName === 'battle' && ma.roomId === mb.roomId, `matched into ${ma.roomName} ${ma.roomId} and ${mb.roomId}`);
        const ra = watch(await clientFor(target, ana.accessToken).consumeSeatReservation(ma.reservation as never));
        const rb = watch(await clientFor(target, bo.accessToken).consumeSeatReservation(mb.reservation as never));
        await h.accepted(ra, ana.playerId, 'Forfeit', {});
        await until<BattleState>(rb.room, (s) => s.status === 'ended', 'the matched battle to end');
        await Promise.all([ra.room.leave(), rb.room.leave()]);
        return `battle-${ma.roomId}`;
      },
    },
  ];
}
