// The HTTP API from a page: same-origin JSON, bearer tokens, refusals as ApiError with the
// server's stable code ({ error: { code, message } }, docs/protocol.md).

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

export async function api<T>(path: string, options: { method?: 'GET' | 'POST'; body?: unknown; token?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const init: RequestInit = { method: options.method ?? 'GET', headers };
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  } else if (options.method === 'POST') {
    headers['content-type'] = 'application/json';
    init.body = '{}';
  }
  const response = await fetch(path, init);
  const text = await response.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? `http/${response.status}`, error?.message ?? response.statusText);
  }
  return json as T;
}

/** `code: text` of a Colyseus MatchMakeError (docs/protocol.md, Join and create errors). */
export function joinErrorCode(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const match = /^([a-z]+\/[a-z_]+)/.exec(message);
  return match?.[1] ?? 'room/join_failed';
}
