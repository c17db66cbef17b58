// A finished match replayed over HTTP, for the web replay viewer (infra/web): the same
// timeline and folded state as `pantheon replay`, its state hash checkpoints, the verdict of
// an audit run now (the same as `pantheon audit`) with the first bad tick of a diverged or
// tampered stream, and the verdict the audit worker recorded, if any.
//
// Anyone signed in (a watch-only token will do) may replay a match that has ended; a match
// still being played only auditors and admins, since its log holds what players keep
// private while it lasts (cooldowns, the commands of each seat).
import { z } from 'zod';
import { StreamId } from '../../events/envelope.ts';
import type { RecordedEvent } from '../../events/envelope.ts';
import { EventDecodeError } from '../../events/errors.ts';
import type { EventStore } from '../../events/store.ts';
import { RulesVersionError } from '../../events/tick/rulesVersions.ts';
import { auditRecorded } from '../../projections/anticheat/audit.ts';
import { auditStreamOf, type AuditCompletedData } from '../../projections/anticheat/events.ts';
import { hasRole } from '../../rooms/shared/access.ts';
import { roomRules } from '../../rooms/rulesRegistry.ts';
import { createCatalog } from '../catalog.ts';
import { chainWarnings, checkpoints, firstBad, foldRoom, hasEnded, isRoomStream, timelineEntry } from '../replay.ts';
import { defineRoute, HttpError } from './route.ts';

export const replayCodes = {
  unknownStream: 'replay/unknown_stream',
  live: 'replay/live_match',
  badRange: 'replay/bad_range',
  unknownRules: 'replay/unknown_rules',
} as const;

const TimelineBody = z.object({ version: z.int(), position: z.int(), tick: z.int().nullable(), type: z.string(), data: z.unknown(), recordedAt: z.string() });
const Verdict = z.enum(['clean', 'diverged', 'tampered']);
const FirstBadBody = z.object({ tick: z.int().nullable(), version: z.int(), verdict: z.enum(['diverged', 'tampered']), reason: z.string() });

export const ReplayBody = z.object({
  stream: z.string(),
  kind: z.string(),
  rulesVersion: z.string(),
  status: z.enum(['live', 'ended']),
  lastVersion: z.int(),
  lastTick: z.int(),
  warnings: z.array(z.string()).describe('a broken hash chain, missing versions'),
  events: z.array(TimelineBody),
  checkpoints: z.array(z.object({ tick: z.int(), version: z.int(), hash: z.string(), status: z.enum(['verified', 'mismatch', 'unverified']) })),
  audit: z.object({
    verdict: Verdict,
    firstBad: FirstBadBody.nullable(),
    diff: z.array(z.string()).describe('what differs at the first bad event, one line per field'),
  }).describe('an audit run for this answer, as `pantheon audit` runs it'),
  recordedAudit: z.object({ verdict: z.string(), lastVersion: z.int(), position: z.int() }).nullable().describe("the audit worker's verdict in audit-<stream>, if it has audited the stream"),
  state: z.unknown().describe('the state folded from the whole stream with its rules version'),
});

export const ReplayStateBody = z.object({ stream: z.string(), tick: z.int().nullable(), version: z.int(), state: z.unknown() });

const Params = z.strictObject({ stream: StreamId });

export function replayRoutes(store: Pick<EventStore, 'readStream'>) {
  const catalog = createCatalog();

  /**
   * The stream as read (upcast), or 404; a live match only for auditors and admins. An event
   * the store can no longer decode (edited in place) leaves the stream as stored, so the viewer
   * still shows it, and where it was tampered with.
   */
  async function load(stream: string, principal: Parameters<typeof hasRole>[0] | undefined) {
    let events: readonly RecordedEvent[];
    let undecodable: string | null = null;
    try {
      events = await store.readStream(stream);
    } catch (error) {
      if (!(error instanceof EventDecodeError)) throw error;
      events = await store.readStream(stream, { raw: true });
      undecodable = `${stream}: ${error.message}`;
    }
    if (!isRoomStream(events)) throw new HttpError(404, replayCodes.unknownStream, `there is no battle, raid or ritual stream ${stream}`);
    const ended = hasEnded(events);
    if (!ended && !(principal && (hasRole(principal, 'auditor') || hasRole(principal, 'admin')))) {
      throw new HttpError(403, replayCodes.live, `${stream} is still being played: replays open when it ends (watch it live at /watch/${stream})`);
    }
    return { events, ended, undecodable };
  }

  /** The folded state; null where events the store could not decode make it unfoldable. */
  function fold(events: readonly RecordedEvent[], undecodable: string | null) {
    try {
      return foldRoom(events);
    } catch (error) {
      if (error instanceof RulesVersionError) throw new HttpError(409, replayCodes.unknownRules, error.message);
      if (undecodable === null) throw error;
      const { kindName, rulesVersion } = roomRules.resolve(events[0]!);
      return { kind: kindName, rulesVersion, state: null, note: undecodable };
    }
  }

  return [
    defineRoute({
      name: 'getReplay',
      method: 'GET',
      path: '/replays/:stream',
      summary: "A match's timeline, state hash checkpoints, audit verdict with its first bad tick, and final state (what `pantheon replay` and `pantheon audit` show)",
      tags: ['replays'],
      access: 'authenticated',
      params: Params,
      response: ReplayBody,
      refusals: { 403: 'The match is still being played (replay/live_match); auditors and admins may replay it', 404: 'No such battle, raid or ritual (replay/unknown_stream)', 409: 'Recorded with rules this build does not have (replay/unknown_rules)' },
      handle: async ({ params, principal }) => {
        const { events, ended, undecodable } = await load(params.stream, principal);
        const raw = await store.readStream(params.stream, { raw: true });
        const folded = fold(events, undecodable);
        let report;
        try {
          report = auditRecorded(params.stream, raw, { rules: roomRules, catalog });
        } catch (error) {
          if (error instanceof RulesVersionError) throw new HttpError(409, replayCodes.unknownRules, error.message);
          throw error;
        }
        const bad = firstBad(report, raw);
        const recorded = (await store.readStream(auditStreamOf(params.stream))).filter((event) => event.type === 'AuditCompleted').at(-1);
        const last = events.at(-1)!;
        return {
          stream: params.stream,
          kind: folded.kind!,
          rulesVersion: folded.rulesVersion!,
          status: ended ? ('ended' as const) : ('live' as const),
          lastVersion: last.version,
          lastTick: last.metadata.tick ?? 0,
          warnings: [...chainWarnings(params.stream, raw), ...(undecodable ? [undecodable] : [])],
          events: events.map(timelineEntry),
          checkpoints: checkpoints(raw, bad),
          audit: { verdict: report.verdict, firstBad: bad, diff: report.divergence?.diff ?? (report.tampered ? [report.tampered.reason] : []) },
          recordedAudit: recorded ? { verdict: (recorded.data as AuditCompletedData).verdict, lastVersion: (recorded.data as AuditCompletedData).lastVersion, position: recorded.position } : null,
          state: folded.state,
        };
      },
    }),
    defineRoute({
      name: 'getReplayState',
      method: 'GET',
      path: '/replays/:stream/state',
      summary: 'The state of a match folded up to a tick or a version (what `pantheon replay --until-tick` shows)',
      tags: ['replays'],
      access: 'authenticated',
      params: Params,
      query: z.strictObject({ tick: z.coerce.number().int().min(0).optional(), version: z.coerce.number().int().min(0).optional() })
        .refine((q) => q.tick === undefined || q.version === undefined, { message: 'give tick or version, not both' }),
      response: ReplayStateBody,
      refusals: { 400: 'Past the end of the stream (replay/bad_range)', 403: 'The match is still being played (replay/live_match)', 404: 'No such battle, raid or ritual (replay/unknown_stream)' },
      handle: async ({ params, query, principal }) => {
        const { events, undecodable } = await load(params.stream, principal);
        const last = events.at(-1)!;
        if (query.version !== undefined && query.version > last.version) throw new HttpError(400, replayCodes.badRange, `version ${query.version} is past the end of ${params.stream}, which has versions 0..${last.version}`);
        if (query.tick !== undefined && query.tick > (last.metadata.tick ?? 0)) throw new HttpError(400, replayCodes.badRange, `tick ${query.tick} is past the end of ${params.stream}, whose last tick is ${last.metadata.tick ?? 0}`);
        const shown = events.filter((e) => (query.version === undefined || e.version <= query.version) && (query.tick === undefined || (e.metadata.tick ?? 0) <= query.tick));
        const at = shown.at(-1) ?? events[0]!;
        return { stream: params.stream, tick: at.metadata.tick ?? null, version: at.version, state: fold(shown, undecodable).state };
      },
    }),
  ];
}
