// Publishing and activating content, as Deciders. A version is published once: the same
// numbers again answer with the original publication (nothing new to record), other numbers
// are refused. Activation always records: the latest ContentActivated names the version new
// rooms take. Whether a version exists to activate is the service's check (it asks the log
// and this process's registry), not the activation stream's.
import { canonicalJson } from '../../events/canonical.ts';
import { parseContent } from '../../events/content/registry.ts';
import { accept, refuse, type Decider } from '../../events/decider.ts';
import type { ContentActivated, ContentPublished } from './events.ts';

export type Publication = ContentPublished['data'];

/** The one publication of a version's stream, or null before it. */
export type PublicationState = Publication | null;

export const publicationDecider: Decider<PublicationState, Publication, ContentPublished> = {
  initialState: () => null,
  decide(state, publication) {
    if (state === null) return accept({ type: 'ContentPublished', data: publication });
    if (sameNumbers(state.data, publication.data)) return accept();
    return refuse('content/version_exists', `content version ${publication.version} was already published with other numbers; a version never changes, publish a new one`);
  },
  evolve: (state, event) => state ?? event.data,
};

export type Activate = ContentActivated['data'];

export const activationDecider: Decider<Activate | null, Activate, ContentActivated> = {
  initialState: () => null,
  decide: (_state, activation) => accept({ type: 'ContentActivated', data: activation }),
  evolve: (_state, event) => event.data,
};

/** Whether stored content data holds the same numbers as `content` (key order and defaults aside). */
function sameNumbers(stored: unknown, content: unknown): boolean {
  try {
    return canonicalJson(parseContent(stored)) === canonicalJson(parseContent(content));
  } catch {
    return false;
  }
}
