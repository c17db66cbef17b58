// The client half of `npm run check:uws` (infra/dev/uws-check.sh): against a server
// already running on UWS_CHECK_PORT, two @colyseus/sdk clients open a battle, the first
// casts an ability tagged with a ref, and the seat's synced `lastRef` must show it. Both
// sign in as guests first (POST /auth/guest) and join with their session tokens.
// Also GET /healthz must answer 200. Exits 0 when every step passed, 1 otherwise.
import { Client, type Room } from '@colyseus/sdk';
import { duelSetup } from '../../rooms/battle/testing/fixtures.e2e.ts';
import type { Refused } from '../../rooms/shared/messages.ts';
import type { BattleView } from '../../rooms/battle/state.ts';

const port = Number(process.env.UWS_CHECK_PORT);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`uws-client: UWS_CHECK_PORT=${JSON.stringify(process.env.UWS_CHECK_PORT)} is not a port (example: UWS_CHECK_PORT=2567)`);
  process.exit(2);
}
const host = process.env.UWS_CHECK_HOST ?? '127.0.0.1';
const STEP_MS = 15_000;

const step = (text: string) => console.log(`uws-client: ${text}`);

/** Resolves when `predicate` holds for the synced state (checked on every patch). */
function until(room: Room<any, BattleView>, predicate: (state: BattleView) => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const holds = () => {
      try {
        return room.state !== undefined && predicate(room.state);
      } catch {
        return false; // fields still missing before the first full state
      }
    };
    const check = () => {
      if (!holds()) return;
      clearTimeout(timer);
      queueMicrotask(() => room.onStateChange.remove(check));
      resolve();
    };
    const timer = setTimeout(() => {
      room.onStateChange.remove(check);
      reject(new Error(`timed out after ${STEP_MS} ms waiting for ${what}`));
    }, STEP_MS);
    room.onStateChange(check);
    check();
  });
}

async function main(): Promise<void> {
  const url = `ws://${host}:${port}`;
  const refusals: Refused[] = [];

  const health = await fetch(`http://${host}:${port}/healthz`);
  const body = await health.text();
  if (health.status !== 200) throw new Error(`GET /healthz answered ${health.status}: ${body}`);
  step(`GET /healthz -> ${health.status} ${body}`);

  const signIn = async (deviceId: string) => {
    const response = await fetch(`http://${host}:${port}/auth/guest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId }) });
    const session = (await response.json()) as { playerId?: string; accessToken?: string; error?: { code: string } };
    if (response.status !== 200 || !session.playerId || !session.accessToken) throw new Error(`POST /auth/guest answered ${response.status}: ${session.error?.code ?? ''}`);
    const client = new Client(url);
    client.auth.token = session.accessToken;
    return { playerId: session.playerId, client };
  };
  const [a, b] = [await signIn(`uws-check-a-${String(process.pid).padStart(8, "0")}`), await signIn(`uws-check-b-${String(process.pid).padStart(8, "0")}`)];
  const [p1, p2] = [a.playerId, b.playerId];
  step(`signed in as guests ${p1} and ${p2}`);

  const r1 = await a.client.create<BattleView>('battle', duelSetup(p1, p2));
  step(`created battle room ${r1.roomId} as ${p1}`);
  const r2 = await b.client.joinById<BattleView>(r1.roomId);
  step(`joined room ${r2.roomId} as ${p2}`);
  for (const room of [r1, r2]) {
    room.onMessage('refused', (message: Refused) => refusals.push(message));
    room.onMessage('room/status', () => {});
    await until(room, (s) => s.oracles.size === 2 && s.seats.size === 2, 'the line-up');
  }
  step(`both clients see 2 oracles and 2 seats (tick ${r1.state.tick})`);

  const caster = r1.state.oracles.get(`${p1}-o1`);
  const abilityId = caster?.abilities[0];
  if (!caster || !abilityId) throw new Error(`no oracle ${p1}-o1 with abilities in the synced state`);
  const ref = `uws-check-${process.pid}`;
  r1.send('CastAbility', { oracleId: caster.oracleId, abilityId, targetId: `${p2}-o1`, ref });
  step(`sent CastAbility ${abilityId} ${caster.oracleId} -> ${p2}-o1 with ref ${ref}`);
  await Promise.race([
    until(r1, (s) => s.seats.get(p1)?.lastRef === ref, `seat ${p1}'s lastRef to become ${ref}`),
    new Promise<never>((_, reject) => {
      const poll = setInterval(() => {
        const refused = refusals.find((r) => r.ref === ref);
        if (refused) {
          clearInterval(poll);
          reject(new Error(`the command was refused: ${JSON.stringify(refused)}`));
        }
      }, 50);
      setTimeout(() => clearInterval(poll), STEP_MS).unref();
    }),
  ]);
  const cooldowns = r1.state.oracles.get(caster.oracleId)?.cooldowns.length ?? 0;
  step(`synced state shows seat ${p1} lastRef=${r1.state.seats.get(p1)?.lastRef} (own cooldowns: ${cooldowns}, tick ${r1.state.tick})`);

  await Promise.all([r1.leave(), r2.leave()]);
  step('both clients left');
}

const deadline = setTimeout(() => {
  console.error('uws-client: FAIL: did not finish within 60 s');
  process.exit(1);
}, 60_000);

main().then(
  () => {
    clearTimeout(deadline);
    step('all client checks passed');
    process.exit(0);
  },
  (error: unknown) => {
    clearTimeout(deadline);
    console.error(`uws-client: FAIL: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
