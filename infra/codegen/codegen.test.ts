// The generated C# and TypeScript clients must carry every state class of every room with
// every field at its wire index, or a client silently decodes the wrong field. The
// expectation comes straight from the classes' runtime metadata (what the encoder uses),
// not from the generator's own model.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promisify } from 'node:util';
import { $numFields, Schema } from '@colyseus/schema';
import * as battleState from '../../rooms/battle/state.ts';
import * as matchmakingState from '../../rooms/matchmaking/state.ts';
import * as partyState from '../../rooms/party/state.ts';
import * as chatState from '../../rooms/chat/state.ts';
import * as raidState from '../../rooms/raid/state.ts';
import * as ritualState from '../../rooms/ritual/state.ts';

const script = path.join(import.meta.dirname, 'generate.ts');
const committed = path.join(import.meta.dirname, '..', '..', 'docs', 'generated');

type Klass = (new () => Schema) & { name: string };
type Field = { index: number; name: string; type: unknown };
type Expected = { index: number; name: string; wire: string; child?: string };

const rooms: Record<string, { root: Klass; module: Record<string, unknown> }> = {
  battle: { root: battleState.BattleView, module: battleState },
  raid: { root: raidState.RaidView, module: raidState },
  ritual: { root: ritualState.RitualView, module: ritualState },
  matchmaking: { root: matchmakingState.MatchmakingView, module: matchmakingState },
  party: { root: partyState.PartyView, module: partyState },
  chat: { root: chatState.ChatView, module: chatState },
};

const isClass = (value: unknown): value is Klass => typeof value === 'function' && value.prototype instanceof Schema;
const metadata = (klass: Klass) => (klass as unknown as { [Symbol.metadata]: Record<number, Field> & { [$numFields]?: number } })[Symbol.metadata];

function expectedFields(klass: Klass): Expected[] {
  const meta = metadata(klass);
  const fields: Expected[] = [];
  for (let i = 0; i <= (meta[$numFields] ?? -1); i++) {
    const { index, name, type } = meta[i]!;
    if (typeof type === 'string') fields.push({ index, name, wire: type });
    else if (isClass(type)) fields.push({ index, name, wire: 'ref', child: type.name });
    else {
      const [kind, child] = Object.entries(type as object)[0]!;
      fields.push({ index, name, wire: kind, child: isClass(child) ? child.name : String(child) });
    }
  }
  return fields;
}

/** Every schema class per room: the state module's exports and all they reach. */
function classesOf(room: { root: Klass; module: Record<string, unknown> }): Map<string, Klass> {
  const found = new Map<string, Klass>();
  const visit = (klass: Klass) => {
    if (found.has(klass.name)) return;
    found.set(klass.name, klass);
    const meta = metadata(klass);
    for (let i = 0; i <= (meta[$numFields] ?? -1); i++) {
      const { type } = meta[i]!;
      const child = isClass(type) ? type : typeof type === 'object' && type !== null ? Object.values(type)[0] : undefined;
      if (isClass(child)) visit(child);
    }
  };
  visit(room.root);
  for (const value of Object.values(room.module)) if (isClass(value)) visit(value);
  return found;
}

const csharpPrimitive: Record<string, string> = {
  string: 'string', number: 'double', boolean: 'bool', int8: 'sbyte', uint8: 'byte', int16: 'short', uint16: 'ushort',
  int32: 'int', uint32: 'uint', int64: 'long', uint64: 'ulong', float32: 'double', float64: 'double',
};

function csharpFields(source: string): Expected[] {
  const attribute = /\[global::Colyseus\.Schema\.Type\((\d+), "(\w+)"(?:, typeof\(([^)]+)\))?(?:, "(\w+)")?\)\]\s*\n\s*public (\S+) @?(\w+) = /g;
  return [...source.matchAll(attribute)].map(([, index, wire, typeOf, primitiveChild, langType, name]) => {
    const field: Expected = { index: Number(index), name: name!, wire: wire! };
    if (typeOf !== undefined) {
      assert.equal(langType, typeOf, `${name}: the field's C# type is the one in typeof()`);
      const element = /<(\w+)>$/.exec(typeOf)?.[1] ?? typeOf;
      field.child = primitiveChild ?? element;
      if (primitiveChild !== undefined) assert.equal(element, csharpPrimitive[primitiveChild], `${name}: C# element type of ${primitiveChild}`);
    } else {
      assert.equal(langType, csharpPrimitive[wire!], `${name}: C# type of ${wire}`);
    }
    return field;
  });
}

function typescriptFields(source: string): Expected[] {
  const decorated = /^ {4}@type\((.+?)\) public (\w+)!?: /gm;
  return [...source.matchAll(decorated)].map(([, args, name], index) => {
    let match: RegExpExecArray | null;
    if ((match = /^"(\w+)"$/.exec(args!))) return { index, name: name!, wire: match[1]! };
    if ((match = /^\[ "?(\w+)"? \]$/.exec(args!))) return { index, name: name!, wire: 'array', child: match[1]! };
    if ((match = /^\{ (map|set): "?(\w+)"? \}$/.exec(args!))) return { index, name: name!, wire: match[1]!, child: match[2]! };
    if ((match = /^(\w+)$/.exec(args!))) return { index, name: name!, wire: 'ref', child: match[1]! };
    throw new Error(`unexpected @type(${args}) on ${name}`);
  });
}

describe('npm run codegen', () => {
  let out = '';
  before(async () => {
    out = mkdtempSync(path.join(tmpdir(), 'pantheon-codegen-'));
    await promisify(execFile)(process.execPath, [script, '--out', out]);
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  for (const [room, definition] of Object.entries(rooms)) {
    test(`every ${room} state class is generated in C# and TypeScript with all its fields at their indexes`, () => {
      const classes = classesOf(definition);
      assert.ok(classes.has(definition.root.name), `${room}'s root ${definition.root.name}`);
      for (const [name, klass] of classes) {
        const expected = expectedFields(klass);
        assert.ok(expected.length > 0, `${name} has fields`);

        const cs = readFileSync(path.join(out, 'csharp', `${name}.cs`), 'utf8');
        assert.match(cs, new RegExp(`public partial class ${name} : global::Colyseus\\.Schema\\.Schema \\{`));
        assert.deepEqual(csharpFields(cs), expected, `C# ${name}`);

        const ts = readFileSync(path.join(out, 'typescript', `${name}.ts`), 'utf8');
        assert.match(ts, new RegExp(`^export class ${name} extends Schema \\{$`, 'm'));
        assert.deepEqual(typescriptFields(ts), expected, `TypeScript ${name}`);
        for (const child of new Set(expected.flatMap((f) => (f.child && classes.has(f.child) ? [f.child] : [])))) {
          assert.ok(ts.includes(`import { ${child} } from './${child}'`), `TypeScript ${name} imports ${child}`);
        }
      }
    });
  }

  test('nothing else is generated, and the files are the same on every run', async () => {
    const names = Object.values(rooms).flatMap((room) => [...classesOf(room).keys()]).sort();
    assert.deepEqual(readdirSync(path.join(out, 'csharp')).sort(), names.map((n) => `${n}.cs`));
    assert.deepEqual(readdirSync(path.join(out, 'typescript')).sort(), names.map((n) => `${n}.ts`));
    const again = mkdtempSync(path.join(tmpdir(), 'pantheon-codegen-'));
    try {
      await promisify(execFile)(process.execPath, [script, '--out', again]);
      for (const dir of ['csharp', 'typescript']) {
        for (const file of readdirSync(path.join(out, dir))) {
          assert.equal(readFileSync(path.join(again, dir, file), 'utf8'), readFileSync(path.join(out, dir, file), 'utf8'), `${dir}/${file}`);
        }
      }
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  });

  test('the committed clients in docs/generated are up to date (npm run codegen)', async () => {
    const check = promisify(execFile)(process.execPath, [script, '--out', committed, '--check']);
    await assert.doesNotReject(check, 'docs/generated differs from a fresh run: run npm run codegen and commit the result');
  });
});
