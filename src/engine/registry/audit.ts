import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { AuditProblem, AuditVerification, RegistryAuditAction, RegistryAuditEntry } from '../../shared/mlflow-registry';
import type { Store } from '../store';
import { sql } from './statements';

/** prev_hash of the first entry of every origin. */
export const GENESIS_HASH = '0'.repeat(64);

/** Bumped if the canonical encoding ever changes; it is the first element hashed, so old entries stay verifiable. */
const ENCODING_VERSION = 1;

/** What a writer supplies; the origin, sequence and hashes are assigned when the entry is appended. */
export type AuditInput = Omit<RegistryAuditEntry, 'origin' | 'seq' | 'prevHash' | 'hash'>;

interface AuditRow {
  id: number;
  origin: string;
  seq: number;
  ts_ms: number;
  actor: string;
  model: string;
  action: string;
  subject: string;
  from_value: string | null;
  to_value: string | null;
  reason: string;
  prev_hash: string;
  hash: string;
}

/**
 * The bytes an entry's hash covers: a JSON array in a fixed field order. JSON.stringify of strings, integers and
 * null is deterministic, so any implementation that writes the same array gets the same bytes.
 */
export function canonicalAuditEncoding(entry: Omit<RegistryAuditEntry, 'hash'>): string {
  return JSON.stringify([
    ENCODING_VERSION,
    entry.origin,
    entry.seq,
    entry.tsMs,
    entry.actor,
    entry.model,
    entry.action,
    entry.subject,
    entry.from,
    entry.to,
    entry.reason,
    entry.prevHash,
  ]);
}

/** sha256 (hex) of an entry's canonical encoding. */
export function auditHash(entry: Omit<RegistryAuditEntry, 'hash'>): string {
  return createHash('sha256').update(canonicalAuditEncoding(entry), 'utf8').digest('hex');
}

const origins = new WeakMap<Database.Database, string>();

/** This store's origin id (created by the registry migration; it never changes, so it is read once per connection). */
export function localOrigin(db: Database.Database): string {
  const cached = origins.get(db);
  if (cached) return cached;
  const row = sql(db, "SELECT value FROM registry_meta WHERE key = 'origin'").get() as { value: string } | undefined;
  if (!row) throw new Error('registry_meta has no origin row; the store was not migrated to the registry schema.');
  origins.set(db, row.value);
  return row.value;
}

/**
 * Appends one entry to this store's chain. Must run inside a write transaction (Store.write): BEGIN IMMEDIATE holds
 * the write lock from the read of the chain head to the insert, so concurrent writers never fork the chain.
 */
export function appendAudit(db: Database.Database, input: AuditInput): RegistryAuditEntry {
  if (!db.inTransaction) throw new Error('appendAudit must run inside Store.write.');
  const origin = localOrigin(db);
  const head = sql(db, 'SELECT seq, hash FROM registry_audit WHERE origin = ? ORDER BY seq DESC LIMIT 1').get(origin) as
    | { seq: number; hash: string }
    | undefined;
  const unsigned = { origin, seq: (head?.seq ?? 0) + 1, prevHash: head?.hash ?? GENESIS_HASH, ...input };
  const entry: RegistryAuditEntry = { ...unsigned, hash: auditHash(unsigned) };
  db.prepare(
    `INSERT INTO registry_audit (origin, seq, ts_ms, actor, model, action, subject, from_value, to_value, reason, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(entry.origin, entry.seq, entry.tsMs, entry.actor, entry.model, entry.action, entry.subject, entry.from, entry.to, entry.reason, entry.prevHash, entry.hash);
  return entry;
}

function toEntry(row: AuditRow): RegistryAuditEntry {
  return {
    origin: row.origin,
    seq: row.seq,
    tsMs: row.ts_ms,
    actor: row.actor,
    model: row.model,
    action: row.action as RegistryAuditAction,
    subject: row.subject,
    from: row.from_value,
    to: row.to_value,
    reason: row.reason,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * The audit entries in the order they were appended, optionally only those about `model` (including entries written
 * under the names it had before a rename).
 */
export function readAudit(db: Database.Database, model?: string): RegistryAuditEntry[] {
  const rows = sql(db, 'SELECT * FROM registry_audit ORDER BY id').all() as AuditRow[];
  const entries = rows.map(toEntry);
  if (model === undefined) return entries;
  const names = namesOf(entries, model);
  return entries.filter((e) => names.has(e.model) || (e.action === 'model.rename' && (names.has(e.from ?? '') || names.has(e.to ?? ''))));
}

/** Every name `model` was known by, following renames backwards. */
function namesOf(entries: RegistryAuditEntry[], model: string): Set<string> {
  const names = new Set([model]);
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (e.action === 'model.rename' && e.to !== null && names.has(e.to) && e.from !== null) names.add(e.from);
  }
  return names;
}

/**
 * Checks every origin's chain: sequence numbers run 1, 2, 3… without gaps, each prev_hash is the previous entry's
 * hash and each hash matches the entry's content. Then checks that the append-only triggers exist and that the
 * aliases and stages in the store are those the local chain leads to, which catches a rewrite that recomputed the
 * hashes or cut entries off the end. `name` limits the state comparison to one model; the chain is always checked
 * whole, since one origin's entries for all models form one chain.
 */
export function verifyAuditChain(store: Store, name?: string): AuditVerification {
  return store.read(() => {
    const db = store.db;
    const problems: AuditProblem[] = [];
    const rows = sql(db, 'SELECT * FROM registry_audit ORDER BY origin, seq').all() as AuditRow[];
    let previous: AuditRow | undefined;
    for (const row of rows) {
      const first = !previous || previous.origin !== row.origin;
      const expectedSeq = first ? 1 : previous!.seq + 1;
      const expectedPrev = first ? GENESIS_HASH : previous!.hash;
      const at = { kind: 'chain' as const, origin: row.origin, seq: row.seq };
      if (row.seq !== expectedSeq) {
        problems.push({ ...at, message: `entry ${row.seq} of origin ${row.origin} follows entry ${expectedSeq - 1}: entries ${expectedSeq}..${row.seq - 1} were removed` });
      }
      if (row.prev_hash !== expectedPrev) {
        problems.push({ ...at, message: `entry ${row.seq} of origin ${row.origin} does not link to the entry before it (prev_hash ${row.prev_hash.slice(0, 12)}…, expected ${expectedPrev.slice(0, 12)}…)` });
      }
      const entry = toEntry(row);
      if (auditHash(entry) !== row.hash) {
        problems.push({ ...at, message: `entry ${row.seq} of origin ${row.origin} (${row.action} ${row.model} ${row.subject}) was changed after it was written: its content no longer matches its hash` });
      }
      previous = row;
    }
    for (const trigger of ['registry_audit_no_update', 'registry_audit_no_delete']) {
      const found = sql(db, "SELECT 1 FROM sqlite_schema WHERE type = 'trigger' AND name = ?").get(trigger);
      if (!found) problems.push({ kind: 'protection', origin: localOrigin(db), seq: null, message: `trigger ${trigger} is missing: someone removed the audit log's write protection` });
    }
    problems.push(...compareState(db, name));
    return { ok: problems.length === 0, checked: rows.length, problems };
  });
}

/**
 * Replays the log in the order this store appended it (its own entries and those pulled from other origins) and
 * compares the aliases and stages it leads to with those in the store. Append order is a valid order for each alias
 * because a pull refuses to merge moves of the same alias made on both sides since the last sync.
 */
function compareState(db: Database.Database, name?: string): AuditProblem[] {
  const origin = localOrigin(db);
  const entries = (sql(db, 'SELECT * FROM registry_audit ORDER BY id').all() as AuditRow[]).map(toEntry);
  const aliases = new Map<string, Map<string, string>>();
  const stages = new Map<string, Map<string, string>>();
  const table = <T>(map: Map<string, Map<string, T>>, model: string) => {
    let inner = map.get(model);
    if (!inner) map.set(model, (inner = new Map<string, T>()));
    return inner;
  };
  for (const e of entries) {
    switch (e.action) {
      case 'alias.set':
      case 'alias.rollback':
        table(aliases, e.model).set(e.subject, e.to ?? '');
        break;
      case 'alias.delete':
        table(aliases, e.model).delete(e.subject);
        break;
      case 'stage.transition':
        table(stages, e.model).set(e.subject, e.to ?? 'None');
        break;
      case 'version.delete':
        table(stages, e.model).delete(e.subject);
        break;
      case 'model.delete':
        aliases.delete(e.model);
        stages.delete(e.model);
        break;
      case 'model.rename':
        for (const map of [aliases, stages]) {
          const moved = map.get(e.from ?? '');
          map.delete(e.from ?? '');
          if (moved) map.set(e.to ?? '', moved);
        }
        break;
      default:
        break;
    }
  }
  const problems: AuditProblem[] = [];
  const at = { kind: 'state' as const, origin, seq: null };
  const actualAliases = sql(db, 'SELECT name, alias, version FROM registered_model_aliases').all() as { name: string; alias: string; version: number }[];
  const seen = new Set<string>();
  for (const row of actualAliases) {
    if (name !== undefined && row.name !== name) continue;
    seen.add(`${row.name}@${row.alias}`);
    const expected = aliases.get(row.name)?.get(row.alias);
    if (expected !== String(row.version)) {
      problems.push({ ...at, message: `alias ${row.name}@${row.alias} points to version ${row.version}, but the audit log says ${expected === undefined ? 'it was never set' : `version ${expected}`}` });
    }
  }
  for (const [model, map] of aliases) {
    if (name !== undefined && model !== name) continue;
    for (const [alias, version] of map) {
      if (!seen.has(`${model}@${alias}`)) problems.push({ ...at, message: `the audit log says ${model}@${alias} points to version ${version}, but the alias is missing from the store` });
    }
  }
  const actualStages = sql(db, 'SELECT name, version, current_stage AS stage FROM model_versions').all() as { name: string; version: number; stage: string }[];
  const present = new Set<string>();
  for (const row of actualStages) {
    if (name !== undefined && row.name !== name) continue;
    present.add(`${row.name}:${row.version}`);
    const expected = stages.get(row.name)?.get(String(row.version)) ?? 'None';
    if (expected !== row.stage) {
      problems.push({ ...at, message: `version ${row.name}:${row.version} is in stage ${row.stage}, but the audit log says ${expected}` });
    }
  }
  for (const [model, map] of stages) {
    if (name !== undefined && model !== name) continue;
    for (const [version, stage] of map) {
      if (stage !== 'None' && !present.has(`${model}:${version}`)) {
        problems.push({ ...at, message: `the audit log says ${model}:${version} is in stage ${stage}, but the version is missing from the store` });
      }
    }
  }
  return problems;
}
