import type Database from 'better-sqlite3';
import { SlipwayError } from '../errors';
import type { Store } from '../store';
import type { RemoteLayout } from './layout';

/** Tables holding one run's record, keyed by run_uuid. */
const RUN_TABLES = ['runs', 'params', 'tags', 'metrics', 'latest_metrics', 'artifacts', 'run_dataset_inputs', 'run_model_links'] as const;

type Row = Record<string, unknown>;

/** A run as exported to a remote: its experiment and the rows of every run table. */
export interface RunRecord {
  format: 1;
  runId: string;
  experiment: Row;
  tables: Record<string, Row[]>;
}

function exportRun(db: Database.Database, runId: string): RunRecord {
  const tables: Record<string, Row[]> = {};
  for (const t of RUN_TABLES) tables[t] = db.prepare(`SELECT * FROM ${t} WHERE run_uuid = ? ORDER BY rowid`).all(runId) as Row[];
  const run = tables.runs?.[0];
  const experiment = db.prepare('SELECT * FROM experiments WHERE experiment_id = ?').get(run?.experiment_id) as Row;
  return { format: 1, runId, experiment, tables };
}

function columnsOf(db: Database.Database, table: string): Set<string> {
  return new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name));
}

function insertRow(db: Database.Database, table: string, row: Row, file: string): void {
  const allowed = columnsOf(db, table);
  const cols = Object.keys(row);
  const unknown = cols.find((c) => !allowed.has(c));
  if (unknown) throw new SlipwayError('INVALID_STATE', `${file}: table ${table} has no column "${unknown}"; the run record is damaged or from a newer Slipway.`);
  db.prepare(`INSERT OR IGNORE INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((c) => row[c]));
}

/** Experiments are matched by name, since each project gives its own random ids. */
function localExperiment(db: Database.Database, experiment: Row, file: string): string {
  const name = experiment.name;
  const id = experiment.experiment_id;
  if (typeof name !== 'string' || typeof id !== 'string') throw new SlipwayError('INVALID_STATE', `${file}: the run's experiment has no name or id.`);
  const byName = db.prepare('SELECT experiment_id FROM experiments WHERE name = ?').get(name) as { experiment_id: string } | undefined;
  if (byName) return byName.experiment_id;
  if (db.prepare('SELECT 1 FROM experiments WHERE experiment_id = ?').get(id)) {
    throw new SlipwayError('INVALID_STATE', `${file}: experiment id ${id} is "${name}" on the remote but another experiment here.`);
  }
  insertRow(db, 'experiments', experiment, file);
  return id;
}

/** Writes every finished run the remote lacks; runs still in progress go with a later push. */
export async function pushRuns(store: Store, layout: RemoteLayout): Promise<number> {
  const ids = store.read(() => store.db.prepare("SELECT run_uuid FROM runs WHERE status NOT IN ('RUNNING', 'SCHEDULED') ORDER BY start_time").all() as { run_uuid: string }[]);
  const present = new Set((await layout.remote.listNames(layout.runsKey)).map((n) => n.replace(/\.json$/, '')));
  let written = 0;
  for (const { run_uuid: id } of ids) {
    if (present.has(id)) continue;
    const record = store.read(() => exportRun(store.db, id));
    if (await layout.remote.writeOnce(layout.runKey(id), `${JSON.stringify(record)}\n`)) written++;
  }
  return written;
}

/** Adds the remote's runs this store lacks, unchanged (same ids); runs already here are left as they are. */
export async function pullRuns(store: Store, layout: RemoteLayout): Promise<string[]> {
  const names = (await layout.remote.listNames(layout.runsKey)).filter((n) => /^[0-9a-f]{32}\.json$/.test(n));
  const have = new Set(store.read(() => (store.db.prepare('SELECT run_uuid FROM runs').all() as { run_uuid: string }[]).map((r) => r.run_uuid)));
  const records: { file: string; record: RunRecord }[] = [];
  for (const name of names) {
    const id = name.slice(0, 32);
    if (have.has(id)) continue;
    const file = layout.runFile(id);
    const text = await layout.remote.readText(layout.runKey(id));
    if (text === null) continue;
    let record: RunRecord;
    try {
      record = JSON.parse(text) as RunRecord;
    } catch {
      throw new SlipwayError('INVALID_STATE', `${file} is not valid JSON; the remote's run export is damaged.`);
    }
    if (record.format !== 1 || record.runId !== id || record.tables.runs?.[0]?.run_uuid !== id) {
      throw new SlipwayError('INVALID_STATE', `${file} does not hold run ${id}; the remote's run export is damaged.`);
    }
    records.push({ file, record });
  }
  if (!records.length) return [];
  return store.write((changed) => {
    for (const { file, record } of records) {
      const experimentId = localExperiment(store.db, record.experiment, file);
      for (const t of RUN_TABLES) {
        for (const row of record.tables[t] ?? []) insertRow(store.db, t, t === 'runs' ? { ...row, experiment_id: experimentId } : row, file);
      }
      changed('runs', record.runId);
    }
    return records.map((r) => r.record.runId);
  });
}
