// Which client is calling: `X-Pantheon-Client: <platform>/<version>` (`steam/1.4.2`) and,
// optionally, `X-Pantheon-Region: eu`. Sign-in refuses a build older than its platform's
// minimum (recorded in the log: MinimumClientVersionSet) with `client/outdated` (426), so
// the client can send the player to the store; a client that sends no header is not judged.
import { z } from 'zod';
import { belowMinimum } from '../../commands/flags/evaluate.ts';
import { ClientVersion, Platform, Region } from '../../commands/flags/model.ts';
import type { LiveOpsRegistry } from '../../commands/flags/registry.ts';
import { HttpError, type Route } from '../http/route.ts';

export const CLIENT_HEADER = 'x-pantheon-client';
export const REGION_HEADER = 'x-pantheon-region';

export const clientCodes = {
  /** The client's build is older than its platform's minimum: update it. */
  outdated: 'client/outdated',
  /** X-Pantheon-Client or X-Pantheon-Region is malformed. */
  invalidHeader: 'client/invalid_header',
} as const;

export const ClientHeader = z
  .string()
  .max(100)
  .regex(/^[a-z]+\/\S+$/, 'X-Pantheon-Client is <platform>/<version>, e.g. steam/1.4.2')
  .transform((text, ctx) => {
    const [platform, version] = [text.slice(0, text.indexOf('/')), text.slice(text.indexOf('/') + 1)];
    const parsed = z.strictObject({ platform: Platform, version: ClientVersion }).safeParse({ platform, version });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: `X-Pantheon-Client ${String(issue.path[0])}: ${issue.message}` });
      return z.NEVER;
    }
    return parsed.data;
  });
export type ClientHeader = z.output<typeof ClientHeader>;

export type CallingClient = { platform?: Platform; clientVersion?: string; region?: string };

/** The calling client as its headers say; malformed headers are refused with client/invalid_header. */
export function callingClient(headers: Headers | undefined): CallingClient {
  const client = headers?.get(CLIENT_HEADER) ?? null;
  const region = headers?.get(REGION_HEADER) ?? null;
  const parsedClient = client === null ? undefined : ClientHeader.safeParse(client);
  if (parsedClient && !parsedClient.success) throw new HttpError(400, clientCodes.invalidHeader, parsedClient.error.issues.map((i) => i.message).join('; '));
  const parsedRegion = region === null ? undefined : Region.safeParse(region);
  if (parsedRegion && !parsedRegion.success) throw new HttpError(400, clientCodes.invalidHeader, `X-Pantheon-Region: ${parsedRegion.error.issues[0]!.message}`);
  return {
    ...(parsedClient?.success ? { platform: parsedClient.data.platform, clientVersion: parsedClient.data.version } : {}),
    ...(parsedRegion?.success ? { region: parsedRegion.data } : {}),
  };
}

/** Refuses a client below its platform's minimum version. */
export function checkClientVersion(registry: LiveOpsRegistry, client: CallingClient): void {
  if (!client.platform || !client.clientVersion) return;
  const minimum = registry.state.minimumVersions[client.platform];
  if (belowMinimum(client.clientVersion, minimum)) {
    throw new HttpError(426, clientCodes.outdated, `${client.platform} clients need version ${minimum} or later; this is ${client.clientVersion}: update the game`, { 'x-pantheon-minimum-version': minimum! });
  }
}

/** The routes a client signs in through, which turn an outdated build away. */
export const signInRoutes = new Set(['signInGuest', 'signInSteam', 'signInDiscord', 'refreshSession']);

/** Wraps the sign-in routes so an outdated client is refused before anything else happens. */
export function gateSignIn(registry: LiveOpsRegistry) {
  return (routes: readonly Route[]): Route[] =>
    routes.map((route) => {
      if (!signInRoutes.has(route.name)) return route;
      return {
        ...route,
        refusals: { ...route.refusals, 426: 'This client build is older than its platform’s minimum (client/outdated); see X-Pantheon-Minimum-Version' },
        async handle(input) {
          checkClientVersion(registry, callingClient(input.request?.headers));
          return route.handle(input);
        },
      };
    });
}
