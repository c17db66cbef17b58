// Builds the web pages (infra/web/client) with Vite into node_modules/.cache/pantheon/web,
// where the game server serves them (serve.ts). Run by `npm install` (postinstall), by
// `npm test` before the tests, and by `npm run build:web` after changing the pages.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const started = performance.now();
await build({ configFile: path.join(here, 'vite.config.ts') });
process.stdout.write(`pantheon: web pages built in ${Math.round(performance.now() - started)} ms\n`);
