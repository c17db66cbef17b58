// The application's event catalog: every event type any part of Pantheon appends.
import { EventCatalog } from '../events/catalog.ts';

export function createCatalog(): EventCatalog {
  return new EventCatalog();
}
