// The client conformance kit's machinery: steps run in order against a running server, each
// with a deadline, each reported pass or fail; a step whose prerequisite failed is reported
// as failed without running. Clients here are plain @colyseus/sdk clients and fetch: what any
// client developer has, and nothing of the server's internals.
import { Client, type Room } from '@colyseus/sdk';

export type StepResult = { step: string; ok: boolean; ms: number; detail: string };
export type Step = { name: string; needs?: readonly string[]; timeoutMs?: number; run(): Promise<string | void> };

export class StepFailed extends Error {}

/** Fails the step with `message` unless `condition` holds. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new StepFailed(message);
}

export async function runSteps(steps: readonly Step[], report: (result: StepResult) => void = () => {}): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const passed = new Set<string>();
  for (const step of steps) {
    const started = performance.now();
    const missing = (step.needs ?? []).filter((name) => !passed.has(name));
    let result: StepResult;
    if (missing.length > 0) {
      result = { step: step.name, ok: false, ms: 0, detail: `not run: needs ${missing.join(', ')}` };
    } else {
      try {
        const detail = await withDeadline(step.run(), step.timeoutMs ?? 20_000, step.name);
        result = { step: step.name, ok: true, ms: Math.round(performance.now() - started), detail: detail ?? '' };
        passed.add(step.name);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        result = { step: step.name, ok: false, ms: Math.round(performance.now() - started), detail: message.replaceAll('\n', ' ') };
      }
    }
    results.push(result);
    report(result);
  }
  return results;
}

async function withDeadline<T>(work: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepFailed(`${name}: no result within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A server as a client sees it: its WebSocket and HTTP addresses. */
export type Target = { ws: string; http: string };

export function targetOf(url: string): Target {
  const parsed = new URL(url);
  const http = `${parsed.protocol === 'wss:' ? 'https:' : 'http:'}//${parsed.host}${parsed.pathname.replace(/\/$/, '')}`;
  return { ws: url.replace(/\/$/, ''), http };
}

export type Session = { playerId: string; accessToken: string; refreshToken: string };

export async function postJson(target: Target, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${target.http}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}

export async function signIn(target: Target, deviceId: string): Promise<Session> {
  const { status, body } = await postJson(target, '/auth/guest', { deviceId });
  check(status === 200, `POST /auth/guest answered ${status} ${JSON.stringify(body).slice(0, 200)}`);
  return body as unknown as Session;
}

export function clientFor(target: Target, token: string | undefined): Client {
  const client = new Client(target.ws);
  if (token !== undefined) client.auth.token = token;
  return client;
}

export type Refusal = { code: string; message: string; commandType: string; ref?: string };

/** A room with the handlers every client registers, and what it was told. */
export type Watched = { room: Room; refusals: Refusal[]; statuses: string[]; closed?: number };

export function watch(room: Room): Watched {
  const watched: Watched = { room, refusals: [], statuses: [] };
  room.onMessage('refused', (refusal: Refusal) => watched.refusals.push(refusal));
  room.onMessage('room/status', (message: { status: string }) => watched.statuses.push(message.status));
  // Other messages a room may send (spectator summaries, matchmaking) are read where awaited.
  room.onMessage('*', () => {});
  room.onLeave((code: number) => { watched.closed = code; });
  return watched;
}

/** Polls the room's state until `predicate` holds. */
export async function until<S>(room: Room, predicate: (state: S) => boolean, what: string, timeoutMs = 15_000): Promise<S> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = room.state as S;
    if (state && predicate(state)) return state;
    if (Date.now() > deadline) throw new StepFailed(`waited ${timeoutMs / 1000} s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits for the refusal of the command sent with `ref`. */
export async function refusalOf(watched: Watched, ref: string, timeoutMs = 10_000): Promise<Refusal> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = watched.refusals.find((refusal) => refusal.ref === ref);
    if (found) return found;
    if (Date.now() > deadline) throw new StepFailed(`no refusal arrived for ${ref}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The code of a failed create or join: the SDK's MatchMakeError message is "<code>: <text>". */
export async function joinRefusal(attempt: Promise<unknown>): Promise<string> {
  try {
    await attempt;
  } catch (error) {
    return (error instanceof Error ? error.message : String(error)).split(': ')[0]!;
  }
  throw new StepFailed('the join or create was accepted');
}

/** A message of `type` from the room (registered before it can arrive). */
export function nextMessage<T>(room: Room, type: string, timeoutMs = 15_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new StepFailed(`no ${type} message within ${timeoutMs / 1000} s`)), timeoutMs);
    room.onMessage(type, (message: T) => {
      clearTimeout(timer);
      resolve(message);
    });
  });
}
