// Every tally rules version this build can replay, oldest first.
import { anyKind, type KindRules } from '../../../events/tick/rulesVersions.ts';
import { TALLY_RULES_VERSION } from './model.ts';
import { tallyKind } from './room.ts';

export const tallyRules: KindRules = {
  name: tallyKind.name,
  createdBy: 'TallyCreated',
  current: TALLY_RULES_VERSION,
  versions: [{ version: TALLY_RULES_VERSION, kind: anyKind(tallyKind) }],
};
