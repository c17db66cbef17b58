// The application's event catalog: every event type any part of Pantheon appends.
import { purchaseEvents } from '../commands/purchases/events.ts';
import { walletEvents } from '../commands/wallet/events.ts';
import { EventCatalog } from '../events/catalog.ts';
import { battleEvents } from '../rooms/battle/events.ts';
import { raidEventDefinitions } from '../rooms/raid/index.ts';
import { ritualEventDefinitions } from '../rooms/ritual/events.ts';
import { roomEventDefinitions } from '../rooms/shared/roomEvents.ts';

export function createCatalog(): EventCatalog {
  return new EventCatalog([...roomEventDefinitions, ...battleEvents, ...raidEventDefinitions, ...ritualEventDefinitions, ...walletEvents, ...purchaseEvents]);
}
