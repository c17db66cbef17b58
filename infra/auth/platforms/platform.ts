// What every platform verifier shares: the identity a platform vouches for, the refusals
// a client sees, and one HTTP call with a deadline that turns network trouble into
// `auth/platform_unavailable` (the person did nothing wrong; try again later).
import type { Identity } from '../../../commands/account/model.ts';

export type Vouched = { identity: Identity; displayName: string | null };

export const platformCodes = {
  rejected: 'auth/platform_rejected',
  banned: 'auth/platform_banned',
  unavailable: 'auth/platform_unavailable',
  notConfigured: 'auth/platform_not_configured',
} as const;

/** The platform said no (an invalid or expired ticket or code), or cannot answer. */
export class PlatformRefused extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PlatformRefused';
    this.code = code;
  }
}

export type PlatformResponse = { status: number; body: unknown };

/** One request to a platform, answered within `timeoutMs`; any failure to get a JSON answer is `unavailable`. */
export async function callPlatform(platform: string, url: string, init: RequestInit, timeoutMs: number): Promise<PlatformResponse> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  } catch (error) {
    throw new PlatformRefused(platformCodes.unavailable, `${platform} cannot be reached; try again shortly`, { cause: error });
  }
  if (response.status >= 500) {
    await response.body?.cancel();
    throw new PlatformRefused(platformCodes.unavailable, `${platform} is not answering (HTTP ${response.status}); try again shortly`);
  }
  const text = await response.text().catch(() => '');
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch (error) {
    throw new PlatformRefused(platformCodes.unavailable, `${platform} answered something that is not JSON (HTTP ${response.status}); try again shortly`, { cause: error });
  }
}
