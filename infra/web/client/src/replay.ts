// /replay/:stream — a match scrubbed tick by tick from its log (GET /replays/:stream: the same
// timeline and state as `pantheon replay`), with its state hash checkpoints and the verdict of
// an audit; for a diverged or tampered stream, the first bad tick is highlighted and one
// click away. Signed-in operators see live matches too; anyone else replays ended ones with a
// watch-only token.
import { api, ApiError } from './api.ts';
import { storedSession, watchToken, freshSession } from './session.ts';
import { announce, h, notFound, notice, show } from './ui.ts';

type Entry = { version: number; position: number; tick: number | null; type: string; data: unknown; recordedAt: string };
type Replay = {
  stream: string; kind: string; rulesVersion: string; status: 'live' | 'ended'; lastVersion: number; lastTick: number;
  warnings: string[]; events: Entry[];
  checkpoints: { tick: number; version: number; hash: string; status: 'verified' | 'mismatch' | 'unverified' }[];
  audit: { verdict: 'clean' | 'diverged' | 'tampered'; firstBad: { tick: number | null; version: number; verdict: string; reason: string } | null; diff: string[] };
  recordedAudit: { verdict: string; lastVersion: number; position: number } | null;
  state: unknown;
};
type RulesOracle = { oracleId: string; name: string; side?: string; hp: number; shield: number; fallen: boolean; stats?: { hp: number }; phaseId?: string };

const stream = decodeURIComponent(location.pathname.replace(/^\/replay\//, ''));

async function token(): Promise<string> {
  const session = storedSession();
  if (session && session.roles.some((role) => role === 'admin' || role === 'auditor')) {
    try {
      return (await freshSession()).accessToken;
    } catch {
      // fall back to watching
    }
  }
  return watchToken();
}

function describe(entry: Entry): string {
  const data = entry.data as Record<string, unknown>;
  if (entry.type === 'CommandAccepted') {
    const { type, playerId: _p, ...payload } = (data.command ?? {}) as Record<string, unknown>;
    return `${String(data.playerId)} → ${String(type)} ${JSON.stringify(payload)}`;
  }
  if (entry.type === 'CommandRejected') return `${String(data.playerId)} ✗ ${String(data.commandType)}: ${String(data.code)}`;
  if (entry.type === 'StateHashed') return `state hash ${String(data.hash).slice(0, 12)}…`;
  const text = JSON.stringify(data);
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

/** The fighters of a folded rules state (battle, raid) or a ritual's progress, readably. */
function stateSummary(state: unknown): HTMLElement {
  const s = (state ?? {}) as { oracles?: RulesOracle[]; boss?: RulesOracle; status?: string; stepIndex?: number; missteps?: number; outcome?: unknown };
  const fighters = [...(s.boss ? [{ ...s.boss, side: 'boss' }] : []), ...(s.oracles ?? [])];
  if (fighters.length === 0) {
    return h('div', { class: 'kv', 'data-testid': 'state-summary' }, h('span', {}, 'status'), h('span', {}, String(s.status ?? '')),
      h('span', {}, 'step'), h('span', {}, String(s.stepIndex ?? '')), h('span', {}, 'missteps'), h('span', {}, String(s.missteps ?? '')));
  }
  return h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'state-summary' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Oracle'), h('th', {}, 'Side'), h('th', {}, 'HP'), h('th', {}, 'Shield'), h('th', {}, ''))),
    h('tbody', {}, ...fighters.map((o) => h('tr', { 'data-testid': `replay-hp-${o.oracleId}` },
      h('td', {}, o.name), h('td', {}, o.side ?? ''), h('td', {}, `${o.hp} / ${o.stats?.hp ?? '?'}`), h('td', {}, String(o.shield)), h('td', {}, o.fallen ? 'fallen' : ''))))));
}

async function start(): Promise<void> {
  document.title = `Replay ${stream} · Pantheon`;
  let replay: Replay;
  let bearer: string;
  try {
    bearer = await token();
    replay = await api<Replay>(`/replays/${encodeURIComponent(stream)}`, { token: bearer });
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.code === 'http/invalid_params')) return show(notFound('Stream', `There is no battle, raid or ritual stream called “${stream}”.`), true);
    if (error instanceof ApiError && error.code === 'replay/live_match') {
      return show([h('h1', {}, 'This match is still being played'), notice(error.message, 'warn', 'live-match'), h('p', {}, h('a', { href: `/watch/${encodeURIComponent(stream)}` }, 'Watch it live'))]);
    }
    return show([h('h1', {}, 'Cannot replay this stream'), notice(error instanceof Error ? error.message : String(error), 'error', 'replay-error')]);
  }

  const ticks = [...new Set(replay.events.map((e) => e.tick ?? 0))].sort((a, b) => a - b);
  const bad = replay.audit.firstBad;
  const states = new Map<number, unknown>([[replay.lastTick, replay.state]]);
  let index = ticks.length - 1;

  const slider = h('input', { type: 'range', id: 'tick', min: 0, max: Math.max(0, ticks.length - 1), value: index, 'aria-describedby': 'tick-now' });
  const now = h('output', { id: 'tick-now', for: 'tick', 'data-testid': 'current-tick' });
  const timeline = h('ol', { class: 'feed timeline', 'aria-label': 'Timeline' });
  const summary = h('div', {});
  const json = h('pre', { class: 'state', 'data-testid': 'state-json', tabindex: 0, 'aria-label': 'State at this tick (JSON)' });
  const rows = new Map<number, HTMLElement[]>();
  for (const entry of replay.events) {
    const isBad = bad !== null && entry.version === bad.version;
    const row = h('li', { class: isBad ? 'bad' : '', 'data-version': entry.version, 'data-tick': entry.tick ?? 0, 'data-testid': isBad ? 'first-bad' : undefined },
      h('span', { class: 'muted' }, `v${entry.version} t${entry.tick ?? 0} `), h('strong', {}, entry.type), ` ${describe(entry)}`, isBad ? h('span', { class: 'badge diverged' }, `first bad: ${bad!.verdict}`) : null);
    const list = rows.get(entry.tick ?? 0) ?? [];
    list.push(row);
    rows.set(entry.tick ?? 0, list);
    timeline.append(row);
  }

  async function go(to: number): Promise<void> {
    index = Math.max(0, Math.min(ticks.length - 1, to));
    slider.value = String(index);
    const tick = ticks[index] ?? 0;
    now.textContent = `tick ${tick} (${index + 1} of ${ticks.length} ticks with events)`;
    for (const [t, list] of rows) for (const row of list) row.classList.toggle('current', t === tick);
    rows.get(tick)?.[0]?.scrollIntoView({ block: 'nearest' });
    let state = states.get(tick);
    if (state === undefined) {
      state = (await api<{ state: unknown }>(`/replays/${encodeURIComponent(stream)}/state?tick=${tick}`, { token: bearer })).state;
      states.set(tick, state);
    }
    if ((ticks[index] ?? 0) !== tick) return; // moved on meanwhile
    summary.replaceChildren(stateSummary(state));
    json.textContent = JSON.stringify(state, null, 2);
    json.dataset.tick = String(tick);
  }
  let pending: ReturnType<typeof setTimeout> | undefined;
  slider.addEventListener('input', () => {
    clearTimeout(pending);
    pending = setTimeout(() => void go(Number(slider.value)), 120);
  });

  const verdictText = { clean: 'Clean: the rules reproduce every event', diverged: `Diverged at tick ${bad?.tick ?? '?'} (version ${bad?.version ?? '?'})`, tampered: `Tampered at version ${bad?.version ?? '?'}` }[replay.audit.verdict];
  const badTickIndex = bad && bad.tick !== null ? ticks.indexOf(bad.tick) : -1;
  show([
    h('h1', {}, `Replay of ${replay.stream}`),
    h('p', { class: 'muted' }, `${replay.kind} rules ${replay.rulesVersion} · versions 0..${replay.lastVersion} · ticks 0..${replay.lastTick} · ${replay.status}`),
    ...replay.warnings.map((warning) => notice(warning, 'error', 'replay-warning')),
    h('section', { class: 'panel', 'aria-labelledby': 'audit-h' }, h('h2', { id: 'audit-h' }, 'Audit'),
      h('p', {}, h('span', { class: `badge ${replay.audit.verdict}`, 'data-testid': 'verdict' }, replay.audit.verdict), ' ', verdictText),
      bad ? h('p', { 'data-testid': 'first-bad-reason' }, bad.reason) : null,
      badTickIndex >= 0 ? h('button', { type: 'button', class: 'danger', 'data-testid': 'jump-bad', onclick: () => void go(badTickIndex) }, `Go to the first bad tick (${bad!.tick})`) : null,
      h('p', { class: 'muted', 'data-testid': 'recorded-audit' }, replay.recordedAudit ? `The audit worker recorded: ${replay.recordedAudit.verdict} (up to version ${replay.recordedAudit.lastVersion})` : 'Not yet audited by the audit worker.')),
    h('section', { class: 'panel', 'aria-labelledby': 'scrub-h' }, h('h2', { id: 'scrub-h' }, 'Scrub'),
      h('label', { for: 'tick' }, 'Tick'), slider, now,
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'secondary', 'data-testid': 'first', onclick: () => void go(0) }, 'First'),
        h('button', { type: 'button', class: 'secondary', 'data-testid': 'prev', onclick: () => void go(index - 1) }, 'Previous'),
        h('button', { type: 'button', class: 'secondary', 'data-testid': 'next', onclick: () => void go(index + 1) }, 'Next'),
        h('button', { type: 'button', class: 'secondary', 'data-testid': 'last', onclick: () => void go(ticks.length - 1) }, 'Last'))),
    h('div', { class: 'grid two' },
      h('section', { class: 'panel', 'aria-labelledby': 'state-h' }, h('h2', { id: 'state-h' }, 'State'), summary, h('details', {}, h('summary', {}, 'Full state (JSON)'), json)),
      h('section', { class: 'panel', 'aria-labelledby': 'timeline-h' }, h('h2', { id: 'timeline-h' }, 'Timeline'), timeline)),
    h('section', { class: 'panel', 'aria-labelledby': 'cp-h' }, h('h2', { id: 'cp-h' }, 'State hash checkpoints'),
      replay.checkpoints.length === 0 ? h('p', { class: 'muted' }, 'None recorded.') : h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'checkpoints' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Tick'), h('th', {}, 'Version'), h('th', {}, 'Hash'), h('th', {}, 'Check'))),
        h('tbody', {}, ...replay.checkpoints.map((c) => h('tr', { class: c.status === 'mismatch' ? 'bad' : '' },
          h('td', {}, h('button', { type: 'button', class: 'secondary', onclick: () => void go(ticks.indexOf(c.tick)) }, String(c.tick))),
          h('td', {}, String(c.version)), h('td', {}, h('code', { title: c.hash }, `${c.hash.slice(0, 8)}…`)), h('td', {}, h('span', { class: `badge ${c.status}` }, c.status)))))))),
  ], true);
  document.addEventListener('keydown', (event) => {
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) return;
    if (event.key === 'ArrowLeft') void go(index - 1);
    if (event.key === 'ArrowRight') void go(index + 1);
  });
  await go(index);
  if (bad) announce(`This stream is ${bad.verdict}: first bad tick ${bad.tick ?? '?'}`);
}

void start();
