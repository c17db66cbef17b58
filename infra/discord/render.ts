// How read models look in Discord messages: the live spectator message (sides, HP bars,
// last actions, narration, result) and the answers to the slash commands. Pure functions of
// what the read models return, kept within Discord's embed limits.
import type { CodexView } from '../../projections/codex/index.ts';
import type { LeaderboardPage } from '../../projections/leaderboards/index.ts';
import type { ProgressionView } from '../../projections/progression/index.ts';
import type { FeedSide, Fighter, MatchSummary } from '../../projections/spectator/index.ts';
import type { WalletView } from '../../projections/wallets/index.ts';
import type { Embed, MessageData } from './commands.ts';

const colors = { live: 0x3498db, ended: 0x2ecc71, private: 0x9b59b6, public: 0x95a5a6, warning: 0xe67e22 } as const;
const noMentions = { parse: [] as string[] };
const BAR = 10;

/** `███████░░░ 70%`: integer arithmetic, so a message never flickers between two roundings. */
export function hpBar(hp: number, maxHp: number): string {
  const filled = maxHp > 0 ? Math.floor((hp * BAR) / maxHp) : 0;
  const percent = maxHp > 0 ? Math.floor((hp * 100) / maxHp) : 0;
  return `${'█'.repeat(filled)}${'░'.repeat(BAR - filled)} ${percent}%`;
}

/** Player-chosen text inside markdown: no formatting, no masked links, within `max`. */
export function plain(text: string, max = 100): string {
  const escaped = text.replace(/[\\*_~`|>[\]()]/g, (c) => `\\${c}`);
  return escaped.length > max ? `${escaped.slice(0, max - 1)}…` : escaped;
}

const sideTitles: Readonly<Record<FeedSide['side'], string>> = { a: 'Side A', b: 'Side B', party: 'Party', boss: 'Boss', circle: 'Circle' };

function fighterLine(f: Fighter): string {
  const state = f.fallen ? '💀 fallen' : `${hpBar(f.hp, f.maxHp)} (${f.hp}/${f.maxHp})${f.shield > 0 ? ` 🛡${f.shield}` : ''}`;
  return `**${plain(f.name, 60)}** ${state}`;
}

function sideField(side: FeedSide): NonNullable<Embed['fields']>[number] {
  const players = side.players.map((p) => `${plain(p.playerId, 40)}${p.forfeited ? ' (left)' : ''}`).join(', ');
  const lines = side.fighters.map(fighterLine);
  const value = [players ? `_${players}_` : '', ...lines].filter(Boolean).join('\n') || '—';
  return { name: sideTitles[side.side], value: value.slice(0, 1024), inline: side.side !== 'circle' };
}

/** The live message of a watched match. */
export function spectatorMessage(summary: MatchSummary): MessageData {
  const fields = summary.sides.map(sideField);
  if (summary.ritual) {
    const r = summary.ritual;
    fields.push({ name: 'Rites', value: `${r.step}/${r.steps} channelled · ${r.mistakes} missteps · score ${r.score}`, inline: false });
  }
  if (summary.lastActions.length > 0) {
    fields.push({ name: 'Last actions', value: summary.lastActions.map((a) => `\`t${a.tick}\` ${plain(a.text, 180)}`).join('\n').slice(0, 1024), inline: false });
  }
  if (summary.narration) fields.push({ name: 'Narrator', value: `> ${plain(summary.narration, 1000)}`, inline: false });
  const ended = summary.status === 'ended';
  const embed: Embed = {
    title: `${ended ? '🏁' : '🔴 LIVE'} ${summary.kind} ${plain(summary.matchId, 80)}`,
    color: ended ? colors.ended : colors.live,
    fields,
    footer: { text: `${summary.streamId} · tick ${summary.tick} · rev ${summary.revision}` },
  };
  if (summary.result) embed.description = `**${summary.result}**`;
  return { content: ended ? `Final: ${summary.result ?? 'over'}` : '', embeds: [embed], allowed_mentions: noMentions };
}

export function walletMessage(view: WalletView): MessageData {
  const lines = view.balances.map((b) => `**${b.currency}**: ${b.available}${b.escrowed > 0 ? ` (+${b.escrowed} in escrow)` : ''}`);
  return { embeds: [{ title: 'Your wallet', color: colors.private, description: lines.join('\n') || 'No coins yet: win a battle.' }], allowed_mentions: noMentions };
}

export function progressMessage(view: ProgressionView, own: boolean): MessageData {
  const fields: NonNullable<Embed['fields']> = [
    { name: 'Level', value: `${view.level}${view.ascension ? ` (ascension ${view.ascension})` : ''} · ${view.xpIntoLevel}/${view.xpToNextLevel} XP`, inline: true },
    { name: 'Crowns', value: String(view.crowns), inline: true },
    { name: 'Rating', value: `${Math.round(view.rating.rating)} ± ${Math.round(view.rating.rd)}${view.rating.provisional ? ' (provisional)' : ''}`, inline: true },
    { name: 'Battles', value: `${view.battles.won}W ${view.battles.drawn}D ${view.battles.lost}L ${view.battles.forfeited}F`, inline: true },
    { name: 'Raids', value: `${view.raids.victories}/${view.raids.played} won`, inline: true },
    { name: 'Rituals', value: `${view.rituals.succeeded}/${view.rituals.performed} succeeded`, inline: true },
  ];
  // Your own profile also lists what earned the XP lately.
  if (own && view.recentAwards.length > 0) {
    fields.push({ name: 'Recent XP', value: view.recentAwards.slice(0, 5).map((a) => `+${a.xp} ${a.reason.replace('_', ' ')} (${plain(a.streamId, 60)})`).join('\n'), inline: false });
  }
  return { embeds: [{ title: own ? 'Your progress' : `Progress of ${plain(view.playerId, 64)}`, color: own ? colors.private : colors.public, fields }], allowed_mentions: noMentions };
}

export function codexMessage(view: CodexView, own: boolean): MessageData {
  const unlocked = view.entries.filter((e) => e.unlocked).map((e) => `• ${plain(e.title, 80)}`);
  return {
    embeds: [{
      title: own ? 'Your codex' : `Codex of ${plain(view.playerId, 64)}`,
      color: own ? colors.private : colors.public,
      description: `${view.unlocked}/${view.total} entries unlocked${unlocked.length ? `\n${unlocked.slice(0, 30).join('\n')}` : ''}`.slice(0, 4096),
    }],
    allowed_mentions: noMentions,
  };
}

export function leaderboardMessage(page: LeaderboardPage): MessageData {
  const lines = page.entries.map((e) => `**${e.rank}.** ${plain(e.playerId, 64)} — ${Number.isInteger(e.score) ? e.score : e.score.toFixed(1)}`);
  return {
    embeds: [{ title: `Leaderboard: ${page.board.replace('_', ' ')} (${page.season})`, color: colors.public, description: lines.join('\n') || 'Nobody on this board yet.', footer: { text: `${page.total} players` } }],
    allowed_mentions: noMentions,
  };
}

export type AuditView = {
  streamId: string;
  verdict: string | null;
  lastVersion: number | null;
  rulesVersion: string | null;
  findings: Array<{ kind: string; playerId: string | null; tick: number | null }>;
};

export function auditMessage(view: AuditView): MessageData {
  const verdict = view.verdict === null ? 'not audited yet (audits run when a match ends)' : `**${view.verdict}**${view.rulesVersion ? ` under ${view.rulesVersion}` : ''} at version ${view.lastVersion}`;
  const findings = view.findings.slice(0, 10).map((f) => `• ${f.kind}${f.playerId ? ` by ${plain(f.playerId, 40)}` : ''}${f.tick === null ? '' : ` at tick ${f.tick}`}`);
  return {
    embeds: [{
      title: `Audit of ${plain(view.streamId, 100)}`,
      color: view.verdict === 'clean' ? colors.ended : view.verdict === null ? colors.public : colors.warning,
      description: `Verdict: ${verdict}\n${findings.length ? `Findings:\n${findings.join('\n')}` : 'No findings.'}`,
    }],
    allowed_mentions: noMentions,
  };
}

/** A refusal the user can act on, with its stable code. */
export function refusalMessage(code: string, message: string): MessageData {
  return { content: `\`${code}\` — ${message}`, allowed_mentions: noMentions };
}
