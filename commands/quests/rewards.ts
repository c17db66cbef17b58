// Quest rewards paid into the wallet: every QuestRewardClaimed becomes one Credit per
// currency, keyed by the claim event and the currency, so however often the claim is
// delivered (the reactor, and the claim route paying at once) the wallet pays it once.
// Codex entries and titles need no payment: the codex and quest read models fold the claim.
import type { Logger } from 'pino';
import type { RecordedEvent } from '../../events/envelope.ts';
import { defineReactor, type Reactor } from '../../events/processor.ts';
import type { WalletResult } from '../wallet/service.ts';
import type { QuestRewardClaimed } from './events.ts';

export const QUEST_REWARDS = 'quest_rewards';
export const QUEST_REWARDS_ACCOUNT = 'system:quests';

/** What paying a reward needs of the wallet (WalletService.execute). */
export type Wallets = { execute(command: unknown, metadata?: { causationId?: string; correlationId?: string; actor?: string }): Promise<WalletResult> };

/** Credits the currencies of one claim; resolves with the wallet's answers (a retry answers with the originals). */
export async function payQuestReward(wallets: Wallets, claim: Pick<RecordedEvent, 'id' | 'streamId'> & QuestRewardClaimed): Promise<WalletResult[]> {
  const { playerId, questId, rewards } = claim.data;
  return Promise.all(rewards.currencies.map(({ currency, amount }) => wallets.execute(
    { type: 'Credit', playerId, idempotencyKey: `${claim.id}:${currency}`, currency, amount, counterAccount: QUEST_REWARDS_ACCOUNT, reason: `quest:${questId}` },
    { causationId: claim.id, correlationId: claim.streamId, actor: QUEST_REWARDS },
  )));
}

export function createQuestRewardsReactor(options: { wallets: Wallets; logger?: Pick<Logger, 'error'> }): Reactor {
  return defineReactor({
    name: QUEST_REWARDS,
    eventTypes: new Set(['QuestRewardClaimed']),
    async react(events) {
      for (const event of events) {
        const results = await payQuestReward(options.wallets, event as RecordedEvent & QuestRewardClaimed);
        for (const result of results) {
          // A reward is a credit from the game's own account: refusing one is a bug (an unknown currency in content).
          if (!result.ok) options.logger?.error({ claim: event.id, code: result.code }, `quest reward refused: ${result.message}`);
        }
      }
    },
  });
}
