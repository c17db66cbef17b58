// Every ritual rules version this build can replay, oldest first (see
// events/tick/rulesVersions.ts). To change rules that alter replays: bump
// ritualRulesVersion, keep the previous decider loadable and add an entry for it here;
// never edit or drop an entry.
import { anyKind, type KindRules } from '../../events/tick/rulesVersions.ts';
import { ritualKind } from './room.ts';
import { ritualRulesVersion } from './rules.ts';

export const ritualRules: KindRules = {
  name: ritualKind.name,
  createdBy: 'RitualCreated',
  current: ritualRulesVersion,
  versions: [{ version: 'ritual-rules/1', kind: anyKind(ritualKind) }],
};
