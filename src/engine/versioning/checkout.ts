import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { SlipwayError } from '../errors';
import type { ListingEntry } from '../hashing';
import { writeFileAtomic } from './atomic';
import { loadListing, missingObjects } from './listing';
import { selectTracked, type Tracked } from './pointers';
import type { DataRepo, ProgressCallback } from './repo';
import { forEachLimit, pruneEmptyDirs, restoreFile } from './restore';
import { pointersAtRevision } from './revision';
import type { StateRecord } from './state';
import { fileOf, oidOf, statOrNull, versionOf, type WorkspaceVersion } from './workspace';

export interface CheckoutOptions {
  cwd?: string;
  /** Overwrite workspace changes that are not saved in the cache. */
  force?: boolean;
  /** Restore the versions that the `.dvc` files at this git revision record (and write those `.dvc` files). */
  rev?: string;
  onProgress?: ProgressCallback;
}

export interface CheckoutResult {
  path: string;
  dvcFile: string;
  /** `unchanged`: already the recorded version; `restored`: was missing; `updated`: replaced workspace content. */
  action: 'unchanged' | 'restored' | 'updated' | 'not-saved';
  /** Files written (for folders, only those that differed). */
  written: number;
  /** Files removed from a folder because the recorded version lacks them. */
  removed: number;
}

interface Plan {
  t: Tracked;
  recorded: string;
  version: WorkspaceVersion | null;
  listing: ListingEntry[] | null;
}

/**
 * Makes tracked paths match their `.dvc` files (or, with `rev`, the `.dvc` files of a git revision). Refuses, before
 * changing anything, when the workspace holds content that is neither the recorded version nor saved in the cache
 * (pass `force` to discard it), or when the cache lacks an object. Objects are verified while they are copied; a
 * corrupt one raises CORRUPT_OBJECT and is never written into the workspace.
 */
export async function checkout(repo: DataRepo, targets?: readonly string[], options: CheckoutOptions = {}): Promise<CheckoutResult[]> {
  const cwd = options.cwd ?? repo.root;
  const atRev = options.rev ? await pointersAtRevision(repo.root, options.rev) : null;
  const tracked = atRev ? selectTracked(repo.root, cwd, targets, atRev.tracked) : selectTracked(repo.root, cwd, targets);
  const fresh = new Map<string, StateRecord>();
  const startedNs = BigInt(Date.now()) * 1_000_000n;
  const plans: Plan[] = [];
  const results: CheckoutResult[] = [];
  for (const t of tracked) {
    if (!t.out.md5) {
      results.push({ path: t.path, dvcFile: t.dvcFile, action: 'not-saved', written: 0, removed: 0 });
      continue;
    }
    const version = await versionOf(repo, t.path, { store: false, fresh, onProgress: options.onProgress });
    const missing = await missingObjects(repo.cache, t.out.md5);
    if (missing.length && !(version && oidOf(version) === t.out.md5)) {
      throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Cannot check out ${t.path}: ${missing.length} object(s) it needs are not in the cache ${repo.cache.root} (first: ${missing[0]}). Fetch them from a remote first; nothing was changed.`);
    }
    const listing = t.out.md5.endsWith('.dir') ? await loadListing(repo.cache, t.out.md5) : null;
    plans.push({ t, recorded: t.out.md5, version, listing });
  }
  if (!options.force) for (const plan of plans) await refuseUnsaved(repo, plan);
  const total = plans.reduce((n, p) => n + (p.listing?.length ?? 1), 0);
  const progress = { phase: 'checkout' as const, doneBytes: 0, totalBytes: 0, doneFiles: 0, totalFiles: total };
  for (const plan of plans) {
    const result = await apply(repo, plan, fresh, () => {
      progress.doneFiles++;
      options.onProgress?.({ ...progress });
    });
    results.push(result);
  }
  if (atRev) {
    for (const t of tracked) {
      const text = atRev.texts.get(t.dvcFile);
      if (text !== undefined) await writeFileAtomic(join(repo.root, t.dvcFile), text);
    }
  }
  repo.state.save(fresh, startedNs, plans.map((p) => p.t.path));
  return results;
}

/** Throws when checking out would destroy workspace content that the cache does not hold. */
async function refuseUnsaved(repo: DataRepo, plan: Plan): Promise<void> {
  const { version, t } = plan;
  if (!version || oidOf(version) === plan.recorded) return;
  const unsaved: string[] = [];
  if (version.kind === 'file') {
    if (!(await repo.cache.has(version.md5))) unsaved.push(t.path);
  } else {
    const target = new Map((plan.listing ?? []).map((e) => [e.relpath, e.md5]));
    for (const e of version.entries) {
      if (target.get(e.relpath) === e.md5) continue;
      if (!(await repo.cache.has(e.md5))) unsaved.push(`${t.path}/${e.relpath}`);
    }
  }
  if (unsaved.length) {
    throw new SlipwayError(
      'INVALID_STATE',
      `${t.path} has changes that are not saved in the cache (${unsaved.slice(0, 3).join(', ')}${unsaved.length > 3 ? `, and ${unsaved.length - 3} more` : ''}). Run \`slipway add ${t.path}\` to keep them, or check out with --force to discard them; nothing was changed.`,
    );
  }
}

async function apply(repo: DataRepo, plan: Plan, fresh: Map<string, StateRecord>, tick: () => void): Promise<CheckoutResult> {
  const { t, version } = plan;
  const abs = join(repo.root, t.path);
  const base = { path: t.path, dvcFile: t.dvcFile };
  if (version && oidOf(version) === plan.recorded) return { ...base, action: 'unchanged', written: 0, removed: 0 };
  const action = version ? 'updated' : 'restored';
  const remember = (rel: string, md5: string) => {
    const st = statOrNull(join(repo.root, rel));
    if (st) fresh.set(rel, { ...fileOf(repo.root, join(repo.root, rel), st), md5 });
  };
  if (!plan.listing) {
    if (version?.kind === 'dir') await fs.rm(abs, { recursive: true, force: true });
    await restoreFile(repo, plan.recorded, abs, t.out.isexec === true);
    remember(t.path, plan.recorded);
    tick();
    return { ...base, action, written: 1, removed: 0 };
  }
  if (version?.kind === 'file') await fs.rm(abs, { force: true });
  const have = new Map(version?.kind === 'dir' ? version.entries.map((e) => [e.relpath, e.md5]) : []);
  const wanted = new Set(plan.listing.map((e) => e.relpath));
  const stale = [...have.keys()].filter((p) => !wanted.has(p)).map((p) => join(abs, p));
  for (const file of stale) await fs.rm(file, { force: true });
  await pruneEmptyDirs(abs, stale);
  let written = 0;
  await forEachLimit(plan.listing, 16, async (e) => {
    if (have.get(e.relpath) !== e.md5) {
      await restoreFile(repo, e.md5, join(abs, e.relpath), false);
      written++;
    }
    remember(`${t.path}/${e.relpath}`, e.md5);
    tick();
  });
  return { ...base, action, written, removed: stale.length };
}
