// Small DOM helpers shared by the pages: element building without innerHTML (so text from the
// server is never markup), live announcements for screen readers, HP meters.

type Attrs = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;
type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(key.replace(/^on/, '').toLowerCase(), value);
    else if (key === 'class') element.className = String(value);
    // Through the CSSOM: the pages' Content-Security-Policy refuses inline style attributes.
    else if (key === 'style') element.style.cssText = String(value);
    else if (value === true) element.setAttribute(key, '');
    else element.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
  return element;
}

export function main(): HTMLElement {
  return document.getElementById('main')!;
}

/** Replaces the page's content (and moves focus there when asked, for a new view). */
export function show(content: Node | (Node | null)[], focus = false): void {
  const target = main();
  target.replaceChildren(...(Array.isArray(content) ? content : [content]).filter((node): node is Node => node !== null));
  if (focus) target.focus();
}

/** Says something to screen readers without moving focus. */
export function announce(message: string): void {
  const region = document.getElementById('announcer');
  if (region) region.textContent = message;
}

export function notice(text: string, kind: 'error' | 'good' | 'warn' = 'warn', testId?: string): HTMLElement {
  return h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status', 'data-testid': testId }, text);
}

export function hpMeter(label: string, hp: number, maxHp: number, testId?: string): HTMLElement {
  const meter = h('meter', { class: `hp${hp * 4 < maxHp ? ' low' : ''}`, min: 0, max: Math.max(1, maxHp), value: hp, low: Math.ceil(maxHp / 4), optimum: maxHp, 'aria-label': `${label}: ${hp} of ${maxHp} HP` });
  return h('div', { 'data-testid': testId, 'data-hp': hp }, meter, h('span', { class: 'muted' }, `${hp} / ${maxHp} HP`));
}

export function elementBadge(element: string | undefined): HTMLElement | null {
  return element ? h('span', { class: `el ${element}` }, element) : null;
}

export function notFound(what: string, detail: string): HTMLElement[] {
  document.title = `Not found · Pantheon`;
  return [h('h1', {}, `${what} not found`), notice(detail, 'error', 'not-found'), h('p', {}, h('a', { href: '/play' }, 'Back to Pantheon'))];
}

export function seconds(ticks: number, hz: number): string {
  return `${(Math.max(0, ticks) / hz).toFixed(1)} s`;
}
