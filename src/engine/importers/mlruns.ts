import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import type { ImportMlrunsOutput } from '../../shared/cli';
import { SlipwayError } from '../errors';
import { readYamlObject, type PlainMap } from '../yaml';
import { importFileStoreRegistry } from '../registry';
import { putArtifact, type TrackingContext } from '../tracking';
import { toMetricValue } from '../tracking/limits';
import { rebaseArtifactUri } from './file-uri';

/** What one import did; every count is of things newly written (an unchanged re-import writes nothing). */
export type MlrunsImportReport = ImportMlrunsOutput;

// FileStore's integer enums (mlflow/entities/run_status.py, logged_model_status.py).
const RUN_STATUS: Record<number, string> = { 1: 'RUNNING', 2: 'SCHEDULED', 3: 'FINISHED', 4: 'FAILED', 5: 'KILLED' };
const MODEL_STATUS: Record<number, string> = { 0: 'LOGGED_MODEL_PENDING', 1: 'LOGGED_MODEL_PENDING', 2: 'LOGGED_MODEL_READY', 3: 'LOGGED_MODEL_UPLOAD_FAILED' };

type Meta = PlainMap;
const readMeta = readYamlObject;

function str(meta: Meta, key: string): string | null {
  const v = meta[key];
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function num(meta: Meta, key: string): number | null {
  const v = meta[key];
  return typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null;
}

function dirs(path: string): string[] {
  return existsSync(path) ? readdirSync(path, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name) : [];
}

/** Files under `dir` as [key with '/' separators, absolute path] (FileStore nests keys that contain '/'). */
function keyedFiles(dir: string): [string, string][] {
  if (!existsSync(dir)) return [];
  const out: [string, string][] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.push([relative(dir, full).split(sep).join('/'), full]);
    }
  };
  walk(dir);
  return out.sort(([a], [b]) => a.localeCompare(b));
}

interface MetricLine {
  timestamp: number;
  value: number;
  step: number;
}

function metricLines(path: string, key: string): MetricLine[] {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim())
    .map((line, i) => {
      const [ts, value, step] = line.trim().split(/\s+/);
      if (ts === undefined || value === undefined) throw new SlipwayError('INVALID_PARAMETER_VALUE', `${path}:${i + 1}: expected "timestamp value [step]".`);
      return { timestamp: Number(ts), value: toMetricValue(key, value), step: step === undefined ? 0 : Number(step) };
    });
}

/**
 * Imports an MLflow FileStore (`mlruns/`): experiments, runs with params, stepped metrics, tags and artifacts, and
 * MLflow 3 logged models with their artifacts and run outputs, and the model registry (`models/`, audited). Ids and
 * version numbers are kept, so importing again adds only what is new.
 */
export async function importMlruns(ctx: TrackingContext, mlrunsPath: string): Promise<MlrunsImportReport> {
  const root = resolve(mlrunsPath);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `${root} is not a folder. Pass the path of an MLflow \`mlruns\` folder.`);
  const report: MlrunsImportReport = { experiments: 0, runs: 0, metrics: 0, params: 0, tags: 0, artifacts: 0, loggedModels: 0, registeredModels: 0, modelVersions: 0, skippedRuns: 0, notes: [] };
  const experimentDirs = dirs(root).filter((d) => d !== 'models' && d !== '.trash' && existsSync(join(root, d, 'meta.yaml')));
  if (!experimentDirs.length) throw new SlipwayError('INVALID_PARAMETER_VALUE', `${root} holds no experiments (no <id>/meta.yaml). Is it an MLflow FileStore?`);
  const db = ctx.store.db;
  const storeName = basename(root);
  for (const expDir of experimentDirs) {
    const meta = readMeta(join(root, expDir, 'meta.yaml'))!;
    const experimentId = str(meta, 'experiment_id') ?? expDir;
    let name = str(meta, 'name') ?? `imported-${experimentId}`;
    ctx.store.write((changed) => {
      if (db.prepare('SELECT 1 FROM experiments WHERE experiment_id = ?').get(experimentId)) return;
      if (db.prepare('SELECT 1 FROM experiments WHERE name = ?').get(name)) {
        const renamed = `${name} (imported ${experimentId})`;
        report.notes.push(`Experiment "${name}" (${experimentId}) was imported as "${renamed}": the name is taken by another experiment here.`);
        name = renamed;
      }
      db.prepare('INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (?, ?, ?, ?, ?, ?)').run(
        experimentId,
        name,
        `mlflow-artifacts:/${experimentId}`,
        str(meta, 'lifecycle_stage') === 'deleted' ? 'deleted' : 'active',
        num(meta, 'creation_time') ?? Date.now(),
        num(meta, 'last_update_time') ?? num(meta, 'creation_time') ?? Date.now(),
      );
      for (const [key, file] of keyedFiles(join(root, expDir, 'tags'))) db.prepare('INSERT OR IGNORE INTO experiment_tags VALUES (?, ?, ?)').run(experimentId, key, readFileSync(file, 'utf8'));
      report.experiments++;
      changed('experiments', experimentId);
    });
    for (const runDir of dirs(join(root, expDir)).filter((d) => /^[0-9a-f]{32}$/.test(d))) {
      await importRun(ctx, root, storeName, experimentId, join(root, expDir, runDir), report);
    }
    for (const modelDir of dirs(join(root, expDir, 'models')).filter((d) => /^m-[0-9a-f]{32}$/.test(d))) {
      await importLoggedModel(ctx, root, storeName, experimentId, join(root, expDir, 'models', modelDir), report);
    }
    for (const runDir of dirs(join(root, expDir)).filter((d) => /^[0-9a-f]{32}$/.test(d))) importOutputs(ctx, join(root, expDir, runDir));
  }
  const registry = importFileStoreRegistry(ctx.store, join(root, 'models'));
  report.registeredModels = registry.models;
  report.modelVersions = registry.versions;
  report.notes.push(...registry.notes);
  return report;
}

async function importRun(ctx: TrackingContext, root: string, storeName: string, experimentId: string, dir: string, report: MlrunsImportReport): Promise<void> {
  const meta = readMeta(join(dir, 'meta.yaml'));
  if (!meta) {
    report.skippedRuns++;
    report.notes.push(`${dir} has no meta.yaml and was skipped.`);
    return;
  }
  const runId = str(meta, 'run_id') ?? str(meta, 'run_uuid') ?? basename(dir);
  const db = ctx.store.db;
  const tags = keyedFiles(join(dir, 'tags')).map(([key, file]) => ({ key, value: readFileSync(file, 'utf8') }));
  const runName = str(meta, 'run_name') || tags.find((t) => t.key === 'mlflow.runName')?.value || runId.slice(0, 8);
  ctx.store.write((changed) => {
    const existing = db.prepare('SELECT 1 FROM runs WHERE run_uuid = ?').get(runId);
    if (!existing) {
      db.prepare(`INSERT INTO runs (run_uuid, experiment_id, run_name, user_id, status, start_time, end_time, lifecycle_stage, deleted_time, artifact_uri)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        runId,
        experimentId,
        runName,
        str(meta, 'user_id') ?? '',
        RUN_STATUS[num(meta, 'status') ?? 3] ?? 'FINISHED',
        num(meta, 'start_time') ?? 0,
        num(meta, 'end_time'),
        str(meta, 'lifecycle_stage') === 'deleted' ? 'deleted' : 'active',
        num(meta, 'deleted_time'),
        `mlflow-artifacts:/${experimentId}/${runId}/artifacts`,
      );
      report.runs++;
    }
    for (const [key, file] of keyedFiles(join(dir, 'params'))) report.params += db.prepare('INSERT OR IGNORE INTO params VALUES (?, ?, ?)').run(runId, key, readFileSync(file, 'utf8')).changes;
    for (const tag of [...tags, { key: 'mlflow.runName', value: runName }]) report.tags += db.prepare('INSERT OR IGNORE INTO tags VALUES (?, ?, ?)').run(runId, tag.key, tag.value).changes;
    const known = db.prepare('SELECT 1 FROM metrics WHERE run_uuid = ? AND key = ? LIMIT 1');
    for (const [key, file] of keyedFiles(join(dir, 'metrics'))) {
      if (known.get(runId, key)) continue; // metrics of a run already imported stay as they were
      const points = metricLines(file, key);
      for (const p of points) {
        const nan = Number.isNaN(p.value);
        db.prepare('INSERT INTO metrics (run_uuid, key, value, is_nan, timestamp, step) VALUES (?, ?, ?, ?, ?, ?)').run(runId, key, nan ? null : p.value, nan ? 1 : 0, p.timestamp, p.step);
      }
      const latest = [...points].sort((a, b) => a.step - b.step || a.timestamp - b.timestamp || (Number.isNaN(a.value) ? -1 : Number.isNaN(b.value) ? 1 : a.value - b.value)).pop();
      if (latest) {
        const nan = Number.isNaN(latest.value);
        db.prepare('INSERT OR REPLACE INTO latest_metrics (run_uuid, key, value, is_nan, timestamp, step) VALUES (?, ?, ?, ?, ?, ?)').run(runId, key, nan ? null : latest.value, nan ? 1 : 0, latest.timestamp, latest.step);
      }
      report.metrics += points.length;
    }
    changed('runs', runId);
  });
  const uri = str(meta, 'artifact_uri');
  const folder = uri ? rebaseArtifactUri(uri, root, storeName) : existsSync(join(dir, 'artifacts')) ? join(dir, 'artifacts') : null;
  await importArtifacts(ctx, { kind: 'run', id: runId }, folder, uri, report);
}

async function importArtifacts(ctx: TrackingContext, owner: { kind: 'run' | 'model'; id: string }, folder: string | null, uri: string | null, report: MlrunsImportReport): Promise<void> {
  if (!folder) {
    if (uri && !/^(file:|[A-Za-z]:|\/)/i.test(uri)) report.notes.push(`Artifacts of ${owner.kind} ${owner.id} live at ${uri}, which is not a local folder; they were not imported.`);
    return;
  }
  const table = owner.kind === 'run' ? 'artifacts' : 'logged_model_artifacts';
  const column = owner.kind === 'run' ? 'run_uuid' : 'model_id';
  const known = ctx.store.db.prepare(`SELECT md5 FROM ${table} WHERE ${column} = ? AND path = ?`);
  for (const [path, file] of keyedFiles(folder)) {
    if (known.get(owner.id, path)) continue;
    await putArtifact(ctx, owner, path, { file });
    report.artifacts++;
  }
}

async function importLoggedModel(ctx: TrackingContext, root: string, storeName: string, experimentId: string, dir: string, report: MlrunsImportReport): Promise<void> {
  const meta = readMeta(join(dir, 'meta.yaml'));
  if (!meta) return;
  const modelId = str(meta, 'model_id') ?? basename(dir);
  const db = ctx.store.db;
  ctx.store.write((changed) => {
    if (!db.prepare('SELECT 1 FROM logged_models WHERE model_id = ?').get(modelId)) {
      const sourceRun = str(meta, 'source_run_id');
      const hasRun = sourceRun ? db.prepare('SELECT 1 FROM runs WHERE run_uuid = ?').get(sourceRun) : null;
      db.prepare(`INSERT INTO logged_models (model_id, experiment_id, name, artifact_location, creation_timestamp_ms, last_updated_timestamp_ms, status, status_message, model_type, source_run_id)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        modelId,
        experimentId,
        str(meta, 'name') ?? 'model',
        `mlflow-artifacts:/${experimentId}/models/${modelId}/artifacts`,
        num(meta, 'creation_timestamp') ?? Date.now(),
        num(meta, 'last_updated_timestamp') ?? Date.now(),
        MODEL_STATUS[num(meta, 'status') ?? 2] ?? 'LOGGED_MODEL_READY',
        str(meta, 'status_message'),
        str(meta, 'model_type'),
        hasRun ? sourceRun : null,
      );
      for (const [key, file] of keyedFiles(join(dir, 'params'))) db.prepare('INSERT OR IGNORE INTO logged_model_params VALUES (?, ?, ?)').run(modelId, key, readFileSync(file, 'utf8'));
      for (const [key, file] of keyedFiles(join(dir, 'tags'))) db.prepare('INSERT OR IGNORE INTO logged_model_tags VALUES (?, ?, ?)').run(modelId, key, readFileSync(file, 'utf8'));
      report.loggedModels++;
      changed('models', modelId);
    }
  });
  const uri = str(meta, 'artifact_location');
  await importArtifacts(ctx, { kind: 'model', id: modelId }, uri ? rebaseArtifactUri(uri, root, storeName) : join(dir, 'artifacts'), uri, report);
}

function importOutputs(ctx: TrackingContext, runDir: string): void {
  const runId = basename(runDir);
  ctx.store.write(() => {
    for (const modelDir of dirs(join(runDir, 'outputs'))) {
      const meta = readMeta(join(runDir, 'outputs', modelDir, 'meta.yaml'));
      const modelId = meta ? str(meta, 'destination_id') ?? modelDir : modelDir;
      ctx.store.db.prepare("INSERT OR IGNORE INTO run_model_links (run_uuid, direction, model_id, step) VALUES (?, 'output', ?, ?)").run(runId, modelId, meta ? num(meta, 'step') ?? 0 : 0);
    }
  });
}
