// npm run codegen — client schema classes for C# (Unity) and TypeScript, generated from the
// rooms' live @colyseus/schema state classes into docs/generated/{csharp,typescript}/.
//
// Why not `schema-codegen`: it parses source with the TypeScript compiler API, which
// TypeScript 7 (this project's) no longer ships, and even under TypeScript 5/6 it names
// collection and ref children after the *variable* (`t.map(OracleView)` -> `OracleView`)
// while the class is registered as `schema({...}, 'BattleOracle')`, so its output does not
// compile. This script imports the classes instead and reads their runtime metadata (the
// same field indexes and types the encoder uses), then renders exactly what
// schema-codegen 5.0.34's C# and TS emitters print for such classes.
//
//   node infra/codegen/generate.ts [--out <dir>] [--namespace <C# namespace>] [--check]
//
// --out defaults to docs/generated; --check writes nothing and exits 1 if the files there
// differ from a fresh run. Output is deterministic (classes by name, fields by index, no
// timestamps), and generated files of classes that no longer exist are removed.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { $numFields, Schema } from '@colyseus/schema';
import * as battleState from '../../rooms/battle/state.ts';
import * as chatState from '../../rooms/chat/state.ts';
import * as matchmakingState from '../../rooms/matchmaking/state.ts';
import * as partyState from '../../rooms/party/state.ts';
import * as raidState from '../../rooms/raid/state.ts';
import * as ritualState from '../../rooms/ritual/state.ts';
import { renderContentTypes } from './contentTypes.ts';

// biome-ignore lint: schema classes take framework-specific constructor arguments.
export type SchemaClass = (new (...args: any[]) => Schema) & { readonly name: string };

/** Each room's state module and the root class its clients decode (`room.state`). */
export const roomStates: readonly { room: string; root: SchemaClass; module: Record<string, unknown> }[] = [
  { room: 'battle', root: battleState.BattleView, module: battleState },
  { room: 'raid', root: raidState.RaidView, module: raidState },
  { room: 'ritual', root: ritualState.RitualView, module: ritualState },
  { room: 'matchmaking', root: matchmakingState.MatchmakingView, module: matchmakingState },
  { room: 'party', root: partyState.PartyView, module: partyState },
  { room: 'chat', root: chatState.ChatView, module: chatState },
];

export const DEFAULT_NAMESPACE = 'Pantheon.Schema';
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_OUT = path.join(repoRoot, 'docs', 'generated');

const collectionKinds = ['array', 'map', 'set', 'collection'];

export type FieldModel = {
  index: number;
  name: string;
  /** A primitive wire type ("string", "uint32", …), "ref", or a collection kind. */
  type: string;
  /** The child schema's name, or the primitive element type, for refs and collections. */
  childType?: string;
  /** The construction default of a primitive field, when it has one. */
  defaultValue?: string | number | boolean;
  deprecated: boolean;
};
export type ClassModel = { name: string; extends: string; fields: FieldModel[] };

type FieldMetadata = { name: string; index: number; type: unknown; deprecated?: boolean };
type ClassMetadata = { [index: number]: FieldMetadata; [$numFields]?: number };

export function isSchemaClass(value: unknown): value is SchemaClass {
  return typeof value === 'function' && value.prototype instanceof Schema;
}

export function metadataOf(klass: SchemaClass): ClassMetadata {
  const metadata = (klass as unknown as { [Symbol.metadata]?: ClassMetadata })[Symbol.metadata];
  if (!metadata) throw new Error(`${klass.name} has no schema metadata`);
  return metadata;
}

/** The field count of a class (its ancestors' fields included). */
function fieldCount(klass: SchemaClass): number {
  return (metadataOf(klass)[$numFields] ?? -1) + 1;
}

function parentOf(klass: SchemaClass): SchemaClass | undefined {
  const parent: unknown = Object.getPrototypeOf(klass);
  return parent !== Schema && isSchemaClass(parent) ? parent : undefined;
}

/** The field's wire type and child, as schema-codegen names them. */
function typeOf(klassName: string, field: FieldMetadata): { type: string; child?: string | SchemaClass } {
  const { type } = field;
  if (typeof type === 'string') return { type };
  if (isSchemaClass(type)) return { type: 'ref', child: type };
  if (type !== null && typeof type === 'object') {
    const [kind, child] = Object.entries(type)[0] ?? [];
    if (kind && collectionKinds.includes(kind) && (typeof child === 'string' || isSchemaClass(child))) return { type: kind, child };
  }
  throw new Error(`${klassName}.${field.name}: unsupported field type ${JSON.stringify(type)} (codegen knows primitives, refs and collections)`);
}

/** Every schema class the rooms' clients may decode: the state modules' exports and whatever their fields reach. */
export function collectClasses(rooms = roomStates): Map<string, SchemaClass> {
  const found = new Map<string, SchemaClass>();
  const visit = (klass: SchemaClass) => {
    const seen = found.get(klass.name);
    if (seen === klass) return;
    if (seen) throw new Error(`two schema classes are both named ${klass.name}; client classes are named after them`);
    found.set(klass.name, klass);
    const parent = parentOf(klass);
    if (parent) visit(parent);
    const metadata = metadataOf(klass);
    for (let i = 0; i < fieldCount(klass); i++) {
      const field = metadata[i];
      if (!field) continue;
      const { child } = typeOf(klass.name, field);
      if (isSchemaClass(child)) visit(child);
    }
  };
  for (const { root, module } of rooms) {
    visit(root);
    for (const value of Object.values(module)) if (isSchemaClass(value)) visit(value);
  }
  return found;
}

export function describeClass(klass: SchemaClass): ClassModel {
  const metadata = metadataOf(klass);
  const parent = parentOf(klass);
  const sample = new klass() as unknown as Record<string, unknown>;
  const fields: FieldModel[] = [];
  for (let i = parent ? fieldCount(parent) : 0; i < fieldCount(klass); i++) {
    const field = metadata[i];
    if (!field) throw new Error(`${klass.name} has no field at index ${i}`);
    const { type, child } = typeOf(klass.name, field);
    const model: FieldModel = { index: field.index, name: field.name, type, deprecated: field.deprecated === true };
    if (child !== undefined) model.childType = typeof child === 'string' ? child : child.name;
    const initial = sample[field.name];
    if (child === undefined && (typeof initial === 'string' || typeof initial === 'number' || typeof initial === 'boolean')) model.defaultValue = initial;
    fields.push(model);
  }
  return { name: klass.name, extends: parent ? parent.name : 'Schema', fields };
}

export function describeAll(rooms = roomStates): ClassModel[] {
  return [...collectClasses(rooms).values()].map(describeClass).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

// --- rendering: mirrors @colyseus/schema/src/codegen/{types,languages/csharp,languages/ts}.ts ---

function schemaVersion(): string {
  const entry = fileURLToPath(import.meta.resolve('@colyseus/schema'));
  let dir = path.dirname(entry);
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

function commentHeader(version: string): string {
  const header = `\nTHIS FILE HAS BEEN GENERATED AUTOMATICALLY\nDO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING\n\nGENERATED USING @colyseus/schema ${version}\n`;
  return header.split('\n').map((line) => `// ${line}`).join('\n');
}
const HEADER_START = '// \n// THIS FILE HAS BEEN GENERATED AUTOMATICALLY\n';

const upperFirst = (name: string) => /^[A-Z]/.test(name);
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const csharpTypes: Record<string, string> = {
  string: 'string', number: 'double', boolean: 'bool', int8: 'sbyte', uint8: 'byte', int16: 'short', uint16: 'ushort',
  int32: 'int', uint32: 'uint', int64: 'long', uint64: 'ulong', float32: 'double', float64: 'double',
};
const csharpKeywords = new Set([
  'abstract', 'as', 'base', 'bool', 'break', 'byte', 'case', 'catch', 'char', 'checked', 'class', 'const', 'continue', 'decimal',
  'default', 'delegate', 'do', 'double', 'else', 'enum', 'event', 'explicit', 'extern', 'false', 'finally', 'fixed', 'float', 'for',
  'foreach', 'goto', 'if', 'implicit', 'in', 'int', 'interface', 'internal', 'is', 'lock', 'long', 'namespace', 'new', 'null',
  'object', 'operator', 'out', 'override', 'params', 'private', 'protected', 'public', 'readonly', 'ref', 'return', 'sbyte',
  'sealed', 'short', 'sizeof', 'stackalloc', 'static', 'string', 'struct', 'switch', 'this', 'throw', 'true', 'try', 'typeof',
  'uint', 'ulong', 'unchecked', 'unsafe', 'ushort', 'using', 'virtual', 'void', 'volatile', 'while',
]);
const csharpIntegerRanges: Record<string, [number, number]> = {
  sbyte: [-128, 127], byte: [0, 255], short: [-32768, 32767], ushort: [0, 65535], int: [-2147483648, 2147483647],
  uint: [0, 4294967295], long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER], ulong: [0, Number.MAX_SAFE_INTEGER],
};
const SDK = 'global::Colyseus.Schema';

function csharpType(field: FieldModel): string {
  const child = field.childType;
  if (child === undefined) return csharpTypes[field.type] ?? field.type;
  const element = upperFirst(child) ? child : (csharpTypes[child] ?? child);
  return field.type === 'ref' ? element : `${SDK}.${capitalize(field.type)}Schema<${element}>`;
}

function csharpDefault(value: FieldModel['defaultValue'], langType: string): string | undefined {
  if (typeof value === 'boolean') return langType === 'bool' ? String(value) : undefined;
  if (typeof value === 'string') {
    return langType === 'string' ? JSON.stringify(value).replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  if (langType === 'double') return String(value);
  const range = csharpIntegerRanges[langType];
  return range && Number.isInteger(value) && value >= range[0] && value <= range[1] ? String(value) : undefined;
}

function csharpProperty(field: FieldModel, indent: string): string {
  const langType = csharpType(field);
  let typeArgs = `"${field.type}"`;
  let initializer: string;
  if (field.childType !== undefined) {
    typeArgs += `, typeof(${langType})`;
    if (!upperFirst(field.childType)) typeArgs += `, "${field.childType}"`;
    initializer = field.type === 'ref' ? 'null' : `new ${langType}()`;
  } else {
    initializer = csharpDefault(field.defaultValue, langType) ?? `default(${langType})`;
  }
  const name = csharpKeywords.has(field.name) ? `@${field.name}` : field.name;
  const obsolete = field.deprecated ? `\t${indent}[global::System.Obsolete("field '${field.name}' is deprecated.", true)]\n` : '';
  return `${obsolete}\t${indent}[${SDK}.Type(${field.index}, ${typeArgs})]\n\t${indent}public ${langType} ${name} = ${initializer};`;
}

export function renderCsharp(klass: ClassModel, namespace: string, version: string): string {
  const indent = namespace ? '\t' : '';
  const base = klass.extends === 'Schema' ? `${SDK}.Schema` : klass.extends;
  const body = `${indent}public partial class ${klass.name} : ${base} {
#if UNITY_5_3_OR_NEWER
${indent}\t[global::UnityEngine.Scripting.Preserve]
#endif
${indent}\tpublic ${klass.name}() { }
${klass.fields.map((field) => `\n${csharpProperty(field, indent)}`).join('\n')}
${indent}}`;
  return `${commentHeader(version)}
${namespace ? `\nnamespace ${namespace} {` : ''}
${body}
${namespace ? '}' : ''}
`;
}

const tsPrimitives = new Set(['string', 'number', 'boolean', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64']);
const tsType = (primitive: string) => (tsPrimitives.has(primitive) ? (primitive === 'string' || primitive === 'boolean' ? primitive : 'number') : primitive);

function tsProperty(field: FieldModel): string {
  const child = field.childType;
  let langType = tsType(field.type);
  let typeArgs = `"${field.type}"`;
  let initializer = '';
  if (child !== undefined) {
    const isClass = upperFirst(child);
    const element = isClass ? child : tsType(child);
    if (field.type === 'ref') {
      langType = child;
      typeArgs = child;
    } else if (field.type === 'array') {
      langType = `ArraySchema<${element}>`;
      typeArgs = isClass ? `[ ${child} ]` : `[ "${child}" ]`;
    } else if (field.type === 'map' || field.type === 'set') {
      langType = `${capitalize(field.type)}Schema<${element}>`;
      typeArgs = isClass ? `{ ${field.type}: ${child} }` : `{ ${field.type}: "${child}" }`;
    } else {
      throw new Error(`field ${field.name}: schema-codegen's TypeScript emitter has no form for a ${field.type}`);
    }
    initializer = `new ${langType}()`;
  }
  return `@type(${typeArgs}) public ${field.name}${initializer ? '' : '!'}: ${langType}${initializer ? ` = ${initializer}` : ''};`;
}

export function renderTypescript(klass: ClassModel, version: string): string {
  const imports = [
    ...klass.fields.filter((f) => ['ref', 'array', 'map', 'set'].includes(f.type) && f.childType && !tsPrimitives.has(f.childType)).map((f) => f.childType!),
    ...(klass.extends === 'Schema' ? [] : [klass.extends]),
  ]
    .filter((name, i, all) => all.indexOf(name) === i)
    .map((name) => `import { ${name} } from './${name}'`)
    .join('\n');
  return `${commentHeader(version)}

import { Schema, type, ArraySchema, MapSchema, SetSchema, DataChange } from '@colyseus/schema';
${imports}

export class ${klass.name} extends ${klass.extends} {
${klass.fields.map((field) => `    ${tsProperty(field)}`).join('\n')}
}
`;
}

/** Every generated file, by path relative to the output directory: the state classes, and the content document's types (contentTypes.ts). */
export function renderAll(options: { namespace?: string; rooms?: typeof roomStates } = {}): Map<string, string> {
  const version = schemaVersion();
  const files = new Map<string, string>(renderContentTypes());
  for (const klass of describeAll(options.rooms)) {
    files.set(`csharp/${klass.name}.cs`, renderCsharp(klass, options.namespace ?? DEFAULT_NAMESPACE, version));
    files.set(`typescript/${klass.name}.ts`, renderTypescript(klass, version));
  }
  return files;
}

/** Generated files under `outDir` that a fresh run would not write (left from removed classes). */
function staleFiles(outDir: string, files: ReadonlyMap<string, string>): string[] {
  const stale: string[] = [];
  for (const [dir, ext] of [['csharp', '.cs'], ['typescript', '.ts']] as const) {
    const full = path.join(outDir, dir);
    if (!existsSync(full)) continue;
    for (const name of readdirSync(full).sort()) {
      const rel = `${dir}/${name}`;
      if (name.endsWith(ext) && !files.has(rel) && readFileSync(path.join(full, name), 'utf8').startsWith(HEADER_START)) stale.push(rel);
    }
  }
  return stale;
}

/** Writes the clients into `outDir` (csharp/ and typescript/); returns what changed. */
export function writeClients(outDir: string, options: { namespace?: string } = {}): { written: string[]; removed: string[] } {
  const files = renderAll(options);
  const written: string[] = [];
  for (const [rel, content] of files) {
    const target = path.join(outDir, rel);
    mkdirSync(path.dirname(target), { recursive: true });
    if (existsSync(target) && readFileSync(target, 'utf8') === content) continue;
    writeFileSync(target, content);
    written.push(rel);
  }
  const removed = staleFiles(outDir, files);
  for (const rel of removed) rmSync(path.join(outDir, rel));
  return { written, removed };
}

/** Files under `outDir` that differ from a fresh run (missing, changed or stale). */
export function checkClients(outDir: string, options: { namespace?: string } = {}): string[] {
  const files = renderAll(options);
  const drift = [...files].filter(([rel, content]) => {
    const target = path.join(outDir, rel);
    return !existsSync(target) || readFileSync(target, 'utf8') !== content;
  }).map(([rel]) => rel);
  return [...drift, ...staleFiles(outDir, files)];
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, namespace: { type: 'string' }, check: { type: 'boolean', default: false } },
  });
  const outDir = path.resolve(values.out ?? DEFAULT_OUT);
  const options = values.namespace === undefined ? {} : { namespace: values.namespace };
  if (values.check) {
    const drift = checkClients(outDir, options);
    if (drift.length > 0) {
      console.error(`codegen: ${drift.length} generated file(s) in ${path.relative(process.cwd(), outDir) || '.'} are out of date (run npm run codegen):\n  ${drift.join('\n  ')}`);
      process.exit(1);
    }
    console.log(`codegen: ${outDir} is up to date`);
  } else {
    const { written, removed } = writeClients(outDir, options);
    const total = renderAll(options).size;
    console.log(`codegen: ${total} files in ${outDir} (${written.length} written, ${removed.length} removed, ${total - written.length} unchanged)`);
  }
}
