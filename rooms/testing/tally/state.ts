// Tally as clients see it.
import { schema, t, type SchemaType } from '@colyseus/schema';
import type { StateMirror } from '../../shared/colyseusRoom.ts';
import type { TallyState } from './model.ts';

export const TallyView = schema(
  { roomStatus: t.string().default('running'), tick: t.uint32(), status: t.string(), total: t.uint16(), target: t.uint16(), turn: t.string(), winner: t.string() },
  'TallyState',
);
export type TallyView = SchemaType<typeof TallyView>;

export const tallyMirror: StateMirror<TallyState, TallyView> = {
  createState: () => new TallyView(),
  mirror(view, state, room) {
    view.roomStatus = room.status;
    view.tick = room.tick;
    view.status = state.status;
    view.total = state.total;
    view.target = state.target;
    view.turn = state.players[state.turn] ?? '';
    view.winner = state.winner ?? '';
  },
  privateTo: () => [],
};
