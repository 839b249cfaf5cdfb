import type { ModelStage, ModelVersion, RegistryAuditEntry } from '../../shared/mlflow-registry';
import { SlipwayError } from '../errors';
import { appendAudit, readAudit } from './audit';
import { actorOf, modelRow, versionRow, versionShape, type ChangeMeta, type RegistryContext } from './context';
import { parseModelRef, parseVersion, validateAlias, type ModelRef } from './modelref';
import { sql } from './statements';

const STAGES: Record<string, ModelStage> = { none: 'None', staging: 'Staging', production: 'Production', archived: 'Archived' };

/** MLflow's stage names, matched case-insensitively as MLflow does. */
export function parseStage(stage: unknown): ModelStage {
  const found = typeof stage === 'string' ? STAGES[stage.toLowerCase()] : undefined;
  if (!found) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Invalid stage "${String(stage)}": use None, Staging, Production or Archived.`);
  return found;
}

/**
 * Points `alias` at a version, moving it from the version that held it. Audited with the previous holder; setting
 * an alias to the version it already points at changes nothing and writes no entry.
 */
export function setAlias(ctx: RegistryContext, name: string, alias: string, version: string | number, meta?: ChangeMeta): ModelVersion {
  const a = validateAlias(alias);
  const v = parseVersion(version);
  return ctx.store.write((changed) => {
    const db = ctx.store.db;
    versionRow(db, name, v);
    const current = sql(db, 'SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?').get(name, a) as { version: number } | undefined;
    if (current?.version !== v) {
      const now = ctx.now();
      sql(db, 'INSERT OR REPLACE INTO registered_model_aliases (name, alias, version) VALUES (?, ?, ?)').run(name, a, v);
      sql(db, 'UPDATE registered_models SET last_updated_time = ? WHERE name = ?').run(now, name);
      appendAudit(db, { tsMs: now, actor: actorOf(ctx, meta), model: name, action: 'alias.set', subject: a, from: current ? String(current.version) : null, to: String(v), reason: meta?.reason ?? '' });
      changed('models', name);
    }
    return versionShape(db, versionRow(db, name, v));
  });
}

/** Removes an alias (audited). Removing an alias that is not set succeeds without an entry, as in MLflow. */
export function deleteAlias(ctx: RegistryContext, name: string, alias: string, meta?: ChangeMeta): void {
  const a = validateAlias(alias);
  ctx.store.write((changed) => {
    const db = ctx.store.db;
    modelRow(db, name);
    const current = sql(db, 'SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?').get(name, a) as { version: number } | undefined;
    if (!current) return;
    const now = ctx.now();
    sql(db, 'DELETE FROM registered_model_aliases WHERE name = ? AND alias = ?').run(name, a);
    sql(db, 'UPDATE registered_models SET last_updated_time = ? WHERE name = ?').run(now, name);
    appendAudit(db, { tsMs: now, actor: actorOf(ctx, meta), model: name, action: 'alias.delete', subject: a, from: String(current.version), to: null, reason: meta?.reason ?? '' });
    changed('models', name);
  });
}

/** The version an alias points to; RESOURCE_DOES_NOT_EXIST when the alias is not set. */
export function versionByAlias(ctx: RegistryContext, name: string, alias: string): ModelVersion {
  const a = validateAlias(alias);
  const db = ctx.store.db;
  return ctx.store.read(() => {
    modelRow(db, name);
    const row = sql(db, 'SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?').get(name, a) as { version: number } | undefined;
    if (!row) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Registered model "${name}" has no alias "${a}".`);
    return versionShape(db, versionRow(db, name, row.version));
  });
}

/** Resolves a MODELREF: `NAME:VERSION`, `NAME@ALIAS`, or `NAME` (its newest version). */
export function resolveModelRef(ctx: RegistryContext, ref: string | ModelRef): ModelVersion {
  const parsed = typeof ref === 'string' ? parseModelRef(ref) : ref;
  if (parsed.kind === 'alias') return versionByAlias(ctx, parsed.name, parsed.alias);
  const db = ctx.store.db;
  return ctx.store.read(() => {
    if (parsed.kind === 'version') return versionShape(db, versionRow(db, parsed.name, parsed.version));
    modelRow(db, parsed.name);
    const newest = sql(db, 'SELECT max(version) AS version FROM model_versions WHERE name = ?').get(parsed.name) as { version: number | null };
    if (newest.version === null) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Registered model "${parsed.name}" has no versions yet.`);
    return versionShape(db, versionRow(db, parsed.name, newest.version));
  });
}

/**
 * Moves a version to a stage. With `archiveExisting`, the other versions in that stage (Staging or Production only,
 * as in MLflow) move to Archived. Each change is its own audit entry.
 */
export function transitionStage(ctx: RegistryContext, name: string, version: string | number, stage: string, archiveExisting: boolean, meta?: ChangeMeta): ModelVersion {
  const v = parseVersion(version);
  const target = parseStage(stage);
  if (archiveExisting && target !== 'Staging' && target !== 'Production') {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `archive_existing_versions can only be used with stage Staging or Production, not ${target}.`);
  }
  return ctx.store.write((changed) => {
    const db = ctx.store.db;
    const row = versionRow(db, name, v);
    const now = ctx.now();
    const actor = actorOf(ctx, meta);
    const reason = meta?.reason ?? '';
    const move = sql(db, 'UPDATE model_versions SET current_stage = ?, last_updated_time = ? WHERE name = ? AND version = ?');
    if (archiveExisting) {
      const others = sql(db, 'SELECT version FROM model_versions WHERE name = ? AND current_stage = ? AND version != ? ORDER BY version').all(name, target, v) as { version: number }[];
      for (const other of others) {
        move.run('Archived', now, name, other.version);
        appendAudit(db, { tsMs: now, actor, model: name, action: 'stage.transition', subject: String(other.version), from: target, to: 'Archived', reason: `archived when version ${v} moved to ${target}${reason ? `: ${reason}` : ''}` });
      }
    }
    if (row.current_stage !== target) {
      move.run(target, now, name, v);
      appendAudit(db, { tsMs: now, actor, model: name, action: 'stage.transition', subject: String(v), from: row.current_stage, to: target, reason });
    }
    sql(db, 'UPDATE registered_models SET last_updated_time = ? WHERE name = ?').run(now, name);
    changed('models', name);
    return versionShape(db, versionRow(db, name, v));
  });
}

/**
 * The entries about the model that now holds `name`: walking back through renames to the names it had, and stopping
 * where that name belonged to another model (one deleted, or renamed away, before this one took the name).
 */
function ownEntries(entries: readonly RegistryAuditEntry[], name: string): RegistryAuditEntry[] {
  const owned: RegistryAuditEntry[] = [];
  let current: string | null = name;
  for (let i = entries.length - 1; i >= 0 && current !== null; i--) {
    const e = entries[i]!;
    if (e.action === 'model.rename' && e.to === current) {
      owned.push(e);
      current = e.from;
    } else if ((e.action === 'model.rename' && e.from === current) || (e.action === 'model.delete' && e.model === current)) {
      current = null;
    } else if (e.model === current) {
      owned.push(e);
    }
  }
  return owned.reverse();
}

/**
 * The version an alias held before its current holder, from the audit trail. Moves form a stack: each set or
 * delete pushes the holder it replaced, each rollback pops one, so repeated rollbacks walk further back rather than
 * toggling between two versions. Only the model that holds the name now counts, not an earlier model of that name.
 */
export function previousHolder(ctx: RegistryContext, name: string, alias: string): string | null | undefined {
  const stack: (string | null)[] = [];
  for (const e of ownEntries(readAudit(ctx.store.db), name)) {
    if (e.subject !== alias) continue;
    if (e.action === 'alias.set' || e.action === 'alias.delete') stack.push(e.from);
    else if (e.action === 'alias.rollback') stack.pop();
  }
  return stack.length ? stack[stack.length - 1] : undefined;
}

/** Moves an alias back to its previous holder (see {@link previousHolder}). Audited as `alias.rollback`; a reason is required. */
export function rollbackAlias(ctx: RegistryContext, name: string, alias: string, meta: ChangeMeta): ModelVersion {
  const a = validateAlias(alias);
  if (!meta.reason?.trim()) throw new SlipwayError('INVALID_PARAMETER_VALUE', 'A rollback needs a reason (--reason "…"): it is recorded in the audit log.');
  return ctx.store.write((changed) => {
    const db = ctx.store.db;
    modelRow(db, name);
    const current = sql(db, 'SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?').get(name, a) as { version: number } | undefined;
    const target = previousHolder(ctx, name, a);
    if (target === undefined) throw new SlipwayError('INVALID_STATE', `Alias ${name}@${a} has no earlier holder in the audit log to roll back to.`);
    if (target === null) {
      throw new SlipwayError('INVALID_STATE', `Before its current holder, alias ${name}@${a} was not set; remove it with \`slipway models alias ${name} ${a} --delete\` instead.`);
    }
    const version = Number(target);
    const exists = sql(db, 'SELECT 1 FROM model_versions WHERE name = ? AND version = ?').get(name, version);
    if (!exists) throw new SlipwayError('INVALID_STATE', `Alias ${name}@${a} was previously on version ${target}, which has been deleted; set the alias explicitly instead.`);
    const now = ctx.now();
    sql(db, 'INSERT OR REPLACE INTO registered_model_aliases (name, alias, version) VALUES (?, ?, ?)').run(name, a, version);
    sql(db, 'UPDATE registered_models SET last_updated_time = ? WHERE name = ?').run(now, name);
    appendAudit(db, { tsMs: now, actor: actorOf(ctx, meta), model: name, action: 'alias.rollback', subject: a, from: current ? String(current.version) : null, to: target, reason: meta.reason!.trim() });
    changed('models', name);
    return versionShape(db, versionRow(db, name, version));
  });
}
