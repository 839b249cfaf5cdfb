import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { RegistryAuditEntry, RegistrySnapshot, RegistrySyncConflict } from '../../shared/mlflow-registry';
import { SlipwayError } from '../errors';
import { GENESIS_HASH, applyPull, auditCursor, auditHash, exportAudit, localOrigin, registrySnapshot, type AuditCursor } from '../registry';
import type { Store } from '../store';
import { readOptional, replaceFileSynced } from '../versioning';
import { RemoteLayout } from './layout';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** What this project last saw of a remote's registry: the snapshot it pulled or pushed. */
interface SyncState {
  snapshotMd5: string | null;
}

async function readState(path: string): Promise<SyncState> {
  const text = await readOptional(path);
  return text === null ? { snapshotMd5: null } : (JSON.parse(text) as SyncState);
}

async function writeState(path: string, state: SyncState): Promise<void> {
  await replaceFileSynced(path, `${JSON.stringify(state)}\n`);
}

/**
 * Every audit entry in the remote, per origin in sequence order, checked on the way in: each file must hold the entry
 * its name says, match its own hash and continue its origin's chain from the first entry. A changed, missing or
 * reordered entry fails the read, naming the file.
 */
export async function readRemoteAudit(layout: RemoteLayout): Promise<Map<string, RegistryAuditEntry[]>> {
  const out = new Map<string, RegistryAuditEntry[]>();
  const remote = layout.remote;
  for (const origin of await remote.listNames(layout.auditKey)) {
    const entries: RegistryAuditEntry[] = [];
    let prev = GENESIS_HASH;
    for (const name of await remote.listNames(`${layout.auditKey}/${origin}`)) {
      const key = `${layout.auditKey}/${origin}/${name}`;
      const file = remote.where(key);
      const text = await remote.readText(key);
      if (text === null) throw new SlipwayError('INVALID_STATE', `${file} disappeared while it was read; pull again.`);
      let e: RegistryAuditEntry;
      try {
        e = JSON.parse(text) as RegistryAuditEntry;
      } catch {
        throw new SlipwayError('INVALID_STATE', `${file} is not valid JSON; the remote's audit log is damaged. Nothing was pulled.`);
      }
      const expectedSeq = entries.length + 1;
      if (e.origin !== origin || e.seq !== expectedSeq || basename(layout.auditEntryKey(origin, expectedSeq)) !== name) {
        throw new SlipwayError('INVALID_STATE', `${file} is not audit entry ${expectedSeq} of origin ${origin}: an entry is missing or misplaced in the remote's audit log. Nothing was pulled.`);
      }
      const { hash, ...unsigned } = e;
      if (auditHash(unsigned) !== hash) {
        throw new SlipwayError('INVALID_STATE', `${file} does not match its hash: audit entry ${e.seq} of origin ${origin} was changed after it was written. Nothing was pulled.`);
      }
      if (e.prevHash !== prev) {
        throw new SlipwayError('INVALID_STATE', `${file} does not link to the entry before it in origin ${origin}'s chain: the remote's audit log was altered. Nothing was pulled.`);
      }
      prev = hash;
      entries.push(e);
    }
    if (entries.length) out.set(origin, entries);
  }
  return out;
}

function cursorOf(remote: Map<string, RegistryAuditEntry[]>): AuditCursor {
  return Object.fromEntries([...remote].map(([origin, entries]) => [origin, entries.length]));
}

/** Interleaves origins by time while keeping each origin's own order, so renames and deletions replay in sequence. */
function mergeByTime(lists: RegistryAuditEntry[][]): RegistryAuditEntry[] {
  const heads = lists.map(() => 0);
  const out: RegistryAuditEntry[] = [];
  for (;;) {
    let best = -1;
    for (let i = 0; i < lists.length; i++) {
      const e = lists[i]![heads[i]!];
      if (e && (best < 0 || e.tsMs < lists[best]![heads[best]!]!.tsMs)) best = i;
    }
    if (best < 0) return out;
    out.push(lists[best]![heads[best]!]!);
    heads[best]!++;
  }
}

export interface RegistryPullSummary {
  conflicts: RegistrySyncConflict[];
  appendedEntries: number;
  addedModels: string[];
  addedVersions: string[];
}

/**
 * Merges the remote's registry into this store (see applyPull): entries the store already has must be identical,
 * entries of this store's own origin are never taken from the remote, and on conflict nothing is written.
 */
export async function pullRegistry(store: Store, layout: RemoteLayout, statePath: string): Promise<RegistryPullSummary> {
  const remote = await readRemoteAudit(layout);
  const snapshotText = await layout.remote.readText(layout.snapshotKey);
  const own = store.read(() => localOrigin(store.db));
  const local = exportAudit(store);
  const localHash = new Map(local.map((e) => [`${e.origin}:${e.seq}`, e.hash]));
  const localCursor = auditCursor(store);
  const fresh: RegistryAuditEntry[][] = [];
  for (const [origin, entries] of remote) {
    for (const e of entries) {
      const mine = localHash.get(`${origin}:${e.seq}`);
      if (mine !== undefined && mine !== e.hash) {
        throw new SlipwayError('INVALID_STATE', `${layout.auditFile(origin, e.seq)} differs from the entry this project holds at that place: the histories have forked. Nothing was pulled.`);
      }
      if (origin === own && mine === undefined) {
        throw new SlipwayError('INVALID_STATE', `${layout.auditFile(origin, e.seq)} claims this project's origin but this project never wrote it. Nothing was pulled.`);
      }
    }
    if (origin !== own) fresh.push(entries.filter((e) => e.seq > (localCursor[origin] ?? 0)));
  }
  let snapshot: RegistrySnapshot = { format: 1, models: [] };
  if (snapshotText !== null) {
    try {
      snapshot = JSON.parse(snapshotText) as RegistrySnapshot;
    } catch {
      throw new SlipwayError('INVALID_STATE', `${layout.snapshot} is not valid JSON; push again from a project that has the registry. Nothing was pulled.`);
    }
    if (snapshot.format !== 1 || !Array.isArray(snapshot.models)) throw new SlipwayError('INVALID_STATE', `${layout.snapshot} is not a registry snapshot this Slipway reads.`);
  }
  const result = applyPull(store, { remote: snapshot, remoteNew: mergeByTime(fresh), localNew: exportAudit(store, cursorOf(remote)) });
  if (!result.conflicts.length) await writeState(statePath, { snapshotMd5: snapshotText === null ? null : md5(snapshotText) });
  return result;
}

export interface RegistryPushSummary {
  auditEntries: number;
  snapshotWritten: boolean;
}

/**
 * Appends the audit entries the remote lacks (one file each, never rewritten) and replaces the remote's snapshot with
 * this store's state. Refuses, writing nothing, when the remote's registry changed since this project last pulled or
 * pushed it, so that one side's models and aliases never overwrite the other's.
 */
export async function pushRegistry(store: Store, layout: RemoteLayout, statePath: string): Promise<RegistryPushSummary> {
  if (!(await layout.remote.writeOnce(layout.lockKey, `${process.pid}\n`))) {
    throw new SlipwayError('INVALID_STATE', `Another push to this remote holds ${layout.remote.where(layout.lockKey)}; wait for it, or delete it if that push was killed.`);
  }
  try {
    const remote = await readRemoteAudit(layout);
    const remoteText = await layout.remote.readText(layout.snapshotKey);
    const state = await readState(statePath);
    const localCursor = auditCursor(store);
    const behind = [...remote].some(([origin, entries]) => entries.length > (localCursor[origin] ?? 0));
    if (behind || (remoteText !== null && md5(remoteText) !== state.snapshotMd5)) {
      throw new SyncBehindError();
    }
    let auditEntries = 0;
    for (const e of exportAudit(store, cursorOf(remote))) {
      if (await layout.remote.writeOnce(layout.auditEntryKey(e.origin, e.seq), `${JSON.stringify(e)}\n`)) auditEntries++;
    }
    const text = `${JSON.stringify(registrySnapshot(store), null, 1)}\n`;
    const snapshotWritten = text !== remoteText;
    if (snapshotWritten) await layout.remote.writeReplace(layout.snapshotKey, text);
    await writeState(statePath, { snapshotMd5: md5(text) });
    return { auditEntries, snapshotWritten };
  } finally {
    await layout.remote.delete(layout.lockKey);
  }
}

/** The remote's registry moved since this project last synced with it: pull first. */
export class SyncBehindError extends SlipwayError {
  constructor() {
    super('INVALID_STATE', "The remote's registry has changes this project has not pulled; run `slipway pull`, resolve any conflict it names, then push again.");
  }
}
