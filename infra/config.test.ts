import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

test('embedded defaults when nothing is set', () => {
  const config = loadConfig({});
  assert.equal(config.PORT, 2567);
  assert.equal(config.DATABASE_URL, undefined);
  assert.equal(config.PANTHEON_DATA_DIR, './data');
  assert.equal(config.PANTHEON_TRANSPORT, 'ws');
});

test('a bad value names the variable, the problem and an example', () => {
  assert.throws(
    () => loadConfig({ PORT: '70000', DATABASE_URL: 'mysql://db/x', PANTHEON_TRANSPORT: 'carrier-pigeon' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.code, 'config/invalid');
      assert.match(error.message, /PORT="70000" .*\(example: PORT=2567\)/);
      assert.match(error.message, /DATABASE_URL="mysql:\/\/db\/x" must be a postgres:\/\/ URL \(example: DATABASE_URL=postgres:\/\//);
      assert.match(error.message, /PANTHEON_TRANSPORT="carrier-pigeon" .*\(example: PANTHEON_TRANSPORT=ws\)/);
      return true;
    },
  );
});

test('an empty variable counts as unset', () => {
  assert.equal(loadConfig({ PORT: '', DATABASE_URL: '' }).PORT, 2567);
});

test('uWebSockets.js needs a fixed port', () => {
  assert.throws(() => loadConfig({ PANTHEON_TRANSPORT: 'uwebsockets', PORT: '0' }), /PORT="0" must be a fixed port with PANTHEON_TRANSPORT=uwebsockets/);
  assert.equal(loadConfig({ PANTHEON_TRANSPORT: 'uwebsockets' }).PORT, 2567);
});
