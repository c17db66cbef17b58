// Every published content version, validated on first use and frozen. Battles record the
// version they were created with, so an audit years later loads exactly those numbers:
// versions are only ever added here, never edited or removed.
import { z } from 'zod';
import { Content } from './content.ts';
import { content_2026_11_1 } from './data/2026.11.1/index.ts';

export const currentContentVersion = '2026.11.1';

/** Raw data per version, oldest first; validation happens on load, not at import. */
const published: readonly { readonly version: string; readonly data: unknown }[] = [
  { version: '2026.11.1', data: content_2026_11_1 },
];

export class ContentError extends Error {
  readonly code: 'content/unknown_version' | 'content/invalid';
  readonly version: string;

  constructor(code: ContentError['code'], version: string, message: string) {
    super(message);
    this.name = 'ContentError';
    this.code = code;
    this.version = version;
  }
}

// A cache, never iterated: lookups by version only.
const loaded = new Map<string, Content>();

export function contentVersions(): string[] {
  return published.map((entry) => entry.version);
}

/** The validated, deeply frozen content of `version`; throws ContentError if unknown or invalid. */
export function contentByVersion(version: string): Content {
  const cached = loaded.get(version);
  if (cached) return cached;
  const entry = published.find((candidate) => candidate.version === version);
  if (!entry) {
    throw new ContentError('content/unknown_version', version, `unknown content version ${version}; known: ${contentVersions().join(', ')}`);
  }
  const content = parseContent(entry.data);
  if (content.contentVersion !== version) {
    throw new ContentError('content/invalid', version, `content registered as ${version} declares version ${content.contentVersion}`);
  }
  loaded.set(version, content);
  return content;
}

export function loadContent(): Content {
  return contentByVersion(currentContentVersion);
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
