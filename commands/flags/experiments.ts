// Experiments: which variant of an experiment flag a player was first shown, recorded once
// as ExperimentAssigned in `experiment-<flag>:<player>` (an id derived from both, and a
// decider that records nothing when the stream already holds it), so analysts join it to
// outcomes from the log or the Kafka topics.
import { accept, type Decider } from '../../events/decider.ts';
import { handleCommand } from '../../events/commandHandler.ts';
import { nameBasedUuid } from '../../events/ids.ts';
import type { EventStore } from '../../events/store.ts';
import { experimentStreamId, type ExperimentAssigned } from './events.ts';

export type Assignment = ExperimentAssigned['data'];

export const assignmentDecider: Decider<Assignment | null, Assignment, ExperimentAssigned> = {
  initialState: () => null,
  decide: (state, assignment) => (state ? accept() : accept({ type: 'ExperimentAssigned', data: assignment })),
  evolve: (state, event) => state ?? event.data,
};

/** Records the assignment unless one is recorded; answers the one that holds. */
export async function recordAssignment(store: EventStore, assignment: Assignment): Promise<{ assignment: Assignment; recorded: boolean }> {
  const streamId = experimentStreamId(assignment.experiment, assignment.playerId);
  const handled = await handleCommand(store, streamId, assignmentDecider, assignment, {
    eventId: () => nameBasedUuid('experiment', assignment.experiment, assignment.playerId),
    metadata: { actor: 'flags' },
  });
  if (!handled.ok) throw new Error(`assignment refused: ${handled.refusal.message}`);
  return { assignment: handled.state!, recorded: handled.events.length > 0 && !handled.duplicate };
}
