// The rules versions this build can replay, for every room kind: what audits, the audit
// worker and ghost encounters resolve a stream's recorded rules version against.
import { battleRules } from './battle/rulesVersions.ts';
import { raidRules } from './raid/rulesVersions.ts';
import { ritualRules } from './ritual/rulesVersions.ts';
import { createRulesRegistry, type RulesRegistry } from '../events/tick/rulesVersions.ts';
import { GHOST_CATEGORY } from './raid/ghost.ts';

export const roomRules: RulesRegistry = createRulesRegistry([battleRules, raidRules, ritualRules], { [GHOST_CATEGORY]: raidRules.name });
