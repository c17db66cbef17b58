// The event catalog: every event type the log may hold, each defined once with zod.
// The same definition validates data on append, decodes it on read, and upcasts
// older schema versions to the current one, so readers only ever see current shapes.
import type { z } from 'zod';
import { EventDecodeError } from './errors.ts';

export type Upcaster = (data: unknown) => unknown;

export type EventDefinition<T extends string = string, S extends z.ZodType = z.ZodType> = {
  readonly type: T;
  /** The schema version written by this code. */
  readonly schemaVersion: number;
  readonly schema: S;
  /** upcasters[v] turns data written at schema version v into version v + 1. */
  readonly upcasters: Readonly<Record<number, Upcaster>>;
};

export type EventOf<D> = D extends EventDefinition<infer T, infer S> ? { type: T; data: z.infer<S> } : never;

export function defineEvent<T extends string, S extends z.ZodType>(
  type: T,
  schema: S,
  options: { schemaVersion?: number; upcasters?: Record<number, Upcaster> } = {},
): EventDefinition<T, S> {
  return { type, schema, schemaVersion: options.schemaVersion ?? 1, upcasters: options.upcasters ?? {} };
}

/** Identifies the event being decoded, for error messages. */
export type EventRef = { streamId: string; version?: number; eventId?: string };

export class EventCatalog {
  readonly #definitions = new Map<string, EventDefinition>();

  constructor(definitions: Iterable<EventDefinition> = []) {
    for (const definition of definitions) this.register(definition);
  }

  register(...definitions: EventDefinition[]): this {
    for (const definition of definitions) {
      const existing = this.#definitions.get(definition.type);
      if (existing && existing !== definition) {
        throw new Error(`event type ${definition.type} is defined twice`);
      }
      this.#definitions.set(definition.type, definition);
    }
    return this;
  }

  has(type: string): boolean {
    return this.#definitions.has(type);
  }

  get types(): string[] {
    return [...this.#definitions.keys()].sort();
  }

  /** Validates data about to be appended; returns it as the schema parsed it. */
  encode(type: string, data: unknown, ref: EventRef): { schemaVersion: number; data: unknown } {
    const definition = this.#require(type, ref);
    const parsed = definition.schema.safeParse(data);
    if (!parsed.success) throw new EventDecodeError(ref, type, parsed.error.message);
    return { schemaVersion: definition.schemaVersion, data: parsed.data };
  }

  /** Upcasts data stored at `schemaVersion` to the current version and validates it. */
  decode(type: string, schemaVersion: number, data: unknown, ref: EventRef): unknown {
    const definition = this.#require(type, ref);
    if (schemaVersion > definition.schemaVersion) {
      throw new EventDecodeError(ref, type, `schema version ${schemaVersion} is newer than this code (${definition.schemaVersion})`);
    }
    let current = data;
    for (let version = schemaVersion; version < definition.schemaVersion; version++) {
      const upcast = definition.upcasters[version];
      if (!upcast) throw new EventDecodeError(ref, type, `no upcaster from schema version ${version}`);
      current = upcast(current);
    }
    const parsed = definition.schema.safeParse(current);
    if (!parsed.success) throw new EventDecodeError(ref, type, parsed.error.message);
    return parsed.data;
  }

  #require(type: string, ref: EventRef): EventDefinition {
    const definition = this.#definitions.get(type);
    if (!definition) throw new EventDecodeError(ref, type, `unknown event type ${type}`);
    return definition;
  }
}
