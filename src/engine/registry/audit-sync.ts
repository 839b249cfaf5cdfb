import type Database from 'better-sqlite3';
import type { RegistryAuditAction, RegistryAuditEntry } from '../../shared/mlflow-registry';
import { SlipwayError } from '../errors';
import type { Store } from '../store';
import { auditHash, GENESIS_HASH, localOrigin, readAudit } from './audit';
import { sql } from './statements';

/** Per origin, the highest sequence number a reader already has. */
export type AuditCursor = Record<string, number>;

/**
 * Entries a remote does not have yet, in this store's append order: those whose sequence is above the cursor of
 * their origin. Push writes them to the remote's append-only export; entries are never rewritten there either.
 */
export function exportAudit(store: Store, after: AuditCursor = {}): RegistryAuditEntry[] {
  return store.read(() => readAudit(store.db).filter((e) => e.seq > (after[e.origin] ?? 0)));
}

/** The cursor that covers everything this store holds. */
export function auditCursor(store: Store): AuditCursor {
  const rows = sql(store.db, 'SELECT origin, max(seq) AS seq FROM registry_audit GROUP BY origin').all() as { origin: string; seq: number }[];
  return Object.fromEntries(rows.map((r) => [r.origin, r.seq]));
}

const ACTIONS = new Set<RegistryAuditAction>([
  'alias.set',
  'alias.delete',
  'alias.rollback',
  'stage.transition',
  'version.delete',
  'model.delete',
  'model.rename',
  'model.tag.delete',
  'version.tag.delete',
]);

function checkShape(e: RegistryAuditEntry): void {
  const strings = [e.origin, e.actor, e.model, e.subject, e.reason, e.prevHash, e.hash];
  const ok =
    strings.every((s) => typeof s === 'string') &&
    Number.isSafeInteger(e.seq) &&
    e.seq >= 1 &&
    Number.isSafeInteger(e.tsMs) &&
    ACTIONS.has(e.action) &&
    (e.from === null || typeof e.from === 'string') &&
    (e.to === null || typeof e.to === 'string') &&
    /^[0-9a-f]{64}$/.test(e.hash) &&
    /^[0-9a-f]{64}$/.test(e.prevHash);
  if (!ok) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Audit entry ${String(e.seq)} of origin ${String(e.origin)} is malformed; the remote's audit export is damaged.`);
}

/**
 * Appends entries written by other stores (a pull), unchanged. Each must carry a valid hash and continue its
 * origin's chain exactly: the next sequence number, linked to the previous entry's hash. Entries already present are
 * skipped, so pulling twice is harmless; an entry that differs from the one this store holds at the same place, or
 * that claims this store's own origin without being in it, is a fork and fails the whole pull with nothing written.
 */
export function appendForeignAudit(store: Store, entries: readonly RegistryAuditEntry[]): { appended: number; skipped: number } {
  return store.write((changed) => appendForeignEntries(store.db, entries, changed));
}

/** appendForeignAudit inside a write transaction that is already open. */
export function appendForeignEntries(
  db: Database.Database,
  entries: readonly RegistryAuditEntry[],
  changed: (topic: string, key: string) => void,
): { appended: number; skipped: number } {
  const own = localOrigin(db);
  const existing = sql(db, 'SELECT hash FROM registry_audit WHERE origin = ? AND seq = ?');
  const head = sql(db, 'SELECT seq, hash FROM registry_audit WHERE origin = ? ORDER BY seq DESC LIMIT 1');
  const insert = db.prepare(
    `INSERT INTO registry_audit (origin, seq, ts_ms, actor, model, action, subject, from_value, to_value, reason, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let appended = 0;
  let skipped = 0;
  for (const e of entries) {
    checkShape(e);
    const where = `entry ${e.seq} of origin ${e.origin}`;
    const { hash, ...unsigned } = e;
    if (auditHash(unsigned) !== hash) throw new SlipwayError('INVALID_STATE', `Pulled audit ${where} does not match its hash; it was changed after it was written. Nothing was pulled.`);
    const present = existing.get(e.origin, e.seq) as { hash: string } | undefined;
    if (present) {
      if (present.hash !== hash) throw new SlipwayError('INVALID_STATE', `Pulled audit ${where} differs from the one this store holds: the two histories have forked. Nothing was pulled.`);
      skipped++;
      continue;
    }
    if (e.origin === own) throw new SlipwayError('INVALID_STATE', `Pulled audit ${where} claims this store's origin but this store never wrote it. Nothing was pulled.`);
    const last = head.get(e.origin) as { seq: number; hash: string } | undefined;
    const expectedSeq = (last?.seq ?? 0) + 1;
    const expectedPrev = last?.hash ?? GENESIS_HASH;
    if (e.seq !== expectedSeq || e.prevHash !== expectedPrev) {
      throw new SlipwayError('INVALID_STATE', `Pulled audit ${where} does not continue the chain this store has for that origin (expected entry ${expectedSeq}). Nothing was pulled.`);
    }
    insert.run(e.origin, e.seq, e.tsMs, e.actor, e.model, e.action, e.subject, e.from, e.to, e.reason, e.prevHash, hash);
    changed('models', e.model);
    appended++;
  }
  return { appended, skipped };
}
