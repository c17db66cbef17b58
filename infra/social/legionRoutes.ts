// HTTP routes of legions: founding, invites, join requests, roles, the hall (read model)
// and the treasury (contributions by members, spending by officers). Codes: docs/protocol.md (Legions).
import { z } from 'zod';
import { LegionId, LegionName, LegionRole, LegionTag } from '../../commands/legions/model.ts';
import type { LegionResult } from '../../commands/legions/service.ts';
import { Amount, Currency, IdempotencyKey, Reason } from '../../commands/wallet/model.ts';
import { PlayerId } from '../../events/players.ts';
import { LegionHall, legionHall } from '../../projections/legions/index.ts';
import { defineRoute, HttpError, type Route } from '../http/route.ts';
import type { Social } from './index.ts';
import { refusal } from './routes.ts';

const LegionParams = z.object({ legionId: LegionId });
const MemberParams = z.object({ legionId: LegionId, playerId: PlayerId });
const LegionNow = z.object({
  legionId: z.string(),
  name: z.string(),
  tag: z.string(),
  members: z.record(z.string(), LegionRole),
  invited: z.array(z.string()),
  requests: z.array(z.string()),
});
const Move = z.strictObject({ currency: Currency, amount: Amount, idempotencyKey: IdempotencyKey, reason: Reason.optional() });
const Balance = z.object({ currency: z.string(), balance: z.int() });
const refusals = { 403: 'legion/not_officer, legion/not_leader, legion/not_member, legion/blocked', 404: 'legion/not_found', 409: 'legion/already_member, legion/not_invited, legion/no_request, legion/already_requested, legion/full, legion/leader_must_hand_over' };

function answer(result: LegionResult): z.input<typeof LegionNow> {
  if (!result.ok) throw refusal(result);
  const { legionId, name, tag, members, invited, requests } = result.legion;
  return { legionId: legionId!, name, tag, members: { ...members }, invited: [...invited], requests: [...requests] };
}

export function legionRoutes(social: Social): Route[] {
  const { legions } = social;
  const me = (principal: { playerId: string } | undefined) => principal!.playerId;
  type Handle = (input: { params: { legionId: string }; body: unknown; principal: { playerId: string } | undefined }) => Promise<unknown>;
  const post = (name: string, path: string, summary: string, handle: Handle, extra: Partial<Route> = {}) =>
    defineRoute({ name, method: 'POST', path, summary, tags: ['legions'], access: { roles: ['player'] }, params: LegionParams, response: LegionNow, refusals, handle, ...extra } as Route);
  return [
    defineRoute({
      name: 'foundLegion', method: 'POST', path: '/legions', summary: 'Founds a legion led by the caller', tags: ['legions'], access: { roles: ['player'] },
      body: z.strictObject({ name: LegionName, tag: LegionTag }), response: LegionNow,
      handle: async ({ body, principal }) => answer(await legions.found(me(principal), body.name, body.tag)),
    }),
    defineRoute({
      name: 'getLegionHall', method: 'GET', path: '/legions/:legionId', summary: 'The legion hall: members and roles, legion rating and record, recent legion battles, treasury',
      tags: ['legions'], access: 'authenticated', params: LegionParams, response: LegionHall, refusals: { 404: 'legion/not_found' },
      handle: async ({ params }) => {
        const hall = await legionHall(social.db, social.schema, params.legionId);
        if (!hall) throw new HttpError(404, 'legion/not_found', `no legion ${params.legionId} (yet: the hall follows the log)`);
        return hall;
      },
    }),
    post('inviteToLegion', '/legions/:legionId/invites', 'An officer or the leader invites a player', async ({ params, body, principal }) =>
      answer(await legions.invite(params.legionId, me(principal), (body as { playerId: string }).playerId)), { body: z.strictObject({ playerId: PlayerId }) }),
    post('acceptLegionInvite', '/legions/:legionId/invites/accept', 'The caller accepts their invite and joins', async ({ params, principal }) =>
      answer(await legions.act({ type: 'AcceptInvite', legionId: params.legionId, playerId: me(principal) }))),
    post('requestToJoinLegion', '/legions/:legionId/requests', 'The caller asks to join; an officer answers', async ({ params, principal }) =>
      answer(await legions.act({ type: 'RequestJoin', legionId: params.legionId, playerId: me(principal) }))),
    post('answerLegionRequest', '/legions/:legionId/requests/:playerId/:answer', 'An officer or the leader approves or declines a join request', async ({ params, principal }) => {
      const { legionId, playerId, answer: verdict } = params as { legionId: string; playerId: string; answer: 'approve' | 'decline' };
      return answer(await legions.act({ type: verdict === 'approve' ? 'Approve' : 'Decline', legionId, by: me(principal), playerId }));
    }, { params: MemberParams.extend({ answer: z.enum(['approve', 'decline']) }) }),
    post('setLegionRole', '/legions/:legionId/members/:playerId/role', 'The leader makes a member an officer or a member, or hands the lead over (becoming an officer)', async ({ params, body, principal }) => {
      const { legionId, playerId } = params as { legionId: string; playerId: string };
      return answer(await legions.act({ type: 'SetRole', legionId, by: me(principal), playerId, role: (body as { role: 'leader' | 'officer' | 'member' }).role }));
    }, { params: MemberParams, body: z.strictObject({ role: LegionRole }) }),
    post('removeLegionMember', '/legions/:legionId/members/:playerId/remove', 'A member leaves (their own id), or an officer or the leader removes someone below them', async ({ params, principal }) => {
      const { legionId, playerId } = params as { legionId: string; playerId: string };
      return answer(await legions.act(playerId === me(principal) ? { type: 'Leave', legionId, playerId } : { type: 'Remove', legionId, by: me(principal), playerId }));
    }, { params: MemberParams }),
    post('contributeToTreasury', '/legions/:legionId/treasury/contribute', "A member moves money from their wallet into the legion's treasury (idempotent by key)", async ({ params, body, principal }) => {
      const move = body as z.output<typeof Move>;
      const result = await legions.contribute(params.legionId, me(principal), move);
      if (!result.ok) throw refusal(result);
      return { currency: move.currency, balance: result.balance[move.currency] ?? 0 };
    }, { body: Move, response: Balance, refusals: { ...refusals, 409: 'wallet/insufficient_funds' } }),
    post('spendFromTreasury', '/legions/:legionId/treasury/spend', 'An officer or the leader spends from the treasury (idempotent by key); members are refused', async ({ params, body, principal }) => {
      const move = body as z.output<typeof Move>;
      const result = await legions.spend(params.legionId, me(principal), move);
      if (!result.ok) throw refusal(result);
      return { currency: move.currency, balance: result.balance[move.currency] ?? 0 };
    }, { body: Move, response: Balance, refusals: { ...refusals, 409: 'wallet/insufficient_funds' } }),
  ];
}
