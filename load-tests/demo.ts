// npm run demo — against a running server (`npm start`), bots play a full battle, a raid
// and a ritual at the same time, through the same @colyseus/sdk any client uses, and
// the outcomes are printed as they come. Each bot signs in first (as a guest, by a device
// id of its own) and joins with its session token, as the player the server made for it.
import { Client, type Room } from '@colyseus/sdk';
import { z } from 'zod';
import type { BattleView } from '../rooms/battle/state.ts';
import { duelSetup } from '../rooms/battle/testing/fixtures.e2e.ts';
import type { RaidView } from '../rooms/raid/state.ts';
import type { RitualView } from '../rooms/ritual/state.ts';
import { playBattle } from './bots/battleBot.ts';
import { playRaid } from './bots/raidBot.ts';
import { performRitual } from './bots/ritualBot.ts';

const Env = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(2567),
  DEMO_URL: z.string().regex(/^wss?:\/\//, 'must be a ws:// or wss:// URL, e.g. ws://127.0.0.1:2567').optional(),
});
const env = Env.safeParse(process.env);
if (!env.success) {
  console.error(`demo: ${z.prettifyError(env.error)}`);
  process.exit(2);
}
const url = env.data.DEMO_URL ?? `ws://127.0.0.1:${env.data.PORT}`;
const httpUrl = url.replace(/^ws/, 'http');

type Bot = { name: string; playerId: string; client: Client };

/** Signs a bot in as a guest (the same player every run: the device id is fixed) and hands back its client. */
async function signIn(name: string): Promise<Bot> {
  const response = await fetch(`${httpUrl}/auth/guest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ deviceId: `pantheon-demo-bot-${name}`, displayName: name }),
  });
  const body = (await response.json()) as { playerId?: string; accessToken?: string; error?: { code: string; message: string } };
  if (!response.ok || !body.playerId || !body.accessToken) throw new Error(`sign-in of ${name} failed: ${body.error?.code ?? response.status} ${body.error?.message ?? ''}`);
  const client = new Client(url);
  client.auth.token = body.accessToken;
  return { name, playerId: body.playerId, client };
}

function ended<V extends { status: string }>(room: Room<V>, what: string, limitMs: number): Promise<V> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not end within ${limitMs / 1000} s`)), limitMs);
    room.onStateChange(() => {
      const state = room.state as unknown as V;
      if (state.status === 'ended') {
        clearTimeout(timer);
        resolve(state);
      }
    });
  });
}

function quiet<R extends Room>(room: R): R {
  room.onMessage('refused', () => {});
  room.onMessage('room/status', () => {});
  return room;
}

async function battle(): Promise<string> {
  const [a, b] = await Promise.all([signIn('ana'), signIn('bo')]);
  const ana = quiet(await a.client.create<BattleView>('battle', duelSetup(a.playerId, b.playerId, { tickLimit: 1200, countdownTicks: 20 })));
  const bo = quiet(await b.client.joinById<BattleView>(ana.roomId));
  console.log(`battle ${ana.roomId}: ana (Pyra) v bo (Thalassa)`);
  const stops = [playBattle(ana, { playerId: a.playerId, everyMs: 250 }), playBattle(bo, { playerId: b.playerId, everyMs: 250 })];
  const final = await ended(ana, 'the battle', 120_000);
  stops.forEach((stop) => stop());
  const hp = [...final.oracles.values()].map((o) => `${o.name} ${o.hp}/${o.maxHp}${o.fallen ? ' (fell)' : ''}`).join(', ');
  await Promise.all([ana.leave(), bo.leave()]);
  return `battle: ${final.winnerSide ? `side ${final.winnerSide} wins` : 'a draw'} by ${final.endReason} at tick ${final.tick}; ${hp}`;
}

async function raid(): Promise<string> {
  const bots = await Promise.all(['cyd', 'dara', 'eli'].map(signIn));
  const party = bots.map((bot) => bot.playerId);
  const charts = [{ sun: 'aries', moon: 'leo', rising: 'sagittarius' }, { sun: 'taurus', moon: 'virgo', rising: 'capricorn' }, { sun: 'cancer', moon: 'pisces', rising: 'scorpio' }];
  const setup = {
    bossId: 'leviathan',
    tickLimit: 900,
    countdownTicks: 20,
    participants: bots.map((bot, i) => ({ playerId: bot.playerId, oracles: [{ oracleId: `${bot.playerId}-o1`, name: `${bot.name}'s oracle`, chart: charts[i] }] })),
  };
  const rooms = [quiet(await bots[0]!.client.create<RaidView>('raid', { setup }))];
  for (const bot of bots.slice(1)) rooms.push(quiet(await bot.client.joinById<RaidView>(rooms[0]!.roomId)));
  console.log(`raid ${rooms[0]!.roomId}: ${bots.map((bot) => bot.name).join(', ')} against the Leviathan (45 s limit)`);
  const stops = rooms.map((room, i) => playRaid(room, { playerId: party[i]!, everyMs: 300 }));
  const final = await ended(rooms[0]!, 'the raid', 120_000);
  stops.forEach((stop) => stop());
  const nameOf = (playerId: string) => bots.find((bot) => bot.playerId === playerId)?.name ?? playerId;
  const loot = [...final.loot.values()].map((l) => `${nameOf(l.playerId)}: ${[...l.items].join(' ')}`).join('; ');
  await Promise.all(rooms.map((room) => room.leave()));
  return `raid: ${final.outcome} at tick ${final.tick}; boss ${final.boss.hp}/${final.boss.maxHp} HP in phase ${final.boss.phaseId}${loot ? `; loot ${loot}` : ''}`;
}

async function ritual(): Promise<string> {
  const bots = await Promise.all(['fen', 'gus'].map(signIn));
  const seats = bots.map((bot) => bot.playerId);
  const first = quiet(await bots[0]!.client.create<RitualView>('ritual', { setup: { ritualId: 'anointing-of-the-dawn', participants: seats } }));
  const second = quiet(await bots[1]!.client.joinById<RitualView>(first.roomId));
  console.log(`ritual ${first.roomId}: ${bots.map((bot) => bot.name).join(' and ')} perform the Anointing of the Dawn`);
  const stops = [performRitual(first, { playerId: seats[0]! }), performRitual(second, { playerId: seats[1]! })];
  const final = await ended(first, 'the ritual', 120_000);
  stops.forEach((stop) => stop());
  await Promise.all([first.leave(), second.leave()]);
  const unlocks = [...final.codexEntries, ...final.anointments].join(', ');
  return `ritual: ${final.outcome} (${final.endReason}), score ${final.score}, ${final.missteps} missteps${unlocks ? `; unlocks ${unlocks}` : ''}`;
}

try {
  const outcomes = await Promise.all([battle(), raid(), ritual()]);
  console.log(`\n${outcomes.join('\n')}`);
  process.exit(0);
} catch (error) {
  const reason = error instanceof Error ? error.message : String(error);
  console.error(`demo: ${/ECONNREFUSED|fetch failed/.test(reason) ? `no server at ${url} (start one with npm start)` : reason}`);
  process.exit(1);
}
