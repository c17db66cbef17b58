// The HTTP API served beside the rooms: every route, composed over the services it reads.
import { ContentService } from '../../commands/content/service.ts';
import { QuestService } from '../../commands/quests/index.ts';
import { WalletService } from '../../commands/wallet/service.ts';
import type { PurchaseService } from '../../commands/purchases/index.ts';
import type { ProjectionRunner } from '../../projections/index.ts';
import type { OpenedStore } from '../eventStore.ts';
import { adminRoutes } from './adminRoutes.ts';
import { anticheatRoutes } from './anticheatRoutes.ts';
import { contentRoutes } from './contentRoutes.ts';
import { ghostRoutes } from './ghostRoutes.ts';
import { projectionRoutes } from './projectionRoutes.ts';
import { purchaseRoutes } from './purchaseRoutes.ts';
import { codexEntriesFrom, questRoutes } from './questRoutes.ts';
import type { EncounterRooms } from '../story/encounters.ts';
import { readRoutes } from './readRoutes.ts';
import type { Route } from './route.ts';
import { walletRoutes } from './walletRoutes.ts';

export type ApiServices = {
  opened: Pick<OpenedStore, 'store' | 'db' | 'schema'>;
  projector: ProjectionRunner;
  purchases?: PurchaseService;
  /** Content publishing; default: a service over `opened.store` and this process's registry. */
  content?: ContentService;
  /** Where story encounter rooms are hosted (the game server); without it encounters are refused. */
  rooms?: EncounterRooms;
};

export function apiRoutes({ opened, projector, purchases, content, rooms }: ApiServices): Route[] {
  const codexEntries = codexEntriesFrom(opened.db, opened.schema);
  const quests = new QuestService({ store: opened.store, codexEntries });
  return [
    ...walletRoutes(opened.db, opened.schema),
    ...readRoutes(opened.db, opened.schema),
    ...(purchases ? purchaseRoutes(purchases) : []),
    ...ghostRoutes(opened.store),
    ...anticheatRoutes(opened.db, opened.schema),
    ...projectionRoutes(projector),
    ...adminRoutes(projector),
    ...contentRoutes(content ?? new ContentService({ store: opened.store })),
    ...questRoutes({ quests, wallets: new WalletService({ store: opened.store }), store: opened.store, db: opened.db, schema: opened.schema, codexEntries, ...(rooms ? { rooms } : {}) }),
  ];
}
