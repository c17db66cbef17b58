// /watch/:match — a battle, raid or ritual as it is played, for anyone: the page fetches a
// watch-only token itself, joins the match's spectator room (docs/protocol.md, Spectator
// room), and shows the oracles and their HP, the boss's phase, the ritual's rhythm, the feed
// of the last actions and the narration as it streams; once the match is over, its result
// and a link to its replay with the audit verdict. A match that has ended shows its result at
// once (the spectator room folds its whole stream); an unknown one says so.
import { joinErrorCode } from './api.ts';
import { clientWith, onEveryChange, type Room } from './room.ts';
import { watchToken } from './session.ts';
import { announce, h, notFound, notice, show } from './ui.ts';
import { combatView, kindOf, resultText, ritualView, type AnyState } from './views.ts';

type Summary = {
  streamId: string; matchId: string; kind: string; status: 'live' | 'ended'; tick: number;
  lastActions: { tick: number; text: string }[]; narration: string | null; result: string | null; winner: string | null;
};
type NarrationPiece = { type: 'delta' | 'retracted' | 'recorded'; narrationId: string; text?: string };

const match = decodeURIComponent(location.pathname.replace(/^\/watch\//, ''));

async function start(): Promise<void> {
  document.title = `Watching ${match} · Pantheon`;
  let room: Room;
  try {
    room = await clientWith(await watchToken()).joinOrCreate('spectator', { match, spectator: true });
  } catch (error) {
    const code = joinErrorCode(error);
    if (code === 'spectator/unknown_match' || code === 'spectator/invalid_options') {
      show(notFound('Match', `There is no battle, raid or ritual called “${match}”. Check the link you were given.`), true);
      return;
    }
    show([h('h1', {}, 'Cannot watch this match'), notice(`${code}: ${error instanceof Error ? error.message : String(error)}`, 'error', 'watch-error')]);
    return;
  }

  let summary: Summary | null = null;
  const narrations = new Map<string, { text: string; final: boolean }>();
  let announcedEnd = false;
  room.onMessage('summary', (next: Summary) => {
    summary = next;
    render();
  });
  room.onMessage('narration', (piece: NarrationPiece) => {
    const current = narrations.get(piece.narrationId) ?? { text: '', final: false };
    if (piece.type === 'delta' && !current.final) current.text += (current.text ? ' ' : '') + (piece.text ?? '');
    if (piece.type === 'retracted') current.text = '';
    if (piece.type === 'recorded') narrations.set(piece.narrationId, { text: piece.text ?? '', final: true });
    else narrations.set(piece.narrationId, current);
    render();
  });
  room.onLeave((code) => {
    if (code !== 4000) main.append(notice('The spectator connection closed.', 'warn', 'watch-closed'));
  });

  const main = document.getElementById('main')!;
  function render(): void {
    const state = room.state as AnyState | undefined;
    if (!state) return;
    const kind = summary?.kind ?? kindOf(state);
    const result = state.status === 'ended' ? (resultText(state) ?? summary?.result) : null;
    const streamId = summary?.streamId ?? `${kind}-${match}`;
    const live = [...narrations.values()].filter((n) => n.text).map((n) => n.text);
    const narrationText = live.at(-1) ?? summary?.narration ?? null;
    const tick = state.tick ?? 0;
    show([
      h('h1', {}, `${kind[0]!.toUpperCase()}${kind.slice(1)} ${summary?.matchId ?? match}`),
      h('p', { class: 'row muted' }, h('span', { class: `badge ${state.status === 'ended' ? 'clean' : 'running'}`, 'data-testid': 'match-status' }, state.status === 'ended' ? 'ended' : 'live'), `tick ${tick}`),
      result
        ? h('div', { class: 'panel' },
            h('p', { class: 'result', 'data-testid': 'result' }, result),
            h('p', {}, h('a', { href: `/replay/${encodeURIComponent(streamId)}`, 'data-testid': 'audit-link' }, 'Replay and audit verdict')))
        : null,
      kind === 'ritual' ? ritualView(state, tick) : combatView(state),
      h('div', { class: 'grid two' },
        h('section', { class: 'panel', 'aria-labelledby': 'feed-h' }, h('h2', { id: 'feed-h' }, 'Last actions'),
          h('ol', { class: 'feed', 'data-testid': 'feed' }, ...(summary?.lastActions ?? []).map((a) => h('li', {}, h('span', { class: 'muted' }, `t${a.tick} `), a.text)))),
        h('section', { class: 'panel', 'aria-labelledby': 'narration-h' }, h('h2', { id: 'narration-h' }, 'The oracle speaks'),
          h('p', { class: 'narration', 'data-testid': 'narration', 'aria-live': 'polite' }, narrationText ?? '…'))),
    ]);
    if (result && !announcedEnd) {
      announcedEnd = true;
      announce(result);
    }
  }
  onEveryChange(room, render);
  render();
}

void start();
