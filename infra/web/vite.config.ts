// Vite builds the four pages of infra/web/client into node_modules/.cache/pantheon/web
// (infra/web/build.ts runs it at install and before the tests; serve.ts serves the result).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const client = path.join(here, 'client');
const pages = ['watch', 'play', 'replay', 'console'];

export default defineConfig({
  root: client,
  base: '/web/',
  logLevel: 'warn',
  publicDir: false,
  build: {
    outDir: path.resolve(here, '..', '..', 'node_modules', '.cache', 'pantheon', 'web'),
    emptyOutDir: true,
    target: 'es2022',
    // No inline scripts or styles: the pages' Content-Security-Policy allows this origin's files only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
    rollupOptions: { input: Object.fromEntries(pages.map((page) => [page, path.join(client, `${page}.html`)])) },
  },
});
