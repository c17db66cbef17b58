// Test support: a real game server in this process (Colyseus over ws on a free port)
// with its event store on the local PostgreSQL, in a schema of its own.
import { Client } from '@colyseus/sdk';
import { pino } from 'pino';
import { openPgExecutor } from '../../events/sql/pgExecutor.ts';
import { openSqlEventStore } from '../../events/sql/sqlEventStore.ts';
import { createTestSchema, testDatabaseUrl } from '../../events/sql/testing.ts';
import type { EventStore } from '../../events/store.ts';
import { createCatalog } from '../catalog.ts';
import { loadConfig } from '../config.ts';
import { startGameServer, type GameServer } from '../server.ts';

export type TestGameServer = {
  game: GameServer;
  store: EventStore;
  url: string;
  client(): Client;
  stop(): Promise<void>;
};

/** `connectionString` lets a test put something (a cuttable proxy) between the server and PostgreSQL. */
export async function startTestGameServer(label: string, options: { connectionString?: string } = {}): Promise<TestGameServer> {
  const schema = await createTestSchema(label);
  const db = await openPgExecutor({ connectionString: options.connectionString ?? testDatabaseUrl, onError: () => {} });
  const store = await openSqlEventStore({ db, catalog: createCatalog(), schema: schema.name, pollIntervalMs: 100 });
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const logger = pino({ level: config.LOG_LEVEL });
  const game = await startGameServer(config, { store, kind: 'postgres' }, logger);
  game.markReady();
  const url = `ws://127.0.0.1:${game.port}`;
  return {
    game,
    store,
    url,
    client: () => new Client(url),
    async stop() {
      await game.stop();
      await store.close();
      await db.close();
      await schema.drop();
    },
  };
}
