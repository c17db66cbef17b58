// Test support: ISteamMicroTxn stand-in. Answers QueryTxn (v3, live and sandbox interfaces)
// for the orders a test puts in, in Steam's response shape, and checks the publisher key and
// app id the way Steam does (a wrong key gets Steam's 403 page).
import { startHttpStandIn, type HttpStandIn } from './httpStandIn.ts';

export type SteamOrderStatus = 'Init' | 'Approved' | 'Succeeded' | 'Failed' | 'Refunded' | 'PartialRefund' | 'Chargedback' | 'RefundedSuspectedFraud' | 'RefundedFriendlyFraud';

export type SteamOrder = {
  orderid: string;
  transid: string;
  steamid: string;
  status: SteamOrderStatus;
  items: { itemid: number; qty: number; amount: number; vat: number; itemstatus: string }[];
};

export type SteamStandIn = HttpStandIn & {
  readonly orders: Map<string, SteamOrder>;
  /** An order of one item, succeeded unless told otherwise. */
  addOrder(orderId: string, itemId: number, options?: { status?: SteamOrderStatus; steamId?: string; qty?: number }): SteamOrder;
};

export async function startSteamStandIn(credentials: { webApiKey: string; appId: string }): Promise<SteamStandIn> {
  const orders = new Map<string, SteamOrder>();
  const standIn = await startHttpStandIn((request) => {
    if (request.method !== 'GET' || !/^\/ISteamMicroTxn(Sandbox)?\/QueryTxn\/v3\/$/.test(request.path)) return undefined;
    if (request.query.get('key') !== credentials.webApiKey) {
      return {
        status: 403,
        text: '<html><head><title>Forbidden</title></head><body><h1>Forbidden</h1>Access is denied. Retrying will not help. Please verify your <pre>key=</pre> parameter.</body></html>',
        headers: { 'content-type': 'text/html' },
      };
    }
    if (request.query.get('appid') !== credentials.appId) {
      return { status: 200, json: { response: { result: 'Failure', error: { errorcode: 8, errordesc: 'Invalid parameter appid' } } } };
    }
    const order = orders.get(request.query.get('orderid') ?? '');
    if (!order) return { status: 200, json: { response: { result: 'Failure', error: { errorcode: 100, errordesc: 'Order not found' } } } };
    return {
      status: 200,
      json: {
        response: {
          result: 'OK',
          params: { ...order, currency: 'USD', time: '2026-11-02T10:00:00Z', country: 'US', usstate: 'WA', timecreated: '2026-11-02T09:59:00Z' },
        },
      },
    };
  });
  return Object.assign(standIn, {
    orders,
    addOrder(orderId: string, itemId: number, options: { status?: SteamOrderStatus; steamId?: string; qty?: number } = {}) {
      const order: SteamOrder = {
        orderid: orderId,
        transid: `${orderId}9`,
        steamid: options.steamId ?? '76561197960287930',
        status: options.status ?? 'Succeeded',
        items: [{ itemid: itemId, qty: options.qty ?? 1, amount: 499, vat: 0, itemstatus: options.status ?? 'Succeeded' }],
      };
      orders.set(orderId, order);
      return order;
    },
  });
}
