// The Colyseus client of a page: the SDK pointed at this origin, and a room's state watched
// as a whole (every patch re-renders the view: the states are small).
import { Client, type Room } from '@colyseus/sdk';

export function clientWith(token: string): Client {
  const client = new Client(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`);
  client.auth.token = token;
  return client;
}

/** Calls `render` after every state change, at most once per animation frame. */
export function onEveryChange(room: Room, render: () => void): void {
  let queued = false;
  room.onStateChange(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      render();
    });
  });
}

export type { Room };
