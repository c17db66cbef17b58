// The per-stream hash chain: each event's hash is SHA-256 over its predecessor's hash
// and the canonical encoding of its own content. Editing, deleting or inserting an
// event breaks the chain at that version, which `verifyChain` reports.
import { canonicalJson, sha256Hex } from './canonical.ts';
import type { EventMetadata } from './envelope.ts';

/** The predecessor hash of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** The part of an event the chain covers: everything but its global position. */
export type ChainedContent = {
  id: string;
  streamId: string;
  version: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: EventMetadata & { recordedAt: string };
};

export function chainHash(previousHash: string, content: ChainedContent): string {
  return sha256Hex(`${previousHash}\n${canonicalJson(content)}`);
}

/** An event whose data and metadata are already canonically encoded (the append path). */
export type EncodedContent = Omit<ChainedContent, 'data' | 'metadata'> & { dataJson: string; metadataJson: string };

/**
 * canonicalJson(content), assembled from parts already encoded: the keys below are in
 * canonical (UTF-16) order, and strings are encoded as JSON.stringify does, as RFC 8785 asks.
 */
export function encodeContent(c: EncodedContent): string {
  return `{"data":${c.dataJson},"id":${JSON.stringify(c.id)},"metadata":${c.metadataJson},"schemaVersion":${c.schemaVersion},"streamId":${JSON.stringify(c.streamId)},"type":${JSON.stringify(c.type)},"version":${c.version}}`;
}

export function chainHashEncoded(previousHash: string, content: EncodedContent): string {
  return sha256Hex(`${previousHash}\n${encodeContent(content)}`);
}

export type ChainVerdict =
  | { intact: true; lastVersion: number; lastHash: string }
  | { intact: false; version: number; reason: string };

/**
 * Checks a whole stream, read as stored (not upcast), from version 0. A missing version
 * (deleted event), a repeated one (inserted event) or a hash that does not follow from
 * its predecessor (edited event) makes the chain broken at that version.
 */
export function verifyChain(events: Iterable<ChainedContent & { hash: string }>): ChainVerdict {
  const steps = verifyChainSteps(events);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * verifyChain one event at a time: yields after every `pauseEvery` events, so a caller
 * sharing its thread with live rooms can give way (projections/anticheat/audit.ts), then returns the verdict.
 */
export function* verifyChainSteps(events: Iterable<ChainedContent & { hash: string }>, pauseEvery = Number.POSITIVE_INFINITY): Generator<void, ChainVerdict, void> {
  let expectedVersion = 0;
  let previousHash = GENESIS_HASH;
  for (const event of events) {
    if (event.version !== expectedVersion) {
      const reason = event.version > expectedVersion
        ? `version ${expectedVersion} is missing (next stored is ${event.version})`
        : `version ${event.version} appears again`;
      return { intact: false, version: expectedVersion, reason };
    }
    const { id, streamId, version, type, schemaVersion, data, metadata, hash } = event;
    if (chainHash(previousHash, { id, streamId, version, type, schemaVersion, data, metadata }) !== hash) {
      return { intact: false, version: event.version, reason: 'stored hash does not match its content and predecessor' };
    }
    previousHash = hash;
    expectedVersion++;
    if (expectedVersion % pauseEvery === 0) yield;
  }
  return { intact: true, lastVersion: expectedVersion - 1, lastHash: previousHash };
}

/** Reads a stream as stored and checks its chain. */
export async function verifyStream(
  store: { readStream(streamId: string, options: { raw: true }): Promise<Array<ChainedContent & { hash: string }>> },
  streamId: string,
): Promise<ChainVerdict> {
  return verifyChain(await store.readStream(streamId, { raw: true }));
}
