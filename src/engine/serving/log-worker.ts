/**
 * Source of the prediction log's writer thread. It is evaluated as a worker (`eval: true`) so that the same code runs
 * from the source tree, the CLI bundle and a deploy context without a second entry file. It opens its own connection
 * to the (already migrated) store and handles, in order:
 *   { type: 'rows', rows }        → one BEGIN IMMEDIATE transaction: the rows plus a change_log entry per endpoint
 *   { type: 'feedback', id, items } → checks every id exists (rows sent earlier are written by then), then records
 *   { type: 'close' }             → closes the connection
 * and answers { type: 'written', count } / { type: 'feedback', id, accepted | unknown | error } / { type: 'error' }.
 * SQLite waits for another process's lock here (busy timeout 5 s), off the thread that answers requests.
 */
export const LOG_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.path, { timeout: 5000 });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
const insert = db.prepare('INSERT OR IGNORE INTO prediction_log (id, endpoint, model, version, ts_ms, latency_us, inputs, outputs) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
const change = db.prepare('INSERT INTO change_log (topic, key, ts_ms) VALUES (?, ?, ?)');
const exists = db.prepare('SELECT 1 FROM prediction_log WHERE id = ?').pluck();
const label = db.prepare('INSERT INTO prediction_feedback (id, label, ts_ms) VALUES (?, ?, ?)');
const writeRows = db.transaction((rows) => {
  const endpoints = new Set();
  for (const e of rows) {
    insert.run(e.id, e.endpoint, e.model, e.version, e.tsMs, e.latencyUs, JSON.stringify(e.inputs), JSON.stringify(e.outputs));
    endpoints.add(e.endpoint);
  }
  const now = Date.now();
  for (const endpoint of endpoints) change.run('predictions', endpoint, now);
});
const writeFeedback = db.transaction((items) => {
  const unknown = items.filter((item) => !exists.get(item.id)).map((item) => item.id);
  if (unknown.length) return { unknown };
  const now = Date.now();
  for (const item of items) label.run(item.id, typeof item.label === 'boolean' ? Number(item.label) : item.label, now);
  change.run('predictions', 'feedback', now);
  return { accepted: items.length };
});
function attempt(fn) {
  for (;;) {
    try {
      return fn();
    } catch (error) {
      // Busy beyond the timeout: keep trying; the rows stay owned by this thread, and memory stays bounded upstream.
      if (!/SQLITE_BUSY|database is locked/.test(String(error && (error.code || error.message)))) throw error;
    }
  }
}
parentPort.on('message', (message) => {
  try {
    if (message.type === 'rows') {
      attempt(() => writeRows.immediate(message.rows));
      parentPort.postMessage({ type: 'written', count: message.rows.length });
    } else if (message.type === 'feedback') {
      parentPort.postMessage({ type: 'feedback', id: message.id, ...attempt(() => writeFeedback.immediate(message.items)) });
    } else if (message.type === 'close') {
      db.close();
      parentPort.postMessage({ type: 'closed' });
    }
  } catch (error) {
    const text = String(error && error.message || error);
    if (message.type === 'feedback') parentPort.postMessage({ type: 'feedback', id: message.id, error: text });
    else parentPort.postMessage({ type: 'error', message: text, count: message.type === 'rows' ? message.rows.length : 0 });
  }
});
`;
