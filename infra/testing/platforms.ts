// Test support: local stand-ins for the platforms sign-in asks, speaking their real API
// shapes over node:http. Steam: GET /ISteamUserAuth/AuthenticateUserTicket/v1/?key&appid&ticket.
// Discord: POST /api/oauth2/token (form-encoded code exchange), GET /api/users/@me.
// Each can be told to be down (HTTP 503) or to vanish (connection refused).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Mode = 'up' | 'down';

export type StandIn = {
  /** Base URL to configure the server with. */
  baseUrl: string;
  mode: Mode;
  /** Requests it answered, for assertions. */
  requests: Array<{ method: string; path: string; query: Record<string, string>; body: string }>;
  close(): Promise<void>;
};

async function listen(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<{ server: Server; port: number; requests: StandIn['requests'] }> {
  const requests: StandIn['requests'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://standin');
      requests.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, requests };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
};

const close = (server: Server) => new Promise<void>((resolve) => {
  server.closeAllConnections();
  server.close(() => resolve());
});

export type SteamTicketInfo = { steamid: string; publisherbanned?: boolean; vacbanned?: boolean; expired?: boolean };

/** Steam's ISteamUserAuth, answering for the tickets it was given. */
export async function steamStandIn(options: { key: string; appId: number; tickets: Map<string, SteamTicketInfo> }): Promise<StandIn> {
  const state = { mode: 'up' as Mode };
  const { server, port, requests } = await listen((req, _body, res) => {
    const url = new URL(req.url ?? '/', 'http://standin');
    if (state.mode === 'down') return json(res, 503, { message: 'Service Unavailable' });
    if (req.method !== 'GET' || url.pathname !== '/ISteamUserAuth/AuthenticateUserTicket/v1/') return json(res, 404, {});
    // Steam answers a wrong key with an HTML 403.
    if (url.searchParams.get('key') !== options.key) {
      res.writeHead(403, { 'content-type': 'text/html' });
      res.end('<html><head><title>Forbidden</title></head><body><h1>Forbidden</h1>Access is denied. Retrying will not help. Please verify your <pre>key=</pre> parameter.</body></html>');
      return;
    }
    if (url.searchParams.get('appid') !== String(options.appId)) return json(res, 200, { response: { error: { errorcode: 3, errordesc: 'Invalid parameter' } } });
    const info = options.tickets.get(url.searchParams.get('ticket') ?? '');
    if (!info || info.expired) return json(res, 200, { response: { error: { errorcode: 101, errordesc: 'Invalid ticket' } } });
    return json(res, 200, {
      response: {
        params: { result: 'OK', steamid: info.steamid, ownersteamid: info.steamid, vacbanned: info.vacbanned ?? false, publisherbanned: info.publisherbanned ?? false },
      },
    });
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    get mode() {
      return state.mode;
    },
    set mode(mode: Mode) {
      state.mode = mode;
    },
    requests,
    close: () => close(server),
  };
}

export type DiscordUser = { id: string; username: string; global_name: string | null };

/** Discord's OAuth2 token endpoint and /users/@me, under /api. A code is good once, and not once expired. */
export async function discordStandIn(options: { clientId: string; clientSecret: string; redirectUri: string; codes: Map<string, { user: DiscordUser; expired?: boolean }> }): Promise<StandIn> {
  const state = { mode: 'up' as Mode };
  const used = new Set<string>();
  const tokens = new Map<string, DiscordUser>();
  let issued = 0;
  const { server, port, requests } = await listen((req, body, res) => {
    const url = new URL(req.url ?? '/', 'http://standin');
    if (state.mode === 'down') return json(res, 502, { message: 'Bad Gateway' });
    if (req.method === 'POST' && url.pathname === '/api/oauth2/token') {
      if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) return json(res, 400, { error: 'invalid_request' });
      const form = new URLSearchParams(body);
      if (form.get('client_id') !== options.clientId || form.get('client_secret') !== options.clientSecret) return json(res, 401, { error: 'invalid_client' });
      if (form.get('grant_type') !== 'authorization_code') return json(res, 400, { error: 'unsupported_grant_type' });
      if (form.get('redirect_uri') !== options.redirectUri) return json(res, 400, { error: 'invalid_grant', error_description: 'Invalid "redirect_uri" in request.' });
      const code = form.get('code') ?? '';
      const grant = options.codes.get(code);
      if (!grant || grant.expired || used.has(code)) return json(res, 400, { error: 'invalid_grant', error_description: 'Invalid "code" in request.' });
      used.add(code);
      const accessToken = `standin-access-${++issued}`;
      tokens.set(accessToken, grant.user);
      return json(res, 200, { token_type: 'Bearer', access_token: accessToken, expires_in: 604800, refresh_token: `standin-refresh-${issued}`, scope: 'identify' });
    }
    if (req.method === 'GET' && url.pathname === '/api/users/@me') {
      const user = tokens.get(String(req.headers.authorization ?? '').replace(/^Bearer /, ''));
      if (!user) return json(res, 401, { message: '401: Unauthorized', code: 0 });
      return json(res, 200, { ...user, discriminator: '0', avatar: null, public_flags: 0, flags: 0 });
    }
    return json(res, 404, { message: '404: Not Found', code: 0 });
  });
  return {
    baseUrl: `http://127.0.0.1:${port}/api`,
    get mode() {
      return state.mode;
    },
    set mode(mode: Mode) {
      state.mode = mode;
    },
    requests,
    close: () => close(server),
  };
}
