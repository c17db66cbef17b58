// Every raid rules version this build can replay, oldest first (see
// events/tick/rulesVersions.ts). To change rules that alter replays: bump
// raidRulesVersion, keep the previous decider loadable and add an entry for it here;
// never edit or drop an entry.
import { anyKind, type KindRules } from '../../events/tick/rulesVersions.ts';
import { raidRulesVersion } from './model.ts';
import { raidKind } from './room.ts';

export const raidRules: KindRules = {
  name: raidKind.name,
  createdBy: 'RaidCreated',
  current: raidRulesVersion,
  versions: [{ version: 'raid/1', kind: anyKind(raidKind) }],
};
