// /quests on Discord: a linked player's quest log and where they stand in the story, from
// the quests read model. Only the player sees it (quests are their own business).
import type { QuestLogView } from '../../projections/quests/index.ts';
import type { MessageData } from './commands.ts';
import { plain } from './render.ts';

const statusMark = { active: '•', completed: '★ ready to claim:', claimed: '✓' } as const;

export function questsMessage(view: QuestLogView): MessageData {
  const open = view.quests.filter((q) => q.status !== 'claimed');
  const lines = open.slice(0, 15).map((q) => `${statusMark[q.status]} **${plain(q.title, 80)}** — ${q.objectives.map((o) => `${o.progress}/${o.target}`).join(', ')}${q.period ? ` (${q.period})` : ''}`);
  const chapters = view.chapters.map((c) => `${c.completed ? '✓' : '·'} ${plain(c.title, 80)}`);
  return {
    embeds: [{
      title: 'Your quests',
      color: 0x9b59b6,
      description: (lines.length ? lines.join('\n') : 'No quest under way: take one in the game.').slice(0, 4096),
      fields: [
        { name: 'Story', value: (chapters.join('\n') || '—').slice(0, 1024), inline: true },
        ...(view.titles.length ? [{ name: 'Titles', value: view.titles.map((t) => plain(t.name, 60)).join(', ').slice(0, 1024), inline: true }] : []),
      ],
    }],
    allowed_mentions: { parse: [] },
  };
}
