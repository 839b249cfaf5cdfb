import type { RegistryAuditEntry } from '../../shared/mlflow-registry';
import type { EngineService } from '../connection/service';
import { fetchHistory } from './fetch';
import type { ModelHistory } from './fetch';

function change(entry: RegistryAuditEntry): string {
  const subject = entry.subject ? ` ${entry.action.startsWith('alias') ? '@' : ''}${entry.subject}` : '';
  const from = entry.from === null ? '—' : entry.from;
  const to = entry.to === null ? '—' : entry.to;
  return `${entry.action}${subject}: ${from} → ${to}`;
}

/** A cell of a Markdown table: pipes and line breaks would break the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** The audit trail of one model as a Markdown document, newest change first, with the verification result on top. */
export function formatHistory(name: string, history: ModelHistory): string {
  const lines = [`# ${name}: registry history`, ''];
  const v = history.verification;
  if (!v) lines.push('Verification: not run.');
  else if (v.ok) lines.push(`Verification: OK. ${v.checked} entr${v.checked === 1 ? 'y' : 'ies'} checked; the hash chain and the registry agree.`);
  else {
    lines.push(`Verification: FAILED (${v.problems.length} problem${v.problems.length === 1 ? '' : 's'} in ${v.checked} entries checked).`, '');
    for (const p of v.problems) lines.push(`- ${p.kind}${p.seq === null ? '' : ` at entry ${p.seq}`} (origin ${p.origin}): ${p.message}`);
  }
  lines.push('');
  const entries = history.entries.filter((e) => e.model === name).sort((a, b) => b.tsMs - a.tsMs || b.seq - a.seq);
  if (!entries.length) {
    lines.push('No audited changes yet: aliases, stages and deletions of this model are recorded here once they happen.');
    return `${lines.join('\n')}\n`;
  }
  lines.push('| When (UTC) | Who | Change | Reason | Entry |', '| --- | --- | --- | --- | --- |');
  for (const e of entries) {
    const when = new Date(e.tsMs).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
    lines.push(`| ${when} | ${cell(e.actor)} | ${cell(change(e))} | ${cell(e.reason || '—')} | ${e.origin.slice(0, 8)}#${e.seq} ${e.hash.slice(0, 12)} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** The Markdown a model's history document shows, read from the engine now. */
export async function loadHistoryDocument(engine: EngineService, name: string): Promise<string> {
  const state = engine.state;
  if (state.kind !== 'connected') return `# ${name}: registry history\n\nThe Slipway engine is not running; start it and reopen this document.\n`;
  return formatHistory(name, await fetchHistory(state.http, name));
}
