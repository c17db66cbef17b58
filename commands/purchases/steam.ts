// Steam microtransactions: ISteamMicroTxn/QueryTxn (v3) is the authority on whether an order
// was paid. The game created the order (InitTxn, with its own order id) and finalised it once
// the player approved in the overlay; the receipt a client presents is that order id.
//
//   GET {base}/ISteamMicroTxn/QueryTxn/v3/?key={publisher key}&appid={app}&orderid={order}
//   -> {"response":{"result":"OK","params":{"orderid","transid","steamid","status","items":[…],…}}}
//   -> {"response":{"result":"Failure","error":{"errorcode":…,"errordesc":"…"}}}
import { z } from 'zod';
import { callPlatform, type HttpPort } from './http.ts';
import { refused, type Verification, type Verifier } from './verification.ts';

export type SteamSettings = { baseUrl: string; webApiKey: string; appId: string; sandbox: boolean };

export const SteamReceipt = z.strictObject({ orderId: z.string().regex(/^\d{1,20}$/, 'Steam order ids are unsigned 64-bit integers') });
export type SteamReceipt = z.infer<typeof SteamReceipt>;

const Uint64 = z.union([z.string().regex(/^\d{1,20}$/), z.int().nonnegative()]).transform(String);

const QueryTxnAnswer = z.object({
  response: z.discriminatedUnion('result', [
    z.object({
      result: z.literal('OK'),
      params: z.object({
        orderid: Uint64,
        transid: Uint64,
        steamid: Uint64,
        status: z.string(),
        items: z.array(z.object({ itemid: Uint64, qty: z.int().min(1), itemstatus: z.string().optional() })),
      }),
    }),
    z.object({ result: z.literal('Failure'), error: z.object({ errorcode: z.int(), errordesc: z.string() }) }),
  ]),
});

/** QueryTxn statuses: only Succeeded is paid and final. */
const refundedStatuses = new Set(['Refunded', 'PartialRefund', 'Chargedback', 'RefundedSuspectedFraud', 'RefundedFriendlyFraud']);

export function steamVerifier(settings: SteamSettings, http: HttpPort): Verifier<SteamReceipt> {
  const api = settings.sandbox ? 'ISteamMicroTxnSandbox' : 'ISteamMicroTxn';
  return {
    platform: 'steam',
    parseReceipt: (input) => {
      const parsed = SteamReceipt.safeParse(input);
      return parsed.success ? { ok: true, receipt: parsed.data } : { ok: false, message: parsed.error.issues[0]?.message ?? 'not a Steam receipt' };
    },
    receiptId: (receipt) => receipt.orderId,
    async verify(receipt): Promise<Verification> {
      const url = new URL(`${api}/QueryTxn/v3/`, withSlash(settings.baseUrl));
      url.search = new URLSearchParams({ key: settings.webApiKey, appid: settings.appId, orderid: receipt.orderId }).toString();
      const answer = await callPlatform('steam', http, url);
      const parsed = QueryTxnAnswer.safeParse(answer.body);
      if (answer.status !== 200 || !parsed.success) return refused('purchase/invalid_receipt', `Steam did not recognise order ${receipt.orderId} (HTTP ${answer.status})`);
      const { response } = parsed.data;
      if (response.result === 'Failure') return refused('purchase/invalid_receipt', `Steam: ${response.error.errordesc} (${response.error.errorcode})`);
      const txn = response.params;
      if (txn.orderid !== receipt.orderId) return refused('purchase/invalid_receipt', `Steam answered for order ${txn.orderid}, not ${receipt.orderId}`);
      if (refundedStatuses.has(txn.status)) return refused('purchase/refunded', `Steam order ${receipt.orderId} is ${txn.status}`);
      if (txn.status !== 'Succeeded') return refused('purchase/not_completed', `Steam order ${receipt.orderId} is ${txn.status}, not Succeeded`);
      const [item, ...more] = txn.items;
      // The game sells one item per order (InitTxn with itemcount 1).
      if (!item || more.length > 0) return refused('purchase/invalid_receipt', `Steam order ${receipt.orderId} holds ${txn.items.length} items; one is expected`);
      return {
        ok: true,
        purchase: {
          platform: 'steam', productId: item.itemid, quantity: item.qty, platformAccount: txn.steamid,
          environment: settings.sandbox ? 'Sandbox' : 'Production', orderReference: txn.transid,
        },
      };
    },
  };
}

/** URL resolution drops a base path's last segment unless it ends in a slash. */
export const withSlash = (base: string): string => (base.endsWith('/') ? base : `${base}/`);
