// The verifiers a configuration turns on: one per platform whose credentials are all set.
import { appleVerifier } from './apple.ts';
import type { PurchaseConfig } from './config.ts';
import { discordVerifier } from './discord.ts';
import { googlePlayVerifier } from './googlePlay.ts';
import { defaultHttp, type HttpPort } from './http.ts';
import { steamVerifier } from './steam.ts';
import type { Verifier } from './verification.ts';

export type VerifierPorts = {
  /** Defaults to global fetch with PURCHASE_VERIFY_TIMEOUT_MS. */
  readonly http?: HttpPort;
  /** The clock signed tokens and certificate validity are checked against. */
  readonly now?: () => Date;
};

export function createVerifiers(config: PurchaseConfig, ports: VerifierPorts = {}): Verifier<unknown>[] {
  const http = ports.http ?? defaultHttp(config.PURCHASE_VERIFY_TIMEOUT_MS);
  const now = ports.now ?? (() => new Date());
  const verifiers: Verifier<unknown>[] = [];
  if (config.STEAM_WEB_API_KEY && config.STEAM_APP_ID) {
    verifiers.push(steamVerifier({ baseUrl: config.STEAM_API_BASE_URL, webApiKey: config.STEAM_WEB_API_KEY, appId: config.STEAM_APP_ID, sandbox: config.STEAM_USE_SANDBOX }, http));
  }
  if (config.APPLE_ISSUER_ID && config.APPLE_KEY_ID && config.APPLE_PRIVATE_KEY && config.APPLE_BUNDLE_ID && config.APPLE_ROOT_CERTIFICATES) {
    verifiers.push(appleVerifier({
      baseUrl: config.APPLE_API_BASE_URL, issuerId: config.APPLE_ISSUER_ID, keyId: config.APPLE_KEY_ID, privateKey: config.APPLE_PRIVATE_KEY,
      bundleId: config.APPLE_BUNDLE_ID, environment: config.APPLE_ENVIRONMENT, rootCertificates: config.APPLE_ROOT_CERTIFICATES,
    }, http, now));
  }
  if (config.GOOGLE_PLAY_PACKAGE_NAME && config.GOOGLE_SERVICE_ACCOUNT_EMAIL && config.GOOGLE_SERVICE_ACCOUNT_PRIVATE_KEY) {
    verifiers.push(googlePlayVerifier({
      baseUrl: config.GOOGLE_PLAY_API_BASE_URL, tokenUrl: config.GOOGLE_OAUTH_TOKEN_URL, packageName: config.GOOGLE_PLAY_PACKAGE_NAME,
      serviceAccountEmail: config.GOOGLE_SERVICE_ACCOUNT_EMAIL, privateKey: config.GOOGLE_SERVICE_ACCOUNT_PRIVATE_KEY,
    }, http, now));
  }
  if (config.DISCORD_APPLICATION_ID && config.DISCORD_BOT_TOKEN) {
    verifiers.push(discordVerifier({ baseUrl: config.DISCORD_API_BASE_URL, applicationId: config.DISCORD_APPLICATION_ID, botToken: config.DISCORD_BOT_TOKEN }, http));
  }
  return verifiers;
}
