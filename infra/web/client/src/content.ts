// The active content (GET /content/active), as the pages need it: abilities with whom they
// target and their cooldowns, the signs a chart is made of, how a chart picks abilities,
// and the rituals. Fetched once per page.
import { api } from './api.ts';

export type Target = 'enemy' | 'ally' | 'self';
export type Ability = { id: string; name: string; element: string; target: Target; cooldownTicks: number; effects: { kind: string }[] };
export type Sign = { id: string; name: string; element: string };
export type RitualStep = { rite: string; seat: number; earliest: number; latest: number };
export type Ritual = { id: string; name: string; minParticipants: number; maxParticipants: number; allowedMissteps: number; steps: RitualStep[] };
export type Content = {
  contentVersion: string;
  tickHz: { battle: number; raid: number; ritual: number };
  signs: Sign[];
  oracle: { loadout: Record<string, Record<string, string>> };
  abilities: Ability[];
  rituals: Ritual[];
};

let loaded: Promise<Content> | null = null;

export function activeContent(): Promise<Content> {
  loaded ??= api<Content>('/content/active');
  return loaded;
}

export function abilityOf(content: Content, id: string): Ability | undefined {
  return content.abilities.find((ability) => ability.id === id);
}

export type Chart = { sun: string; moon: string; rising: string };

/** The abilities a chart grants (oracle.loadout: placement → element of its sign → ability). */
export function abilitiesOf(content: Content, chart: Chart): Ability[] {
  const elementOf = (sign: string) => content.signs.find((s) => s.id === sign)?.element ?? '';
  return (['sun', 'moon', 'rising'] as const)
    .map((placement) => content.oracle.loadout[placement]?.[elementOf(chart[placement])])
    .map((id) => (id ? abilityOf(content, id) : undefined))
    .filter((ability): ability is Ability => ability !== undefined);
}
