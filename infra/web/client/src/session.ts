// Who the page is: a guest session (player id, roles, access and refresh tokens) kept in
// localStorage and refreshed before it expires, or a watch-only token for spectators. A
// session the server no longer takes (expired and not refreshable) is dropped, and the page
// goes back to sign-in.
import { api, ApiError } from './api.ts';

export type Session = {
  playerId: string;
  roles: string[];
  displayName: string | null;
  accessToken: string;
  refreshToken: string;
  /** ms since the epoch, by this browser's clock. */
  expiresAt: number;
};

type SessionBody = Omit<Session, 'expiresAt'> & { expiresIn: number };

const SESSION_KEY = 'pantheon.session';
const DEVICE_KEY = 'pantheon.device';
const WATCH_KEY = 'pantheon.watch';

export class SessionExpired extends Error {
  constructor(message = 'Your session has expired: sign in again.') {
    super(message);
    this.name = 'SessionExpired';
  }
}

function randomId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `${prefix}-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** This browser's device id (a guest's identity): kept, so the same browser is the same player. */
export function deviceId(): string {
  let id = localStorage.getItem(DEVICE_KEY);
  if (!id) {
    id = randomId('web');
    localStorage.setItem(DEVICE_KEY, id);
  }
  return id;
}

function save(body: SessionBody): Session {
  const { expiresIn, ...rest } = body;
  const session: Session = { playerId: rest.playerId, roles: rest.roles, displayName: rest.displayName, accessToken: rest.accessToken, refreshToken: rest.refreshToken, expiresAt: Date.now() + expiresIn * 1000 };
  localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return session;
}

export function storedSession(): Session | null {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function signOut(): void {
  const session = storedSession();
  localStorage.removeItem(SESSION_KEY);
  if (session) void api('/auth/logout', { method: 'POST', body: { refreshToken: session.refreshToken } }).catch(() => {});
}

export async function signInGuest(displayName: string | undefined, device: string = deviceId()): Promise<Session> {
  const body = displayName ? { deviceId: device, displayName } : { deviceId: device };
  return save(await api<SessionBody>('/auth/guest', { method: 'POST', body }));
}

/** A separate guest identity for a bot this browser plays against (kept like the device id). */
export async function signInBot(): Promise<Session> {
  const key = 'pantheon.botDevice';
  let device = localStorage.getItem(key);
  if (!device) {
    device = randomId('bot');
    localStorage.setItem(key, device);
  }
  const body = await api<SessionBody>('/auth/guest', { method: 'POST', body: { deviceId: device, displayName: 'Automaton' } });
  return { playerId: body.playerId, roles: body.roles, displayName: body.displayName, accessToken: body.accessToken, refreshToken: body.refreshToken, expiresAt: Date.now() + body.expiresIn * 1000 };
}

let refreshing: Promise<Session> | null = null;

/**
 * The stored session with an access token good for at least a minute more, refreshed if
 * needed; SessionExpired (and the session dropped) when the server takes it no more.
 */
export async function freshSession(): Promise<Session> {
  const session = storedSession();
  if (!session) throw new SessionExpired('Sign in to play.');
  if (session.expiresAt - Date.now() > 60_000) return session;
  refreshing ??= api<SessionBody>('/auth/refresh', { method: 'POST', body: { refreshToken: session.refreshToken } })
    .then(save)
    .catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 401) {
        localStorage.removeItem(SESSION_KEY);
        throw new SessionExpired();
      }
      throw error;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

/**
 * Checks the session with the server (a token the clock says is good may still be refused:
 * another server key, a revoked sign-in); refreshes once on auth/expired_token.
 */
export async function verifiedSession(): Promise<Session> {
  let session = await freshSession();
  try {
    await api(`/players/${encodeURIComponent(session.playerId)}/account`, { token: session.accessToken });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    session = { ...session, expiresAt: 0 };
    localStorage.setItem(SESSION_KEY, JSON.stringify(session));
    session = await freshSession();
  }
  return session;
}

/** A watch-only token (POST /auth/spectator), kept for this tab while it is good. */
export async function watchToken(): Promise<string> {
  try {
    const cached = JSON.parse(sessionStorage.getItem(WATCH_KEY) ?? 'null') as { token: string; expiresAt: number } | null;
    if (cached && cached.expiresAt - Date.now() > 60_000) return cached.token;
  } catch {
    // a broken entry is replaced
  }
  const body = await api<{ accessToken: string; expiresIn: number }>('/auth/spectator', { method: 'POST' });
  sessionStorage.setItem(WATCH_KEY, JSON.stringify({ token: body.accessToken, expiresAt: Date.now() + body.expiresIn * 1000 }));
  return body.accessToken;
}
