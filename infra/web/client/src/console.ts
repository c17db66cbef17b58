// /console — for admins and auditors: rooms and clients per game-server process, charts of
// this server's metrics (CCU, events appended, commands, event loop lag), every projection's
// checkpoint and lag with a rebuild button (admins), the Kafka relay's lag, recent audits and
// anti-cheat findings, content versions and, for admins, feature flags and the Colyseus monitor.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { api, ApiError } from './api.ts';
import { freshSession, signInGuest, signOut, storedSession, SessionExpired, type Session } from './session.ts';
import { announce, h, notice, show } from './ui.ts';

type Projection = { name: string; kind: 'projection' | 'reactor'; state: string; position: number; head: number; lagEvents: number; lagMs: number; version: number | null; generation: number | null; error: string | null };
type Rooms = { processes: { processId: string; rooms: number; ccu: number }[]; rooms: { roomId: string; name: string; processId: string; clients: number; locked: boolean; match: string | null }[] };
type Metrics = { at: number; ccu: number; appendedEvents: number; commands: { accepted: number; refused: number }; roomErrors: number; eventLoopLagSeconds: number | null; residentMemoryBytes: number | null; rooms: Record<string, number> };
type Relay = { relay: { name: string; position: number; head: number; lagEvents: number; lagMs: number; error: string | null } | null };
type Audits = { audits: { streamId: string; verdict: string; lastVersion: number; rulesVersion: string | null; position: number }[] };
type Findings = { findings: { findingId: string; streamId: string; playerId: string | null; kind: string; tick: number | null }[] };
type Contents = { active: string; versions: { version: string; source: string }[] };
type Flags = { flags: { key: string; type: string; defaultValue: unknown; archived?: boolean; rules?: unknown[] }[] };

const POLL_MS = 2000;
const WINDOW = 150; // points kept per chart (5 minutes at one every 2 s)

function signInView(reason?: string): void {
  document.title = 'Console sign-in · Pantheon';
  const device = h('input', { id: 'device', autocomplete: 'username', minlength: 16, maxlength: 128, required: true, pattern: '[A-Za-z0-9_\\-]{16,128}' });
  const form = h('form', { class: 'panel', 'aria-labelledby': 'console-signin-h' },
    h('h1', { id: 'console-signin-h' }, 'Operator console'),
    reason ? notice(reason, 'warn', 'signin-reason') : null,
    h('p', { class: 'muted' }, 'Sign in with the device id of a guest account that the server names as an admin or auditor (PANTHEON_ADMIN_PLAYER_IDS, PANTHEON_AUDITOR_PLAYER_IDS).'),
    h('div', { class: 'field' }, h('label', { for: 'device' }, 'Device id'), device),
    h('button', { type: 'submit', 'data-testid': 'console-sign-in' }, 'Sign in'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    signInGuest(undefined, device.value.trim()).then(() => void start(), (error: unknown) => form.append(notice(error instanceof ApiError ? `${error.code}: ${error.message}` : String(error), 'error')));
  });
  show(form, true);
}

function chart(title: string, series: string[], unit: string): { element: HTMLElement; push(at: number, values: (number | null)[]): void } {
  const element = h('figure', { class: 'panel chart', 'aria-label': `${title} (chart)` }, h('figcaption', {}, h('h3', {}, title)));
  const data: (number | null)[][] = [[], ...series.map(() => [])];
  const colors = ['#58c98a', '#ef6b6b', '#4aa3f0', '#f0c060'];
  const last = h('p', { class: 'muted', 'data-testid': `chart-${title}` });
  element.append(last);
  let plot: uPlot | null = null;
  return {
    element,
    push(at, values) {
      data[0]!.push(at / 1000);
      values.forEach((value, i) => data[i + 1]!.push(value));
      if (data[0]!.length > WINDOW) for (const column of data) column.shift();
      last.textContent = series.map((name, i) => `${name}: ${values[i] === null ? '—' : `${Math.round((values[i] ?? 0) * 100) / 100} ${unit}`}`).join(' · ');
      const width = Math.max(240, element.clientWidth - 24);
      if (!plot) {
        plot = new uPlot({ width, height: 160, series: [{}, ...series.map((label, i) => ({ label, stroke: colors[i % colors.length]!, width: 2 }))], axes: [{ stroke: '#a4abbd' }, { stroke: '#a4abbd' }], legend: { show: true } }, data as uPlot.AlignedData, element);
      } else {
        if (Math.abs(plot.width - width) > 8) plot.setSize({ width, height: 160 });
        plot.setData(data as uPlot.AlignedData);
      }
    },
  };
}

async function start(): Promise<void> {
  let session: Session;
  try {
    if (!storedSession()) return signInView();
    session = await freshSession();
  } catch (error) {
    signOut();
    return signInView(error instanceof SessionExpired ? error.message : String(error));
  }
  const admin = session.roles.includes('admin');
  if (!admin && !session.roles.includes('auditor')) {
    return show([h('h1', {}, 'Operator console'), notice(`This account (player ${session.playerId}) is neither an admin nor an auditor. An operator can add it to PANTHEON_ADMIN_PLAYER_IDS or PANTHEON_AUDITOR_PLAYER_IDS.`, 'error', 'not-operator'),
      h('button', { type: 'button', onclick: () => { signOut(); signInView(); } }, 'Sign in as someone else')], true);
  }
  document.title = 'Console · Pantheon';
  const call = async <T>(path: string, method: 'GET' | 'POST' = 'GET'): Promise<T> => api<T>(path, { method, token: (await freshSession()).accessToken });

  const charts = {
    ccu: chart('Clients connected', ['CCU'], ''),
    events: chart('Events appended per second', ['events/s'], '/s'),
    commands: chart('Commands per second', ['accepted', 'refused'], '/s'),
    lag: chart('Event loop lag', ['lag'], 'ms'),
  };
  const rooms = h('div', { class: 'table-wrap' });
  const projections = h('div', { class: 'table-wrap' });
  const rebuildStatus = h('div', { 'aria-live': 'polite', 'data-testid': 'rebuild-status' });
  const relay = h('div', { 'data-testid': 'relay' });
  const audits = h('div', { class: 'table-wrap' });
  const findings = h('div', { class: 'table-wrap' });
  const contents = h('div', {});
  const flags = h('div', { class: 'table-wrap' });
  const problems = h('div', { 'aria-live': 'polite' });
  const rebuilding = new Set<string>();

  const monitor = admin
    ? h('button', { type: 'button', class: 'secondary', 'data-testid': 'open-monitor', onclick: async () => {
        try {
          const { url } = await call<{ url: string }>('/operations/monitor-session', 'POST');
          location.assign(url);
        } catch (error) {
          problems.replaceChildren(notice(String(error), 'error'));
        }
      } }, 'Colyseus monitor')
    : null;

  show([
    h('h1', {}, 'Operator console'),
    h('p', { class: 'row muted' }, `${session.displayName ?? session.playerId} · ${session.roles.join(', ')}`, monitor,
      h('button', { type: 'button', class: 'secondary', onclick: () => { signOut(); signInView(); } }, 'Sign out')),
    problems,
    h('div', { class: 'grid two' }, charts.ccu.element, charts.events.element, charts.commands.element, charts.lag.element),
    h('section', { class: 'panel', 'aria-labelledby': 'rooms-h' }, h('h2', { id: 'rooms-h' }, 'Rooms and clients per process'), rooms),
    h('section', { class: 'panel', 'aria-labelledby': 'proj-h' }, h('h2', { id: 'proj-h' }, 'Projections and reactors'), rebuildStatus, projections),
    h('div', { class: 'grid two' },
      h('section', { class: 'panel', 'aria-labelledby': 'relay-h' }, h('h2', { id: 'relay-h' }, 'Kafka relay'), relay),
      h('section', { class: 'panel', 'aria-labelledby': 'content-h' }, h('h2', { id: 'content-h' }, 'Content versions'), contents)),
    h('section', { class: 'panel', 'aria-labelledby': 'audits-h' }, h('h2', { id: 'audits-h' }, 'Recent audits'), audits),
    h('section', { class: 'panel', 'aria-labelledby': 'findings-h' }, h('h2', { id: 'findings-h' }, 'Anti-cheat findings'), findings),
    h('section', { class: 'panel', 'aria-labelledby': 'flags-h' }, h('h2', { id: 'flags-h' }, 'Feature flags'), flags),
  ], true);

  async function rebuild(name: string): Promise<void> {
    rebuilding.add(name);
    rebuildStatus.replaceChildren(notice(`Rebuilding ${name} from position 0…`, 'warn', 'rebuild-progress'));
    void refresh();
    try {
      const report = await call<{ events: number; position: number; durationMs: number }>(`/projections/${encodeURIComponent(name)}/rebuild`, 'POST');
      const text = `${name} rebuilt: ${report.events} events up to position ${report.position} in ${Math.round(report.durationMs)} ms`;
      rebuildStatus.replaceChildren(notice(text, 'good', 'rebuild-done'));
      announce(text);
    } catch (error) {
      rebuildStatus.replaceChildren(notice(error instanceof ApiError ? `${error.code}: ${error.message}` : String(error), 'error', 'rebuild-failed'));
    } finally {
      rebuilding.delete(name);
      void refresh();
    }
  }

  const table = (head: string[], body: HTMLElement[], testId: string) =>
    h('table', { 'data-testid': testId }, h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, ...body));
  let previous: Metrics | null = null;

  async function refresh(): Promise<void> {
    const settle = await Promise.allSettled([
      call<Metrics>('/operations/metrics'), call<Rooms>('/operations/rooms'), call<{ projections: Projection[] }>('/projections'),
      call<Relay>('/operations/relay'), call<Audits>('/anticheat/audits?limit=20'), call<Findings>('/anticheat/findings?limit=20'),
      api<Contents>('/content'), admin ? call<Flags>('/flags') : Promise.reject(new ApiError(403, 'auth/forbidden', 'flags are for admins')),
    ]);
    const [metrics, roomList, projectionList, relayStatus, auditList, findingList, contentList, flagList] = settle;
    const failed = settle.find((r) => r.status === 'rejected' && r.reason instanceof SessionExpired);
    if (failed) return signInView('Your session has expired: sign in again.');
    if (metrics.status === 'fulfilled') {
      const m = metrics.value;
      charts.ccu.push(m.at, [m.ccu]);
      const dt = previous ? (m.at - previous.at) / 1000 : 0;
      const rate = (now: number, before: number | undefined) => (previous && dt > 0 ? Math.max(0, (now - (before ?? 0)) / dt) : null);
      charts.events.push(m.at, [rate(m.appendedEvents, previous?.appendedEvents)]);
      charts.commands.push(m.at, [rate(m.commands.accepted, previous?.commands.accepted), rate(m.commands.refused, previous?.commands.refused)]);
      charts.lag.push(m.at, [m.eventLoopLagSeconds === null ? null : m.eventLoopLagSeconds * 1000]);
      previous = m;
    }
    if (roomList.status === 'fulfilled') {
      rooms.replaceChildren(
        table(['Process', 'Rooms', 'Clients (CCU)'], roomList.value.processes.map((p) => h('tr', {}, h('td', {}, h('code', {}, p.processId)), h('td', {}, String(p.rooms)), h('td', { 'data-testid': 'process-ccu' }, String(p.ccu)))), 'processes'),
        table(['Room', 'Kind', 'Clients', 'Process', 'Watch'], roomList.value.rooms.map((r) => h('tr', {},
          h('td', {}, h('code', {}, r.roomId)), h('td', {}, r.name), h('td', {}, String(r.clients)), h('td', {}, h('code', {}, r.processId)),
          h('td', {}, ['battle', 'raid', 'ritual'].includes(r.name) ? h('a', { href: `/watch/${encodeURIComponent(r.roomId)}` }, 'watch') : r.match ? h('a', { href: `/watch/${encodeURIComponent(r.match)}` }, 'watch') : ''))), 'rooms'));
    }
    if (projectionList.status === 'fulfilled') {
      projections.replaceChildren(table(['Name', 'Kind', 'State', 'Position', 'Head', 'Lag (events)', 'Lag (ms)', ''], projectionList.value.projections.map((p) => {
        const state = rebuilding.has(p.name) ? 'rebuilding' : p.state;
        return h('tr', { 'data-testid': `projection-${p.name}` },
          h('th', { scope: 'row' }, p.name), h('td', {}, p.kind), h('td', {}, h('span', { class: `badge ${state}`, 'data-testid': 'projection-state' }, state), p.error ? h('div', { class: 'statuses' }, p.error) : null),
          h('td', {}, String(p.position)), h('td', {}, String(p.head)), h('td', { 'data-testid': 'lag-events' }, String(p.lagEvents)), h('td', { 'data-testid': 'lag-ms' }, String(Math.round(p.lagMs))),
          h('td', {}, admin && p.kind === 'projection' ? h('button', { type: 'button', class: 'secondary', 'data-testid': 'rebuild', disabled: rebuilding.has(p.name), 'aria-label': `Rebuild ${p.name}`, onclick: () => void rebuild(p.name) }, 'Rebuild') : null));
      }), 'projections'));
    }
    if (relayStatus.status === 'fulfilled') {
      const r = relayStatus.value.relay;
      relay.replaceChildren(r ? h('div', { class: 'kv' }, h('span', {}, 'Checkpoint'), h('span', {}, `${r.position} of ${r.head}`), h('span', {}, 'Lag'), h('span', { 'data-testid': 'relay-lag' }, `${r.lagEvents} events, ${Math.round(r.lagMs)} ms`), ...(r.error ? [h('span', {}, 'Error'), h('span', { class: 'statuses' }, r.error)] : []))
        : h('p', { class: 'muted' }, 'No relay has run against this store (KAFKA_BROKERS unset).'));
    }
    if (auditList.status === 'fulfilled') {
      audits.replaceChildren(auditList.value.audits.length === 0 ? h('p', { class: 'muted' }, 'Nothing audited yet.')
        : table(['Stream', 'Verdict', 'Up to version', 'Rules'], auditList.value.audits.map((a) => h('tr', { class: a.verdict === 'clean' ? '' : 'bad' },
            h('td', {}, h('a', { href: `/replay/${encodeURIComponent(a.streamId)}` }, a.streamId)), h('td', {}, h('span', { class: `badge ${a.verdict}` }, a.verdict)), h('td', {}, String(a.lastVersion)), h('td', {}, a.rulesVersion ?? ''))), 'audits'));
    }
    if (findingList.status === 'fulfilled') {
      findings.replaceChildren(findingList.value.findings.length === 0 ? h('p', { class: 'muted' }, 'No findings.')
        : table(['Stream', 'Kind', 'Player', 'Tick'], findingList.value.findings.map((f) => h('tr', {},
            h('td', {}, h('a', { href: `/replay/${encodeURIComponent(f.streamId)}` }, f.streamId)), h('td', {}, f.kind), h('td', {}, f.playerId ?? ''), h('td', {}, f.tick === null ? '' : String(f.tick)))), 'findings'));
    }
    if (contentList.status === 'fulfilled') {
      contents.replaceChildren(h('ul', { 'data-testid': 'content-versions' }, ...contentList.value.versions.map((v) => h('li', {}, h('code', {}, v.version), ` (${v.source})`, v.version === contentList.value.active ? h('span', { class: 'badge clean' }, 'active') : null))));
    }
    if (flagList.status === 'fulfilled') {
      flags.replaceChildren(flagList.value.flags.length === 0 ? h('p', { class: 'muted' }, 'No flags defined.')
        : table(['Flag', 'Type', 'Default', 'Rules'], flagList.value.flags.map((f) => h('tr', {}, h('td', {}, h('code', {}, f.key)), h('td', {}, f.type), h('td', {}, JSON.stringify(f.defaultValue)), h('td', {}, String(f.rules?.length ?? 0)))), 'flags'));
    } else {
      flags.replaceChildren(h('p', { class: 'muted' }, admin ? `Flags could not be read: ${String(flagList.reason)}` : 'Flags are shown to admins.'));
    }
  }
  await refresh();
  const timer = setInterval(() => void refresh().catch((error: unknown) => problems.replaceChildren(notice(String(error), 'error'))), POLL_MS);
  window.addEventListener('pagehide', () => clearInterval(timer));
}

void start();
