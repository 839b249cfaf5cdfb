import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { explorerPaths, relativeTargets, trackedPathOf } from '../../src/extension/data/commands';
import { MAX_FILE_ROWS, collectDataTree, commitItems, dataBadge, statusDescription } from '../../src/extension/data/collect';
import { describeAdd, describeCheckout, describePull, describePush } from '../../src/extension/data/report';
import type { DataStatusEntry } from '../../src/shared/cli';

const entry = (path: string, workspace: DataStatusEntry['workspace'], inCache = true, files?: DataStatusEntry['files']): DataStatusEntry => ({
  path,
  dvcFile: `${path}.dvc`,
  recorded: workspace === 'not-saved' ? undefined : 'a'.repeat(32),
  current: workspace === 'missing' ? undefined : 'b'.repeat(32),
  workspace,
  inCache,
  ...(files ? { files } : {}),
});

void test('one row per tracked path, by path, with a status icon and description', () => {
  const tree = collectDataTree([entry('model.bin', 'missing', false), entry('data/train.csv', 'unchanged'), entry('data/raw', 'modified'), entry('data/new', 'not-saved'), entry('data/gone', 'missing')]);
  assert.deepEqual(
    tree.map((n) => [n.label, n.description, n.icon?.id, n.contextValue, n.collapsible]),
    [
      ['data/gone', 'missing', 'diff-removed', 'dataPath', 'none'],
      ['data/new', 'not saved', 'circle-large-outline', 'dataPath', 'none'],
      ['data/raw', 'modified', 'diff-modified', 'dataPath', 'none'],
      ['data/train.csv', 'unchanged', 'pass', 'dataPath', 'none'],
      ['model.bin', 'missing · not in cache', 'cloud-download', 'dataPath', 'none'],
    ],
  );
  assert.equal(tree[0]!.id, 'data:data/gone');
  assert.match(tree[0]!.tooltip ?? '', /Pointer: data\/gone\.dvc[\s\S]*Check out to restore it from the cache\./);
  assert.match(tree[4]!.tooltip ?? '', /Pull to download it from the remote\./);
  assert.equal(collectDataTree([entry('x', 'unchanged', false)])[0]!.icon?.id, 'warning');
});

void test('a modified folder lists the files that differ, capped with a summary row', () => {
  const many = Array.from({ length: MAX_FILE_ROWS + 5 }, (_, i) => `f${String(i).padStart(3, '0')}.txt`);
  const [folder] = collectDataTree([entry('images', 'modified', true, { added: ['b.png'], modified: ['a.png'], deleted: ['c.png'] })]);
  assert.equal(folder!.description, 'modified · 1 added, 1 modified, 1 deleted');
  assert.equal(folder!.collapsible, 'collapsed');
  assert.deepEqual(folder!.children!.map((c) => [c.label, c.description, c.icon?.id]), [
    ['a.png', 'modified', 'diff-modified'],
    ['b.png', 'added', 'diff-added'],
    ['c.png', 'deleted', 'diff-removed'],
  ]);
  const [big] = collectDataTree([entry('big', 'modified', true, { added: many, modified: [], deleted: [] })]);
  assert.equal(big!.children!.length, MAX_FILE_ROWS + 1);
  assert.equal(big!.children!.at(-1)!.label, '… and 5 more');
  assert.equal(statusDescription(entry('x', 'modified', false, { added: [], modified: [], deleted: [] })), 'modified · not in cache');
});

void test('the badge counts paths that need attention and disappears when all are clean', () => {
  assert.equal(dataBadge([entry('a', 'unchanged'), entry('b', 'unchanged')]), undefined);
  assert.deepEqual(dataBadge([entry('a', 'unchanged'), entry('b', 'modified'), entry('c', 'unchanged', false)]), { value: 2, tooltip: '2 tracked paths differ from their recorded versions' });
  assert.equal(dataBadge([entry('a', 'missing')])!.tooltip, '1 tracked path differs from its recorded version');
});

void test('commit quick-pick rows: subject, short hash, author and date; the value is the full hash', () => {
  const items = commitItems([{ hash: 'f'.repeat(40), subject: 'Retrain on May data', author: 'Ada', date: '2026-05-01T10:20:30+02:00' }, { hash: 'e'.repeat(40), subject: '', author: 'B', date: '2026-04-01T00:00:00Z' }]);
  assert.deepEqual(items[0], { label: 'Retrain on May data', description: 'ffffffffff', detail: 'Ada, 2026-05-01 10:20', value: 'f'.repeat(40) });
  assert.equal(items[1]!.label, '(no subject)');
});

void test('command arguments: explorer selections, workspace-relative targets, tree rows', () => {
  const root = join('/work', 'proj');
  assert.deepEqual(explorerPaths([{ fsPath: join(root, 'a.csv') }, [{ fsPath: join(root, 'a.csv') }, { fsPath: join(root, 'data') }]]), [join(root, 'a.csv'), join(root, 'data')]);
  assert.deepEqual(explorerPaths([{ fsPath: join(root, 'a.csv') }]), [join(root, 'a.csv')]);
  assert.deepEqual(explorerPaths([]), []);
  assert.deepEqual(relativeTargets(root, [join(root, 'data', 'x.csv')]), ['data/x.csv']);
  assert.throws(() => relativeTargets(root, ['/elsewhere/x.csv']), /not inside the workspace folder/);
  assert.throws(() => relativeTargets(root, [root]), /not inside the workspace folder/);
  const [row] = collectDataTree([entry('data/raw', 'modified', true, { added: ['x'], modified: [], deleted: [] })]);
  assert.equal(trackedPathOf(row), 'data/raw');
  assert.equal(trackedPathOf(row!.children![0]), undefined, 'a file row inside a folder is not a tracked path');
  assert.equal(trackedPathOf(undefined), undefined);
});

void test('result sentences for add, checkout, push and pull', () => {
  assert.equal(
    describeAdd({ added: [{ path: 'data/x.csv', dvcFile: 'data/x.csv.dvc', md5: 'a', size: 1, changed: true }, { path: 'y', dvcFile: 'y.dvc', md5: 'b', size: 1, changed: false }] }),
    'Tracked data/x.csv. Commit data/x.csv.dvc, data/.gitignore to record the version in git. y was already tracked at this version.',
  );
  assert.equal(describeCheckout([{ path: 'a', dvcFile: 'a.dvc', action: 'restored', written: 1, removed: 0 }], 'abcdef1234567'), 'Checked out the data at abcdef1234: a (restored).');
  assert.equal(describeCheckout([{ path: 'a', dvcFile: 'a.dvc', action: 'unchanged', written: 0, removed: 0 }]), 'The tracked data already matches the versions recorded in its .dvc files.');
  assert.equal(describePush({ remote: 'store', needed: 5, transferred: 3, missing: [] }), 'Pushed 3 of 5 object(s) to "store" (2 already there).');
  assert.equal(
    describePull({ fetched: { remote: 'store', needed: 2, transferred: 1, missing: ['abc'] }, checkedOut: [{ path: 'm', dvcFile: 'm.dvc', action: 'updated', written: 1, removed: 0 }] }),
    'Pulled 1 of 2 object(s) from "store" (0 already there). 1 object(s) were not in the source (first: abc). Checked out the data: m (updated).',
  );
});
