// Test support: Discord stand-in for application entitlements (get and consume) under
// /api/v10, checking the bot token, in Discord's shapes and error codes.
import { startHttpStandIn, type HttpStandIn } from './httpStandIn.ts';

export type Entitlement = {
  id: string;
  sku_id: string;
  application_id: string;
  user_id: string;
  /** 1 purchase, 4 test mode purchase, 8 application subscription. */
  type: number;
  deleted: boolean;
  consumed: boolean;
};

export type DiscordStandIn = HttpStandIn & {
  /** DISCORD_API_BASE_URL */
  readonly baseUrl: string;
  readonly entitlements: Map<string, Entitlement>;
  addEntitlement(id: string, skuId: string, options?: Partial<Entitlement>): Entitlement;
};

export async function startDiscordStandIn(credentials: { applicationId: string; botToken: string }): Promise<DiscordStandIn> {
  const entitlements = new Map<string, Entitlement>();
  const standIn = await startHttpStandIn((request) => {
    const match = /^\/api\/v10\/applications\/(\d+)\/entitlements\/(\d+)(\/consume)?$/.exec(request.path);
    if (!match) return undefined;
    if (request.headers.authorization !== `Bot ${credentials.botToken}`) return { status: 401, json: { message: '401: Unauthorized', code: 0 } };
    const [, applicationId, id, consume] = match;
    if (applicationId !== credentials.applicationId) return { status: 403, json: { message: 'Missing Access', code: 50001 } };
    const entitlement = entitlements.get(id!);
    if (!entitlement) return { status: 404, json: { message: 'Unknown Entitlement', code: 10070 } };
    if (consume) {
      if (request.method !== 'POST') return undefined;
      entitlement.consumed = true;
      return { status: 204 };
    }
    if (request.method !== 'GET') return undefined;
    return { status: 200, json: { ...entitlement, starts_at: null, ends_at: null, gift_code_flags: 0 } };
  });
  return Object.assign(standIn, {
    baseUrl: `${standIn.origin}/api/v10`,
    entitlements,
    addEntitlement(id: string, skuId: string, options: Partial<Entitlement> = {}) {
      const entitlement: Entitlement = {
        id, sku_id: skuId, application_id: credentials.applicationId, user_id: '80351110224678912', type: 1, deleted: false, consumed: false, ...options,
      };
      entitlements.set(id, entitlement);
      return entitlement;
    },
  });
}
