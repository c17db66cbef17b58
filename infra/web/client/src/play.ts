// /play — the reference client docs/protocol.md points to: sign in as a guest, pick oracles
// (a name and a chart each: the chart picks their element and abilities), then queue for a
// battle through matchmaking, challenge a bot, or perform a ritual with a bot; play with a
// button per ability (its targets as GET /content/active says, its cooldown from the state)
// and see every refusal with its code and message. A session the server no longer takes
// sends the player back to sign-in.
import { ApiError, joinErrorCode } from './api.ts';
import { playBattleBot, playRitualBot } from './bot.ts';
import { abilitiesOf, abilityOf, activeContent, type Chart, type Content } from './content.ts';
import { clientWith, onEveryChange, type Room } from './room.ts';
import { freshSession, SessionExpired, signInBot, signInGuest, signOut, storedSession, verifiedSession, type Session } from './session.ts';
import { announce, elementBadge, h, hpMeter, notice, seconds, show } from './ui.ts';
import { kindOf, resultText, ritualView, statusText, valuesOf, type AnyState, type OracleLike } from './views.ts';

type Pick = { name: string; chart: Chart };
type Cooldown = { abilityId: string; readyAtTick: number };
type PlayerOracle = OracleLike & { abilities: Iterable<string>; cooldowns?: Iterable<Cooldown> };

const PICKS_KEY = 'pantheon.picks';
const defaultPicks: Pick[] = [{ name: 'Pyra', chart: { sun: 'cancer', moon: 'pisces', rising: 'scorpio' } }];

let content: Content;
let pendingMessage: string | null = null;

function loadPicks(): Pick[] {
  try {
    const picks = JSON.parse(localStorage.getItem(PICKS_KEY) ?? 'null') as Pick[] | null;
    return picks && picks.length > 0 ? picks : defaultPicks;
  } catch {
    return defaultPicks;
  }
}

/** Anything that finds the session gone lands here: back to sign-in, saying why. */
function handle(error: unknown): void {
  if (error instanceof SessionExpired || (error instanceof ApiError && error.status === 401) || /auth\/(expired|invalid)_token/.test(String((error as Error)?.message))) {
    signOut();
    pendingMessage = error instanceof SessionExpired ? error.message : 'Your session has expired: sign in again.';
    signInView();
    return;
  }
  show([h('h1', {}, 'Something went wrong'), notice(error instanceof Error ? error.message : String(error), 'error', 'play-error'), h('button', { onclick: () => void lobby() }, 'Back')]);
}

// --- sign-in ---------------------------------------------------------------------------

function signInView(): void {
  document.title = 'Sign in · Pantheon';
  const name = h('input', { id: 'display-name', name: 'displayName', autocomplete: 'nickname', maxlength: 60, placeholder: 'Ann' });
  const form = h('form', { class: 'panel', 'aria-labelledby': 'signin-h' },
    h('h1', { id: 'signin-h' }, 'Sign in'),
    pendingMessage ? notice(pendingMessage, 'warn', 'signin-reason') : null,
    h('div', { class: 'field' }, h('label', { for: 'display-name' }, 'Display name (optional)'), name),
    h('button', { type: 'submit', 'data-testid': 'sign-in' }, 'Play as guest'),
    h('p', { class: 'muted' }, 'A guest is this browser: come back with it to be the same player.'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    pendingMessage = null;
    signInGuest(name.value.trim() || undefined).then(() => lobby(), (error: unknown) => {
      form.append(notice(error instanceof ApiError ? `${error.code}: ${error.message}` : String(error), 'error'));
    });
  });
  show(form, true);
  name.focus();
}

// --- lobby: oracles and what to play ---------------------------------------------------

async function lobby(): Promise<void> {
  let session: Session;
  try {
    session = await verifiedSession();
  } catch (error) {
    return handle(error);
  }
  document.title = 'Play · Pantheon';
  const picks = loadPicks();
  const signOptions = (selected: string) => content.signs.map((sign) => h('option', { value: sign.id, selected: sign.id === selected }, `${sign.name} (${sign.element})`));

  const list = h('div', {});
  function renderPicks(): void {
    list.replaceChildren(...picks.map((pick, index) => {
      const id = `o${index}`;
      const preview = h('p', { class: 'muted', 'data-testid': `preview-${index}` });
      const update = () => {
        preview.textContent = `Abilities: ${abilitiesOf(content, pick.chart).map((a) => `${a.name} (${a.target})`).join(', ')}`;
        localStorage.setItem(PICKS_KEY, JSON.stringify(picks));
      };
      const select = (placement: keyof Chart) => {
        const element = h('select', { id: `${id}-${placement}`, onchange: (e) => { pick.chart[placement] = (e.target as HTMLSelectElement).value; update(); } }, ...signOptions(pick.chart[placement]));
        return h('div', { class: 'field' }, h('label', { for: `${id}-${placement}` }, placement[0]!.toUpperCase() + placement.slice(1)), element);
      };
      const name = h('input', { id: `${id}-name`, value: pick.name, maxlength: 60, required: true, oninput: (e) => { pick.name = (e.target as HTMLInputElement).value || `Oracle ${index + 1}`; update(); } });
      update();
      return h('fieldset', { class: 'panel' }, h('legend', {}, `Oracle ${index + 1}`),
        h('div', { class: 'field' }, h('label', { for: `${id}-name` }, 'Name'), name),
        h('div', { class: 'grid three' }, select('sun'), select('moon'), select('rising')), preview,
        picks.length > 1 ? h('button', { type: 'button', class: 'secondary', onclick: () => { picks.splice(index, 1); renderPicks(); } }, `Remove ${pick.name}`) : null);
    }));
    localStorage.setItem(PICKS_KEY, JSON.stringify(picks));
  }
  renderPicks();
  const add = h('button', { type: 'button', class: 'secondary', onclick: () => { if (picks.length < 3) { picks.push({ name: `Oracle ${picks.length + 1}`, chart: { sun: 'aries', moon: 'taurus', rising: 'leo' } }); renderPicks(); } } }, 'Add an oracle');
  const ritualSelect = h('select', { id: 'ritual-id' }, ...content.rituals.filter((r) => r.minParticipants <= 2).map((r) => h('option', { value: r.id }, r.name)));
  const status = h('div', { 'aria-live': 'polite', 'data-testid': 'lobby-status' });

  show([
    h('h1', {}, `Welcome, ${session.displayName ?? 'guest'}`),
    h('p', { class: 'muted row' }, `Player ${session.playerId}`, h('button', { class: 'secondary', type: 'button', onclick: () => { signOut(); signInView(); } }, 'Sign out')),
    h('section', { 'aria-labelledby': 'oracles-h' }, h('h2', { id: 'oracles-h' }, 'Your oracles'), list, h('div', { class: 'row actions' }, add)),
    h('section', { class: 'panel', 'aria-labelledby': 'play-h' }, h('h2', { id: 'play-h' }, 'Play'),
      h('div', { class: 'row' },
        h('button', { type: 'button', 'data-testid': 'queue', onclick: () => void queue(picks, status) }, 'Find a battle (1 v 1)'),
        h('button', { type: 'button', class: 'secondary', 'data-testid': 'challenge-bot', onclick: () => void challengeBot(picks) }, 'Challenge a bot')),
      h('div', { class: 'field row' }, h('label', { for: 'ritual-id' }, 'Ritual'), ritualSelect,
        h('button', { type: 'button', class: 'secondary', 'data-testid': 'ritual-bot', onclick: () => void ritualWithBot(ritualSelect.value) }, 'Perform with a bot')),
      status),
  ], true);
}

function oraclesOf(session: Session, picks: Pick[], prefix = ''): { oracleId: string; name: string; chart: Chart }[] {
  return picks.map((pick, index) => ({ oracleId: `${prefix}${session.playerId.slice(-12)}-o${index + 1}`, name: pick.name, chart: { ...pick.chart } }));
}

async function queue(picks: Pick[], status: HTMLElement): Promise<void> {
  try {
    const session = await freshSession();
    const client = clientWith(session.accessToken);
    status.replaceChildren(notice('Looking for an opponent…', 'warn', 'queue-status'));
    const ticket = await client.joinOrCreate('matchmaking', { rating: 1500, mode: 'battle-1v1', oracles: oraclesOf(session, picks) });
    const cancel = h('button', { class: 'secondary', type: 'button', onclick: () => ticket.send('leave', {}) }, 'Leave the queue');
    status.append(cancel);
    ticket.onMessage('left', () => status.replaceChildren(notice('You left the queue.', 'good')));
    ticket.onMessage('refused', ({ code, message }: { code: string; message: string }) => status.append(notice(`${code}: ${message}`, 'error', 'refusal')));
    ticket.onMessage('matched', async (matched: { reservation: Parameters<typeof client.consumeSeatReservation>[0]; side: string | null }) => {
      try {
        const room = await client.consumeSeatReservation(matched.reservation);
        battleView(room, session, {});
      } catch (error) {
        handle(error);
      }
    });
  } catch (error) {
    const code = joinErrorCode(error);
    if (code.startsWith('auth/')) return handle(new SessionExpired());
    status.replaceChildren(notice(`${code}: ${error instanceof Error ? error.message : String(error)}`, 'error', 'refusal'));
  }
}

async function challengeBot(picks: Pick[]): Promise<void> {
  try {
    const [session, bot] = await Promise.all([freshSession(), signInBot()]);
    const mine = oraclesOf(session, picks);
    const botOracles = mine.map((_, index) => ({ oracleId: `bot-${bot.playerId.slice(-12)}-o${index + 1}`, name: `Automaton ${index + 1}`, chart: { sun: 'aries', moon: 'leo', rising: 'sagittarius' } }));
    const setup = { participants: [{ playerId: session.playerId, side: 'a', oracles: mine }, { playerId: bot.playerId, side: 'b', oracles: botOracles }], countdownTicks: 60 };
    const room = await clientWith(session.accessToken).create('battle', { setup });
    const botRoom = await clientWith(bot.accessToken).joinById(room.roomId);
    const stop = playBattleBot(botRoom, bot.playerId, content);
    battleView(room, session, { onEnd: () => { stop(); void botRoom.leave(); } });
  } catch (error) {
    const code = joinErrorCode(error);
    if (code.startsWith('auth/')) return handle(new SessionExpired());
    handle(error);
  }
}

// --- a battle -------------------------------------------------------------------------

type AbilityControl = { button: HTMLButtonElement; target: HTMLSelectElement | null; cooldown: HTMLElement };

function battleView(room: Room, session: Session, options: { onEnd?: () => void }): void {
  const me = session.playerId;
  const hz = content.tickHz.battle;
  const refusals = h('ol', { class: 'feed', 'data-testid': 'refusals', 'aria-live': 'polite' });
  const header = h('p', { class: 'row muted', 'data-testid': 'battle-status' });
  const resultBox = h('div', {});
  const sides = { a: h('div', {}), b: h('div', {}) };
  const cards = new Map<string, { card: HTMLElement; hp: HTMLElement; statuses: HTMLElement; controls: Map<string, AbilityControl> }>();
  let refs = 0;
  let ended = false;

  room.onMessage('refused', ({ code, message, commandType }: { code: string; message: string; commandType: string }) => {
    refusals.prepend(h('li', { 'data-testid': 'refusal' }, h('strong', {}, code), ` ${commandType}: ${message}`));
    announce(`Refused: ${message}`);
  });
  room.onMessage('room/status', ({ status, message }: { status: string; message?: string }) => {
    if (status === 'store_unavailable') refusals.prepend(h('li', {}, `The server paused the battle: ${message ?? ''}`));
  });
  room.onLeave((code) => {
    if (!ended && code !== 4000) resultBox.replaceChildren(notice(`Disconnected (${code}).`, 'error'));
  });

  const forfeit = h('button', { type: 'button', class: 'danger', 'data-testid': 'forfeit', onclick: () => room.send('Forfeit', {}) }, 'Forfeit');
  show([
    h('h1', {}, 'Battle'),
    header,
    resultBox,
    h('div', { class: 'grid two' },
      h('section', { class: 'panel', 'aria-labelledby': 'side-a' }, h('h2', { id: 'side-a' }, 'Side A'), sides.a),
      h('section', { class: 'panel', 'aria-labelledby': 'side-b' }, h('h2', { id: 'side-b' }, 'Side B'), sides.b)),
    h('section', { class: 'panel', 'aria-labelledby': 'refusals-h' }, h('h2', { id: 'refusals-h' }, 'Refusals'), refusals),
    h('div', { class: 'row' }, forfeit, h('a', { href: `/watch/${encodeURIComponent(room.roomId)}`, target: '_blank' }, 'Spectator link')),
  ], true);

  function cardFor(oracle: PlayerOracle, state: AnyState): void {
    if (cards.has(oracle.oracleId)) return;
    const mine = oracle.playerId === me;
    const hp = h('div', {});
    const statuses = h('div', { class: 'statuses' });
    const controls = new Map<string, AbilityControl>();
    const abilityBox = h('div', { class: 'abilities' });
    if (mine) {
      for (const abilityId of oracle.abilities) {
        const ability = abilityOf(content, abilityId);
        const name = ability?.name ?? abilityId;
        const aim = ability?.target ?? 'enemy';
        const selectId = `target-${oracle.oracleId}-${abilityId}`;
        const target = aim === 'self' ? null : h('select', { id: selectId, 'data-testid': 'target' });
        const cooldown = h('span', { class: 'muted' });
        const button = h('button', { type: 'button', 'data-testid': 'ability', 'data-ability': abilityId, 'data-oracle': oracle.oracleId }, `${name}`);
        button.addEventListener('click', () => {
          const targetId = target ? target.value : oracle.oracleId;
          if (!targetId) return;
          room.send('CastAbility', { oracleId: oracle.oracleId, abilityId, targetId, ref: `web:${++refs}` });
        });
        controls.set(abilityId, { button, target, cooldown });
        abilityBox.append(h('div', { class: 'ability' },
          h('div', {}, button, h('div', { class: 'muted' }, `${aim} · cooldown ${seconds(ability?.cooldownTicks ?? 0, hz)}`)),
          target ? h('div', {}, h('label', { for: selectId }, `${name}: target`), target) : h('div', { class: 'muted' }, 'targets itself'),
          cooldown));
      }
    }
    const card = h('article', { class: 'fighter', 'data-testid': `fighter-${oracle.oracleId}`, 'aria-label': `${oracle.name}${mine ? ' (yours)' : ''}` },
      h('div', { class: 'row' }, h('span', { class: 'name' }, oracle.name), elementBadge(oracle.element), mine ? h('span', { class: 'badge' }, 'yours') : null),
      hp, statuses, mine ? abilityBox : null);
    cards.set(oracle.oracleId, { card, hp, statuses, controls });
    (oracle.side === 'b' ? sides.b : sides.a).append(card);
    void state;
  }

  function render(): void {
    const state = room.state as AnyState & { seats?: { get(id: string): { side?: string } | undefined } };
    if (!state?.oracles) return;
    const tick = state.tick ?? 0;
    const oracles = valuesOf(state.oracles) as PlayerOracle[];
    const mySide = oracles.find((o) => o.playerId === me)?.side;
    const startsIn = (state.startTick ?? 0) - tick;
    header.replaceChildren(...[
      h('span', { class: `badge ${state.status === 'ended' ? 'clean' : 'running'}` }, state.status ?? ''),
      h('span', {}, `tick ${tick}`),
      startsIn > 0 && state.status === 'active' ? h('strong', { 'data-testid': 'countdown' }, `starts in ${seconds(startsIn, hz)}`) : null,
      state.status === 'active' && state.lastTick ? h('span', {}, `ends within ${seconds(state.lastTick - tick, hz)}`) : null,
      mySide ? h('span', {}, `you are side ${mySide.toUpperCase()}`) : null,
    ].filter((part): part is HTMLElement => part !== null));
    const standing = oracles.filter((o) => !o.fallen);
    for (const oracle of oracles) {
      cardFor(oracle, state);
      const view = cards.get(oracle.oracleId)!;
      view.card.classList.toggle('fallen', oracle.fallen);
      view.hp.replaceChildren(hpMeter(oracle.name, oracle.hp, oracle.maxHp, `hp-${oracle.oracleId}`), oracle.shield > 0 ? h('span', { class: 'muted' }, ` shield ${oracle.shield}`) : '');
      view.statuses.textContent = (oracle.fallen ? 'fallen ' : '') + statusText(oracle.statuses, tick);
      const stunned = [...(oracle.statuses ?? [])].some((s) => s.kind === 'stun' && s.expiresAtTick > tick);
      for (const [abilityId, control] of view.controls) {
        const ready = [...(oracle.cooldowns ?? [])].find((c) => c.abilityId === abilityId)?.readyAtTick ?? 0;
        const aim = abilityOf(content, abilityId)?.target ?? 'enemy';
        if (control.target) {
          const options = standing.filter((o) => (aim === 'enemy' ? o.side !== oracle.side : o.side === oracle.side));
          const wanted = options.map((o) => o.oracleId).join(',');
          if (control.target.dataset.options !== wanted) {
            const previous = control.target.value;
            control.target.replaceChildren(...options.map((o) => h('option', { value: o.oracleId, selected: o.oracleId === previous }, `${o.name} (${o.hp} HP)`)));
            control.target.dataset.options = wanted;
          }
        }
        const waiting = Math.max(0, ready - tick);
        control.cooldown.textContent = waiting > 0 ? `ready in ${seconds(waiting, hz)}` : 'ready';
        control.button.disabled = state.status !== 'active' || tick < (state.startTick ?? 0) || oracle.fallen || stunned || waiting > 0 || (control.target !== null && control.target.options.length === 0);
      }
    }
    if (state.status === 'ended' && !ended) {
      ended = true;
      forfeit.disabled = true;
      const text = resultText(state, mySide ? { side: mySide } : undefined) ?? 'Over';
      resultBox.replaceChildren(h('div', { class: 'panel' },
        h('p', { class: 'result', 'data-testid': 'result' }, text),
        h('p', { class: 'row' },
          h('a', { href: `/replay/battle-${encodeURIComponent(room.roomId)}`, 'data-testid': 'replay-link' }, 'Replay and audit'),
          h('button', { type: 'button', class: 'secondary', onclick: () => { void room.leave(); void lobby(); } }, 'Back to the lobby'))));
      announce(text);
      options.onEnd?.();
    }
  }
  onEveryChange(room, render);
  render();
}

// --- a ritual -------------------------------------------------------------------------

const rites = ['invoke', 'offer', 'chant', 'seal'] as const;

async function ritualWithBot(ritualId: string): Promise<void> {
  let room: Room;
  let stop = () => {};
  let session: Session;
  try {
    const [me, bot] = await Promise.all([freshSession(), signInBot()]);
    session = me;
    room = await clientWith(me.accessToken).create('ritual', { setup: { ritualId, participants: [me.playerId, bot.playerId] } });
    const botRoom = await clientWith(bot.accessToken).joinById(room.roomId);
    stop = playRitualBot(botRoom, bot.playerId);
  } catch (error) {
    const code = joinErrorCode(error);
    if (code.startsWith('auth/')) return handle(new SessionExpired());
    return handle(error);
  }
  const me = session.playerId;
  const feedback = h('ol', { class: 'feed', 'data-testid': 'refusals', 'aria-live': 'polite' });
  const stage = h('div', {});
  const resultBox = h('div', {});
  let synced = { tick: -1, at: performance.now() };
  let ended = false;
  const buttons = rites.map((rite, index) => {
    const button = h('button', { type: 'button', class: 'secondary', 'data-rite': rite, 'aria-keyshortcuts': String(index + 1), 'data-testid': `rite-${rite}` }, `${index + 1} · ${rite}`);
    button.addEventListener('click', () => channel(rite));
    return button;
  });
  function channel(rite: string): void {
    room.send('ChannelRite', { rite, ref: `web:${Date.now()}` });
    feedback.prepend(h('li', {}, `You channelled ${rite} at tick ${displayTick()}`));
  }
  const onKey = (event: KeyboardEvent) => {
    const index = Number(event.key) - 1;
    if (index >= 0 && index < rites.length && !(event.target instanceof HTMLInputElement)) {
      event.preventDefault();
      channel(rites[index]!);
    }
  };
  document.addEventListener('keydown', onKey);
  room.onMessage('refused', ({ code, message }: { code: string; message: string }) => feedback.prepend(h('li', { 'data-testid': 'refusal' }, h('strong', {}, code), ` ${message}`)));
  room.onMessage('room/status', () => {});
  show([
    h('h1', {}, 'Ritual'),
    h('p', { class: 'muted' }, 'Channel the rite shown when the marker is in the green window (the brightest third is perfect). Keys 1–4 channel invoke, offer, chant, seal.'),
    resultBox, stage,
    h('div', { class: 'rites', role: 'group', 'aria-label': 'Rites' }, ...buttons),
    h('section', { class: 'panel', 'aria-labelledby': 'ritual-log-h' }, h('h2', { id: 'ritual-log-h' }, 'What happened'), feedback),
  ], true);

  function displayTick(): number {
    const state = room.state as AnyState;
    const hz = state?.tickHz ?? 5;
    return synced.tick + Math.floor(((performance.now() - synced.at) / 1000) * hz);
  }
  function render(): void {
    const state = room.state as AnyState;
    if (!state || kindOf(state) !== 'ritual') return;
    if ((state.tick ?? 0) !== synced.tick) synced = { tick: state.tick ?? 0, at: performance.now() };
    stage.replaceChildren(ritualView(state, displayTick(), new Map([[me, 0]])));
    const mine = state.stepPlayerId === me || state.stepSeat === -1;
    for (const button of buttons) {
      button.classList.toggle('expected', mine && button.dataset.rite === state.stepRite);
      button.disabled = state.status !== 'in_progress';
    }
    if (state.status === 'ended' && !ended) {
      ended = true;
      stop();
      document.removeEventListener('keydown', onKey);
      const text = resultText(state) ?? 'Over';
      resultBox.replaceChildren(h('div', { class: 'panel' }, h('p', { class: 'result', 'data-testid': 'result' }, text),
        h('p', { class: 'row' }, h('a', { href: `/replay/ritual-${encodeURIComponent(room.roomId)}` }, 'Replay and audit'),
          h('button', { type: 'button', class: 'secondary', onclick: () => { void room.leave(); void lobby(); } }, 'Back to the lobby'))));
      announce(text);
    }
  }
  onEveryChange(room, render);
  // The marker moves between syncs too.
  const timer = setInterval(() => (ended ? clearInterval(timer) : render()), 100);
  render();
}

async function start(): Promise<void> {
  try {
    content = await activeContent();
  } catch (error) {
    show(notice(`The game content could not be loaded: ${String(error)}`, 'error'));
    return;
  }
  if (!storedSession()) return signInView();
  await lobby();
}

void start();
