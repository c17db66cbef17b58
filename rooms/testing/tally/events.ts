// Tally's events and the fold of a tally stream.
import { z } from 'zod';
import { defineEvent, type EventOf } from '../../../events/catalog.ts';
import { PlayerId } from '../../../events/players.ts';
import { Players, type TallyState } from './model.ts';

export const TallyCreated = defineEvent('TallyCreated', z.strictObject({ rulesVersion: z.string(), players: Players, target: z.int().min(1), startTick: z.int().min(0) }));
export const Added = defineEvent('Added', z.strictObject({ playerId: PlayerId, amount: z.int().min(1).max(3), total: z.int().min(0) }));
export const TallyWon = defineEvent('TallyWon', z.strictObject({ winner: PlayerId, total: z.int().min(0) }));

export const tallyEventDefinitions = [TallyCreated, Added, TallyWon] as const;
export type TallyEvent = EventOf<(typeof tallyEventDefinitions)[number]>;
export type TallyWon = EventOf<typeof TallyWon>;

export function initialState(): TallyState {
  return { status: 'not_started', players: [], target: 0, startTick: 0, total: 0, turn: 0, winner: null };
}

export function evolve(state: TallyState, event: TallyEvent): TallyState {
  switch (event.type) {
    case 'TallyCreated':
      return { ...state, status: 'playing', players: event.data.players, target: event.data.target, startTick: event.data.startTick };
    case 'Added':
      return { ...state, total: event.data.total, turn: 1 - state.turn };
    case 'TallyWon':
      return { ...state, status: 'won', winner: event.data.winner };
  }
}
