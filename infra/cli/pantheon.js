#!/usr/bin/env node
// The `pantheon` executable. The CLI is TypeScript, which Node runs directly from 22.18 on;
// on an older `node` first on the PATH (the machine's own), re-run it on the project's Node
// 22 (the `node` devDependency) instead of failing on the .ts import.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));

if (process.features.typescript) {
  const { main: run } = await import(main);
  process.exitCode = await run(process.argv.slice(2));
} else {
  const local = fileURLToPath(new URL('../../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(local)) {
    process.stderr.write(`pantheon: needs Node 22.18 or newer (this is ${process.version}); run npm install for the project's own\n`);
    process.exit(2);
  }
  const child = spawnSync(local, [main, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exitCode = child.status ?? 2;
}
