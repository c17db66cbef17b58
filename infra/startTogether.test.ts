// A fresh deployment has no start order: a game process, a projector and an audit process
// may all start at the same moment on a schema that does not exist yet. Every schema change
// (migrations, checkpoint and read-model tables) runs under the migrations' advisory lock,
// so all three come up, every time, and none of them logs a failure.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestSchema, testDatabaseUrl } from '../events/sql/testing/schema.ts';
import { freePort, startServerProcess, type ServerProcess } from './testing/process.ts';

const roles = ['game', 'projector', 'audit'] as const;

test('a game process, a projector and an audit process started together on a fresh schema all stay up, ten times over', async () => {
  for (let attempt = 1; attempt <= 10; attempt++) {
    const schema = await createTestSchema('start_together');
    const started: ServerProcess[] = [];
    try {
      for (const role of roles) {
        started.push(startServerProcess({ PORT: String(await freePort()), HOST: '127.0.0.1', DATABASE_URL: testDatabaseUrl, PANTHEON_DB_SCHEMA: schema.name, PANTHEON_ROLE: role, LOG_LEVEL: 'info' }));
      }
      await Promise.all(started.map((server) => server.waitFor('ready', 60_000)));
      // Still up once all are ready, and none logged an error (a duplicate pg_type, a failed processor).
      for (const [i, server] of started.entries()) {
        const failures = server.lines.filter((line) => Number(line.level) >= 50);
        assert.deepEqual(failures, [], `attempt ${attempt}: the ${roles[i]} process logged failures`);
      }
      for (const server of started) server.kill('SIGTERM');
      const codes = await Promise.all(started.map((server) => server.exit));
      assert.deepEqual(codes, [0, 0, 0], `attempt ${attempt}: every process shut down cleanly`);
    } finally {
      for (const server of started) server.kill('SIGKILL');
      await Promise.all(started.map((server) => server.exit));
      await schema.drop();
    }
  }
});
