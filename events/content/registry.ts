// Every content version this process knows, validated on first use and frozen. Battles
// record the version they were created with, so an audit years later loads exactly those
// numbers: versions are only ever added, never edited or removed.
//
// Two sources: versions bundled in this build (below), and versions admins published
// through the log (ContentPublished, commands/content/), which a follower registers here as
// it reads them. Which version new rooms take is the log's latest ContentActivated, else the
// bundled default. The registry itself does no I/O: the follower feeds it.
import { z } from 'zod';
import { canonicalJson } from '../canonical.ts';
import { Content } from './content.ts';
import { content_2026_11_1 } from './data/2026.11.1/index.ts';

/** The bundled version rooms take until the log activates another. */
export const currentContentVersion = '2026.11.1';

/** Raw data per bundled version, oldest first; validation happens on load, not at import. */
const bundled: readonly { readonly version: string; readonly data: unknown }[] = [
  { version: '2026.11.1', data: content_2026_11_1 },
];

export type ContentErrorCode = 'content/unknown_version' | 'content/invalid' | 'content/version_exists';

export class ContentError extends Error {
  readonly code: ContentErrorCode;
  readonly version: string;

  constructor(code: ContentErrorCode, version: string, message: string) {
    super(message);
    this.name = 'ContentError';
    this.code = code;
    this.version = version;
  }
}

export type ContentSource = 'bundled' | 'published';

type Entry = { readonly version: string; readonly source: ContentSource; readonly data: unknown; content: Content | undefined };

/**
 * The versions one process knows. Tests build their own (a second "process"); rooms and
 * audits use `contentRegistry`, through contentByVersion and loadContent.
 */
export class ContentRegistry {
  // Insertion order is the listing order: bundled oldest first, then published as seen.
  readonly #entries = new Map<string, Entry>();
  #active: string;
  /** Global position of the ContentActivated that chose #active; 0: the bundled default. */
  #activePosition = 0;

  constructor(entries: readonly { readonly version: string; readonly data: unknown }[] = bundled, defaultVersion = currentContentVersion) {
    for (const { version, data } of entries) this.#entries.set(version, { version, source: 'bundled', data, content: undefined });
    if (!this.#entries.has(defaultVersion)) throw new Error(`the default content version ${defaultVersion} is not bundled`);
    this.#active = defaultVersion;
  }

  /** Every known version, bundled first, with where it came from. */
  versions(): { version: string; source: ContentSource }[] {
    return [...this.#entries.values()].map(({ version, source }) => ({ version, source }));
  }

  has(version: string): boolean {
    return this.#entries.has(version);
  }

  sourceOf(version: string): ContentSource | undefined {
    return this.#entries.get(version)?.source;
  }

  /** The validated, deeply frozen content of `version`; throws ContentError if unknown or invalid. */
  byVersion(version: string): Content {
    const entry = this.#entries.get(version);
    if (!entry) {
      throw new ContentError('content/unknown_version', version, `unknown content version ${version}; known: ${[...this.#entries.keys()].join(', ')}`);
    }
    if (entry.content) return entry.content;
    const content = parseVersion(version, entry.data);
    entry.content = content;
    return content;
  }

  /**
   * Registers a version published through the log. Registering the same numbers again is a
   * no-op (`added: false`); other numbers under a known version are refused
   * (`content/version_exists`): a version is immutable. Throws `content/invalid` for data
   * that fails validation or declares another version.
   */
  register(version: string, data: unknown): { content: Content; added: boolean } {
    const content = parseVersion(version, data);
    if (this.#entries.has(version)) {
      const known = this.byVersion(version);
      if (canonicalJson(known) !== canonicalJson(content)) {
        throw new ContentError('content/version_exists', version, `content version ${version} is already ${this.#entries.get(version)!.source} with other numbers; publish a new version instead`);
      }
      return { content: known, added: false };
    }
    this.#entries.set(version, { version, source: 'published', data, content });
    return { content, added: true };
  }

  /**
   * Makes `version` the one new rooms take. `position` is the global position of its
   * ContentActivated: an activation older than the one applied is ignored, so the process
   * that appended it and the follower reading it back agree in whatever order they apply it.
   * Without a position the version is set unconditionally (tests, tools).
   * @returns whether the active version was (re)set.
   */
  activate(version: string, position?: number): boolean {
    if (!this.#entries.has(version)) {
      throw new ContentError('content/unknown_version', version, `cannot activate unknown content version ${version}`);
    }
    if (position !== undefined) {
      if (position <= this.#activePosition) return false;
      this.#activePosition = position;
    }
    this.#active = version;
    return true;
  }

  activeVersion(): string {
    return this.#active;
  }

  /** The content new rooms are created with. */
  active(): Content {
    return this.byVersion(this.#active);
  }
}

function parseVersion(version: string, data: unknown): Content {
  const content = parseContent(data);
  if (content.contentVersion !== version) {
    throw new ContentError('content/invalid', version, `content registered as ${version} declares version ${content.contentVersion}`);
  }
  return content;
}

/** This process's registry: what rooms, deciders and audits read. */
export const contentRegistry = new ContentRegistry();

export function contentVersions(): string[] {
  return contentRegistry.versions().map((entry) => entry.version);
}

/** The validated, deeply frozen content of `version`; throws ContentError if unknown or invalid. */
export function contentByVersion(version: string): Content {
  return contentRegistry.byVersion(version);
}

/** The active content: what a room being created now plays with. */
export function loadContent(): Content {
  return contentRegistry.active();
}

export function activeContentVersion(): string {
  return contentRegistry.activeVersion();
}

/** Registers a version read from the log (ContentPublished) in this process's registry. */
export function registerPublishedContent(version: string, data: unknown): Content {
  return contentRegistry.register(version, data).content;
}

/** Activates a known version in this process's registry (see ContentRegistry.activate). */
export function setActiveContentVersion(version: string, position?: number): boolean {
  return contentRegistry.activate(version, position);
}

/** Validates content data (from a registry entry, a JSON file, a test) and freezes it. */
export function parseContent(data: unknown): Content {
  const parsed = Content.safeParse(data);
  if (!parsed.success) {
    const version = typeof data === 'object' && data !== null && 'contentVersion' in data ? String(data.contentVersion) : '(none)';
    throw new ContentError('content/invalid', version, `content ${version} is invalid:\n${z.prettifyError(parsed.error)}`);
  }
  return deepFreeze(parsed.data);
}

// Content is shared by every room in the process; freezing turns an accidental write
// (which would silently change other battles' numbers) into an immediate TypeError.
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
