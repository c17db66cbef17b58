// Discord: an entitlement to a consumable SKU, read with the bot token.
//
//   GET  {base}/applications/{application id}/entitlements/{entitlement id}   Authorization: Bot {token}
//   -> {"id","sku_id","application_id","user_id","type","deleted","consumed",…}     404 {"message":"Unknown Entitlement","code":10070}
//   POST {base}/applications/{application id}/entitlements/{entitlement id}/consume   -> 204, once granted
import { z } from 'zod';
import { callPlatform, type HttpPort } from './http.ts';
import { withSlash } from './steam.ts';
import { refused, type Verification, type Verifier } from './verification.ts';

export type DiscordSettings = { baseUrl: string; applicationId: string; botToken: string };

const Snowflake = z.string().regex(/^\d{17,20}$/, 'Discord ids are snowflakes');
export const DiscordReceipt = z.strictObject({ entitlementId: Snowflake });
export type DiscordReceipt = z.infer<typeof DiscordReceipt>;

const Entitlement = z.object({
  id: Snowflake,
  sku_id: Snowflake,
  application_id: Snowflake,
  user_id: Snowflake.optional(),
  /** 1 purchase, 4 test mode purchase, 8 application subscription, … */
  type: z.int(),
  deleted: z.boolean(),
  consumed: z.boolean().optional(),
});

/** Entitlement types a player paid for (or a tester bought in test mode). */
const PURCHASE = 1;
const TEST_MODE_PURCHASE = 4;

export function discordVerifier(settings: DiscordSettings, http: HttpPort): Verifier<DiscordReceipt> {
  const entitlementUrl = (receipt: DiscordReceipt, suffix = '') =>
    new URL(`applications/${settings.applicationId}/entitlements/${receipt.entitlementId}${suffix}`, withSlash(settings.baseUrl));
  const headers = { authorization: `Bot ${settings.botToken}` };
  return {
    platform: 'discord',
    parseReceipt: (input) => {
      const parsed = DiscordReceipt.safeParse(input);
      return parsed.success ? { ok: true, receipt: parsed.data } : { ok: false, message: parsed.error.issues[0]?.message ?? 'not a Discord receipt' };
    },
    receiptId: (receipt) => receipt.entitlementId,
    async verify(receipt): Promise<Verification> {
      const answer = await callPlatform('discord', http, entitlementUrl(receipt), { headers });
      const parsed = Entitlement.safeParse(answer.body);
      if (answer.status !== 200 || !parsed.success) {
        const error = z.object({ message: z.string() }).safeParse(answer.body);
        return refused('purchase/invalid_receipt', `Discord: ${error.success ? error.data.message : `HTTP ${answer.status}`} (entitlement ${receipt.entitlementId})`);
      }
      const entitlement = parsed.data;
      if (entitlement.id !== receipt.entitlementId || entitlement.application_id !== settings.applicationId) {
        return refused('purchase/invalid_receipt', `entitlement ${receipt.entitlementId} is not this application's`);
      }
      if (entitlement.deleted) return refused('purchase/refunded', `Discord deleted entitlement ${receipt.entitlementId} (refunded or revoked)`);
      if (entitlement.type !== PURCHASE && entitlement.type !== TEST_MODE_PURCHASE) {
        return refused('purchase/invalid_receipt', `entitlement ${receipt.entitlementId} is of type ${entitlement.type}, not a purchase`);
      }
      // Consumed without a claim here: it was spent somewhere else.
      if (entitlement.consumed) return refused('purchase/already_granted', `Discord entitlement ${receipt.entitlementId} was already consumed`);
      return {
        ok: true,
        purchase: {
          platform: 'discord', productId: entitlement.sku_id, quantity: 1, platformAccount: entitlement.user_id ?? null,
          environment: entitlement.type === TEST_MODE_PURCHASE ? 'Test' : 'Production', orderReference: null,
        },
      };
    },
    async delivered(receipt) {
      const answer = await callPlatform('discord', http, entitlementUrl(receipt, '/consume'), { method: 'POST', headers });
      if (answer.status >= 300) throw new Error(`Discord did not consume entitlement ${receipt.entitlementId}: HTTP ${answer.status}`);
    },
  };
}
