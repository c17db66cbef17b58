// Tally's rules: a TickDecider. Pure: state, command and tick in, events or a refusal out.
import { accept, refuse, type Decision, type RuleContext, type TickDecider } from '../../../events/decider.ts';
import type { TallyCommand } from './commands.ts';
import { evolve, initialState, type TallyEvent } from './events.ts';
import type { TallyState } from './model.ts';

function decide(state: TallyState, command: TallyCommand, ctx: RuleContext): Decision<TallyEvent> {
  if (state.status === 'not_started' || ctx.tick < state.startTick) return refuse('tally/not_started', 'the tally has not started');
  if (state.status === 'won') return refuse('tally/ended', `${state.winner} has already won`);
  const seat = state.players.indexOf(command.playerId);
  if (seat === -1) return refuse('tally/not_participant', `${command.playerId} is not playing`);
  if (seat !== state.turn) return refuse('tally/not_your_turn', `it is ${state.players[state.turn]}'s turn`);
  const total = Math.min(state.target, state.total + command.amount);
  const added: TallyEvent = { type: 'Added', data: { playerId: command.playerId, amount: command.amount, total } };
  if (total < state.target) return accept<TallyEvent>(added);
  const won: TallyEvent = { type: 'TallyWon', data: { winner: command.playerId, total } };
  return accept<TallyEvent>(added, won);
}

export const tallyDecider: TickDecider<TallyState, TallyCommand, TallyEvent> = { initialState, decide, evolve, onTick: () => [] };
