// The application's event catalog: every event type any part of Pantheon appends.
import { accountEventDefinitions } from '../commands/account/events.ts';
import { chatEventDefinitions } from '../commands/chat/events.ts';
import { friendsEventDefinitions } from '../commands/friends/events.ts';
import { legionEventDefinitions } from '../commands/legions/events.ts';
import { contentEventDefinitions } from '../commands/content/events.ts';
import { flagEventDefinitions } from '../commands/flags/events.ts';
import { purchaseEventDefinitions } from '../commands/purchases/events.ts';
import { questEventDefinitions } from '../commands/quests/events.ts';
import { walletEventDefinitions } from '../commands/wallet/events.ts';
import { EventCatalog, type EventDefinition } from '../events/catalog.ts';
import { auditEventDefinitions } from '../projections/anticheat/events.ts';
import { battleEventDefinitions } from '../rooms/battle/events.ts';
import { raidEventDefinitions } from '../rooms/raid/index.ts';
import { ritualEventDefinitions } from '../rooms/ritual/events.ts';
import { roomEventDefinitions } from '../events/tick/roomEvents.ts';
import { narratorEventDefinitions } from '../projections/narration/events.ts';

/** Every event type the game records; `more` for a kind or aggregate composed in beside them. */
export function createCatalog(more: readonly EventDefinition[] = []): EventCatalog {
  return new EventCatalog([...roomEventDefinitions, ...battleEventDefinitions, ...raidEventDefinitions, ...ritualEventDefinitions, ...auditEventDefinitions, ...walletEventDefinitions, ...purchaseEventDefinitions, ...narratorEventDefinitions, ...accountEventDefinitions, ...contentEventDefinitions, ...friendsEventDefinitions, ...chatEventDefinitions, ...legionEventDefinitions, ...flagEventDefinitions, ...questEventDefinitions, ...more]);
}
