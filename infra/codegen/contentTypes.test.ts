// The generated content types must describe the document GET /content/:version answers:
// the TypeScript interfaces are compiled against a real document (strict, no excess
// properties), and every class and field of the C# file is checked against the schema.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { z } from 'zod';
import { productCatalog } from '../../commands/purchases/catalog.ts';
import { loadCodex } from '../../events/content/codex.ts';
import { contentByVersion, currentContentVersion } from '../../events/content/registry.ts';
import { ritualContent } from '../../rooms/ritual/content.ts';
import { ClientContent, clientContent } from '../http/contentDocument.ts';
import { renderContentTypes } from './contentTypes.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const files = renderContentTypes();
const document = clientContent({ content: contentByVersion(currentContentVersion), active: true, codex: loadCodex(), rituals: ritualContent, products: productCatalog });

test('the TypeScript interfaces type-check a real content document, and catch a wrong one', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pantheon-content-types-'));
  try {
    writeFileSync(path.join(dir, 'content.ts'), files.get('content/typescript/content.ts')!);
    writeFileSync(path.join(dir, 'good.ts'), `import type { ClientContent } from './content.ts';\nexport const doc: ClientContent = ${JSON.stringify(document)};\n`);
    const wrong = { ...document, abilities: [{ ...document.abilities[0]!, target: 'everyone' }] };
    writeFileSync(path.join(dir, 'bad.ts'), `import type { ClientContent } from './content.ts';\nexport const doc: ClientContent = ${JSON.stringify(wrong)};\n`);
    const tsc = path.join(repoRoot, 'node_modules', '.bin', 'tsc');
    const options = ['--ignoreConfig', '--noEmit', '--strict', '--allowImportingTsExtensions', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler', '--skipLibCheck', '--types', ''];
    await promisify(execFile)(tsc, [...options, path.join(dir, 'good.ts')]);
    await assert.rejects(promisify(execFile)(tsc, [...options, path.join(dir, 'bad.ts')]), (error: { stdout?: string }) => {
      assert.match(error.stdout ?? '', /"everyone"/);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every class and field of the document is in the C# file, with nullable optional numbers', () => {
  const cs = files.get('content/csharp/PantheonContent.cs')!;
  const schema = z.toJSONSchema(ClientContent, { io: 'output' }) as { $defs: Record<string, { properties: Record<string, { type?: string }>; required?: string[] }> };
  for (const [name, definition] of Object.entries(schema.$defs)) {
    const body = new RegExp(`public partial class ${name} \\{\\n([\\s\\S]*?)\\n\\t\\}`).exec(cs)?.[1];
    assert.ok(body, `class ${name}`);
    const fields = [...body.matchAll(/public (.+) (\w+);/g)].map(([, type, field]) => [field!, type!] as const);
    assert.deepEqual(fields.map(([field]) => field), Object.keys(definition.properties), `${name}'s fields`);
    for (const [field, type] of fields) {
      if (definition.properties[field]!.type === 'integer') assert.equal(type, (definition.required ?? []).includes(field) ? 'long' : 'long?', `${name}.${field}`);
    }
  }
});

test('the committed files are what codegen writes now', () => {
  for (const [rel, content] of files) assert.equal(readFileSync(path.join(repoRoot, 'docs', 'generated', rel), 'utf8'), content, `${rel}: run npm run codegen`);
});
