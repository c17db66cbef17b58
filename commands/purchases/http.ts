// The one way verifiers call a platform: fetch with a deadline, where every answer that
// does not say anything about the receipt (no answer, a timeout, 5xx, 429, our credentials
// refused, a body that is not JSON) becomes PlatformUnavailable.
import type { Platform } from '../wallet/model.ts';
import { PlatformUnavailable } from './verification.ts';

export type HttpPort = {
  readonly fetch: typeof globalThis.fetch;
  readonly timeoutMs: number;
};

export const defaultHttp = (timeoutMs = 5000): HttpPort => ({ fetch: globalThis.fetch, timeoutMs });

export type HttpAnswer = { readonly status: number; readonly body: unknown };

export async function callPlatform(platform: Platform, http: HttpPort, url: URL, init: RequestInit = {}): Promise<HttpAnswer> {
  // Query strings may hold keys (Steam): errors name the path only.
  const where = `${init.method ?? 'GET'} ${url.origin}${url.pathname}`;
  let response: Response;
  try {
    response = await http.fetch(url, { ...init, signal: AbortSignal.timeout(http.timeoutMs) });
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${http.timeoutMs} ms` : 'could not be reached';
    throw new PlatformUnavailable(platform, `${where} ${reason}`, { cause: error });
  }
  const text = await response.text().catch(() => '');
  if (response.status >= 500 || response.status === 429) {
    throw new PlatformUnavailable(platform, `${where} answered ${response.status}`);
  }
  if (response.status === 401 || response.status === 403) {
    throw new PlatformUnavailable(platform, `${where} refused our credentials (${response.status}); check the configuration`);
  }
  if (text === '') return { status: response.status, body: null };
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch (error) {
    throw new PlatformUnavailable(platform, `${where} answered ${response.status} with a body that is not JSON`, { cause: error });
  }
}
