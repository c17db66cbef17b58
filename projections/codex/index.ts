// Public boundary of the codex read model: the projection, the queries the read API calls
// and their result schemas, and the pure unlock rules.
export { CODEX, CODEX_PROJECTION_VERSION, codexProjection, createCodexProjection, unlockRulesFingerprint } from './projection.ts';
export { codexOf, CodexEntryView, CodexView, OracronDeed, oracronOf, OracronPage } from './queries.ts';
export { UnlockRules } from './unlocks.ts';
export type { Feat } from './unlocks.ts';
export { happeningsOf } from './deeds.ts';
