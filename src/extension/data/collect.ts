import type { DataStatusEntry } from '../../shared/cli';
import type { GitCommit } from '../../shared/data-api';
import type { PickItem } from '../commands/context';
import type { TreeNode } from '../tree/node';

/** Files listed under a changed folder before the rest are summed up in one row. */
export const MAX_FILE_ROWS = 50;

type Icon = NonNullable<TreeNode['icon']>;

const WORKSPACE_TEXT: Record<DataStatusEntry['workspace'], string> = {
  unchanged: 'unchanged',
  modified: 'modified',
  missing: 'missing',
  'not-saved': 'not saved',
};

/** Whether a path needs attention (anything but an unchanged workspace copy whose version the cache holds). */
export function needsAttention(entry: DataStatusEntry): boolean {
  return entry.workspace !== 'unchanged' || !entry.inCache;
}

function iconOf(entry: DataStatusEntry): Icon {
  switch (entry.workspace) {
    case 'modified':
      return { id: 'diff-modified', color: 'gitDecoration.modifiedResourceForeground' };
    case 'missing':
      // Missing and not in the cache: only a pull can bring it back.
      return entry.inCache ? { id: 'diff-removed', color: 'gitDecoration.deletedResourceForeground' } : { id: 'cloud-download', color: 'list.warningForeground' };
    case 'not-saved':
      return { id: 'circle-large-outline', color: 'list.warningForeground' };
    case 'unchanged':
      return entry.inCache ? { id: 'pass', color: 'testing.iconPassed' } : { id: 'warning', color: 'list.warningForeground' };
  }
}

/** The short status after a path: "modified · 2 added, 1 deleted · not in cache". */
export function statusDescription(entry: DataStatusEntry): string {
  const parts = [WORKSPACE_TEXT[entry.workspace]];
  const f = entry.files;
  if (f) {
    const counts = [
      f.added.length ? `${f.added.length} added` : '',
      f.modified.length ? `${f.modified.length} modified` : '',
      f.deleted.length ? `${f.deleted.length} deleted` : '',
    ].filter(Boolean);
    if (counts.length) parts.push(counts.join(', '));
  }
  if (!entry.inCache) parts.push('not in cache');
  return parts.join(' · ');
}

function advice(entry: DataStatusEntry): string {
  if (entry.workspace === 'modified') return 'Add it again to record the new version, or check it out to restore the recorded one.';
  if (entry.workspace === 'missing') return entry.inCache ? 'Check out to restore it from the cache.' : 'Pull to download it from the remote.';
  if (entry.workspace === 'not-saved') return 'Its .dvc file records no version yet; add it to record one.';
  if (!entry.inCache) return 'The cache lacks its recorded version; push from a machine that has it, or add it again.';
  return 'The workspace matches the recorded version.';
}

function tooltipOf(entry: DataStatusEntry): string {
  return [
    entry.path,
    `Pointer: ${entry.dvcFile}`,
    `Recorded: ${entry.recorded ?? 'none'}`,
    `Workspace: ${entry.current ?? 'absent'}`,
    `Status: ${statusDescription(entry)}`,
    advice(entry),
  ].join('\n');
}

function fileRows(entry: DataStatusEntry): TreeNode[] {
  const f = entry.files;
  if (!f) return [];
  const all = [
    ...f.added.map((p) => ({ p, kind: 'added', icon: { id: 'diff-added', color: 'gitDecoration.addedResourceForeground' } })),
    ...f.modified.map((p) => ({ p, kind: 'modified', icon: { id: 'diff-modified', color: 'gitDecoration.modifiedResourceForeground' } })),
    ...f.deleted.map((p) => ({ p, kind: 'deleted', icon: { id: 'diff-removed', color: 'gitDecoration.deletedResourceForeground' } })),
  ].sort((a, b) => (a.p < b.p ? -1 : a.p > b.p ? 1 : 0));
  const rows: TreeNode[] = all.slice(0, MAX_FILE_ROWS).map(({ p, kind, icon }) => ({
    id: `data:${entry.path}:file:${p}`,
    label: p,
    description: kind,
    tooltip: `${entry.path}/${p} (${kind} since the recorded version)`,
    icon,
    collapsible: 'none',
    contextValue: 'dataFile',
  }));
  if (all.length > MAX_FILE_ROWS) {
    rows.push({ id: `data:${entry.path}:more`, label: `… and ${all.length - MAX_FILE_ROWS} more`, collapsible: 'none' });
  }
  return rows;
}

/** One row per tracked path, by path; a changed folder lists the files that differ from its recorded listing. */
export function collectDataTree(entries: readonly DataStatusEntry[]): TreeNode[] {
  return [...entries]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((entry) => {
      const children = fileRows(entry);
      return {
        id: `data:${entry.path}`,
        label: entry.path,
        description: statusDescription(entry),
        tooltip: tooltipOf(entry),
        icon: iconOf(entry),
        collapsible: children.length ? 'collapsed' : 'none',
        contextValue: 'dataPath',
        ...(children.length ? { children } : {}),
      } satisfies TreeNode;
    });
}

/** The view's badge: how many tracked paths need attention (none when all are clean). */
export function dataBadge(entries: readonly DataStatusEntry[]): { value: number; tooltip: string } | undefined {
  const count = entries.filter(needsAttention).length;
  if (!count) return undefined;
  return { value: count, tooltip: count === 1 ? '1 tracked path differs from its recorded version' : `${count} tracked paths differ from their recorded versions` };
}

/** Quick-pick rows for "Checkout Data at Revision…": short hash and subject, author and date below. */
export function commitItems(commits: readonly GitCommit[]): PickItem<string>[] {
  return commits.map((c) => ({
    label: c.subject || '(no subject)',
    description: c.hash.slice(0, 10),
    detail: `${c.author}, ${c.date.slice(0, 16).replace('T', ' ')}`,
    value: c.hash,
  }));
}
