// Every battle rules version this build can replay, oldest first (see
// events/tick/rulesVersions.ts). To change rules that alter replays: bump
// BATTLE_RULES_VERSION, keep the previous decider loadable (e.g. a frozen copy of the
// changed functions) and add an entry for it here; never edit or drop an entry.
import { anyKind, type KindRules } from '../../events/tick/rulesVersions.ts';
import { BATTLE_RULES_VERSION } from './model.ts';
import { battleKind } from './room.ts';

export const battleRules: KindRules = {
  name: battleKind.name,
  createdBy: 'BattleCreated',
  current: BATTLE_RULES_VERSION,
  versions: [{ version: 'battle/1', kind: anyKind(battleKind) }],
};
