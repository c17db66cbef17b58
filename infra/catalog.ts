// The application's event catalog: every event type any part of Pantheon appends.
import { accountEventDefinitions } from '../commands/account/events.ts';
import { contentEventDefinitions } from '../commands/content/events.ts';
import { purchaseEvents } from '../commands/purchases/events.ts';
import { walletEvents } from '../commands/wallet/events.ts';
import { EventCatalog } from '../events/catalog.ts';
import { auditEventDefinitions } from '../projections/anticheat/events.ts';
import { battleEventDefinitions } from '../rooms/battle/events.ts';
import { raidEventDefinitions } from '../rooms/raid/index.ts';
import { ritualEventDefinitions } from '../rooms/ritual/events.ts';
import { roomEventDefinitions } from '../events/tick/roomEvents.ts';
import { narratorEventDefinitions } from '../commands/narration/events.ts';

export function createCatalog(): EventCatalog {
  return new EventCatalog([...roomEventDefinitions, ...battleEventDefinitions, ...raidEventDefinitions, ...ritualEventDefinitions, ...auditEventDefinitions, ...walletEvents, ...purchaseEvents, ...narratorEventDefinitions, ...accountEventDefinitions, ...contentEventDefinitions]);
}
