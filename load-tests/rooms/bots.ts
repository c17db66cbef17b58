// The bots of `npm run bench:rooms`, in their own process: ROOMS battles of PER_ROOM
// players each, every player a real @colyseus/sdk client sending a command about every
// RATE_MS. Each bot times its commands from send until their effect is in its state
// (its seat's lastRef) or their refusal arrives. A finished battle is followed at once
// by a rematch, so the load holds. Driven by its parent over IPC: reset, report.
import type { Client, Room } from '@colyseus/sdk';
import { performance } from 'node:perf_hooks';
import type { BattleView } from '../../rooms/battle/state.ts';
import type { Refused } from '../../rooms/shared/messages.ts';
import { SignedInClient, tokenMinter } from '../../infra/testing/signedIn.ts';
import { nextCast } from '../bots/battleBot.ts';

const url = process.env.URL!;
const rooms = Number(process.env.ROOMS ?? 500);
const perRoom = Number(process.env.PER_ROOM ?? 4);
const rateMs = Number(process.env.RATE_MS ?? 500);
// Each bot joins with a session token for its own player, signed with the server's key.
const tokenFor = tokenMinter(process.env.PANTHEON_JWT_SECRET);

let latencies: number[] = [];
let refused = 0;
let accepted = 0;

type Bot = { playerId: string; client: Client; room?: Room<BattleView>; sent: Map<string, number>; seq: number; seen: string };

function setupFor(group: number) {
  const half = perRoom / 2;
  const charts = [
    { sun: 'aries', moon: 'leo', rising: 'sagittarius' },
    { sun: 'cancer', moon: 'pisces', rising: 'virgo' },
    { sun: 'gemini', moon: 'libra', rising: 'taurus' },
  ];
  return {
    participants: Array.from({ length: perRoom }, (_, i) => ({
      playerId: `g${group}p${i}`,
      side: i < half ? 'a' : 'b',
      oracles: [{ oracleId: `g${group}p${i}-o`, name: `Oracle ${i}`, chart: charts[i % charts.length] }],
    })),
    countdownTicks: 20,
    tickLimit: 20 * 600,
  };
}

function watch(bot: Bot, room: Room<BattleView>) {
  bot.room = room;
  room.onMessage('room/status', () => {});
  room.onMessage('refused', (message: Refused) => {
    const sentAt = message.ref ? bot.sent.get(message.ref) : undefined;
    if (sentAt === undefined) return;
    bot.sent.delete(message.ref!);
    latencies.push(performance.now() - sentAt);
    refused++;
  });
  room.onStateChange((state) => {
    const ref = state.seats?.get(bot.playerId)?.lastRef;
    if (!ref || ref === bot.seen) return;
    bot.seen = ref;
    const sentAt = bot.sent.get(ref);
    if (sentAt === undefined) return;
    bot.sent.delete(ref);
    latencies.push(performance.now() - sentAt);
    accepted++;
  });
}

async function openGroup(group: number, bots: Bot[]): Promise<void> {
  const [leader, ...rest] = bots;
  const room = await leader!.client.create<BattleView>('battle', { setup: setupFor(group), playerId: leader!.playerId });
  watch(leader!, room);
  await Promise.all(rest.map(async (bot) => watch(bot, await bot.client.joinById<BattleView>(room.roomId, { playerId: bot.playerId }))));
  let rematching = false;
  room.onStateChange((state) => {
    if (state.status !== 'ended' || rematching) return;
    rematching = true;
    const finished = bots.map((bot) => bot.room);
    for (const bot of bots) bot.room = undefined;
    void Promise.all(finished.map((r) => r?.leave().catch(() => undefined)))
      .then(() => openGroup(group, bots))
      .catch((error: unknown) => console.error(`rematch of group ${group} failed:`, error));
  });
}

function act(bot: Bot) {
  const cast = nextCast(bot.room?.state, bot.playerId, bot.seq);
  if (!cast) return;
  const ref = `${bot.playerId}:${++bot.seq}`;
  bot.sent.set(ref, performance.now());
  bot.room!.send('CastAbility', { ...cast, ref });
}

const groups: Bot[][] = Array.from({ length: rooms }, (_, g) =>
  Array.from({ length: perRoom }, (_, i) => ({ playerId: `g${g}p${i}`, client: new SignedInClient(url, tokenFor), sent: new Map(), seq: 0, seen: '' })),
);
for (let g = 0; g < rooms; g += 20) await Promise.all(groups.slice(g, g + 20).map((bots, i) => openGroup(g + i, bots)));
const bots = groups.flat();
bots.forEach((bot, i) => setTimeout(() => setInterval(() => act(bot), rateMs), (rateMs * i) / bots.length));
process.send?.({ joined: bots.filter((bot) => bot.room).length });

process.on('message', (message: { cmd: string }) => {
  if (message.cmd === 'reset') {
    latencies = [];
    refused = 0;
    accepted = 0;
  } else if (message.cmd === 'report') {
    process.send?.({ latencies, accepted, refused, connected: bots.filter((bot) => bot.room).length });
  } else if (message.cmd === 'stop') {
    process.exit(0);
  }
});
