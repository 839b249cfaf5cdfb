// The main job on a fresh machine: builds Slipway and walks the credit-risk example through a temporary git
// workspace — data versioning, tracked training runs, the MLflow API, the model registry with an audited alias,
// ONNX serving with risk tiers, model performance from labels that arrive later, a drift check of this month's
// applicants against the training data, and a monitor whose alert rule fires on drift.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'dist', 'cli.js');
const step = (title) => console.log(`\n== ${title}`);

execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
const ws = mkdtempSync(join(tmpdir(), 'slipway-demo-'));
const sh = (cmd, args, options = {}) => {
  const r = spawnSync(cmd, args, { cwd: ws, stdio: 'inherit', env: { ...process.env, SLIPWAY_CLI: cli }, ...options });
  if (r.status !== 0 && !options.allowFailure) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return r;
};
const slipway = (...args) => sh(process.execPath, [cli, ...args]);
const slipwayMayFail = (...args) => sh(process.execPath, [cli, ...args], { allowFailure: true });
const capture = (...args) => execFileSync(process.execPath, [cli, ...args], { cwd: ws, encoding: 'utf8' });

step(`workspace ${ws}`);
for (const file of ['train.mjs', 'make-data.mjs', 'model.onnx', 'model.schema.yaml']) cpSync(join(root, 'examples', 'credit-risk', file), join(ws, file));
writeFileSync(
  join(ws, 'slipway.yaml'),
  `version: 1
tracking:
  experiment: credit-risk
serving:
  endpoints:
    credit-risk:
      model: credit-risk@champion
      score_output: probabilities
      positive_label: 1
      postprocess:
        risk_tier:
          thresholds:
            - { above: 0.35, label: HIGH }
            - { above: 0.15, label: MEDIUM }
          otherwise: LOW
`,
);
const block = `monitors:
  applicants:
    data: data/current.csv
    reference: data/train.csv
    target: defaulted
alerts:
  retrain-on-drift:
    on: [drift]
    command: echo "alert $SLIPWAY_ALERT_ID - $SLIPWAY_ALERT_MONITOR drifted; report in $SLIPWAY_ALERT_REPORT"
`;
const gitEnv = { GIT_AUTHOR_NAME: 'demo', GIT_AUTHOR_EMAIL: 'demo@example.com', GIT_COMMITTER_NAME: 'demo', GIT_COMMITTER_EMAIL: 'demo@example.com' };
sh('git', ['init', '-q', '-b', 'main']);
slipway('init');
sh(process.execPath, ['make-data.mjs']);
step('version the training data (slipway add data/train.csv): DVC-compatible pointer file, content-addressed cache');
slipway('add', 'data/train.csv');
sh('git', ['add', '-A']);
sh('git', ['commit', '-q', '-m', 'credit-risk baseline'], { env: { ...process.env, ...gitEnv } });

step('three tracked training runs (slipway run -- node train.mjs --lr …)');
for (const lr of ['0.05', '0.5', '2.0']) slipway('run', '--name', `lr-${lr}`, '--param', `lr=${lr}`, '--', process.execPath, 'train.mjs', '--lr', lr);
step('a failing run keeps its output and status');
slipwayMayFail('run', '--name', 'broken', '--', process.execPath, '-e', 'console.error("no data"); process.exit(2)');

step('slipway runs list');
slipway('runs', 'list');
step("slipway runs list --filter \"metrics.val_auc > 0.7\" --order-by \"metrics.val_auc DESC\"");
slipway('runs', 'list', '--filter', 'metrics.val_auc > 0.7', '--order-by', 'metrics.val_auc DESC');
const best = JSON.parse(capture('runs', 'list', '--json', '--order-by', 'metrics.val_auc DESC', '-n', '1')).runs[0];
step(`slipway runs show ${best.runId.slice(0, 8)}`);
slipway('runs', 'show', best.runId.slice(0, 8));

step('the engine daemon serves the same store over MLflow\'s REST API');
slipway('engine', 'start');
const env = JSON.parse(capture('env', '--json'));
const res = await fetch(`${env.MLFLOW_TRACKING_URI}/api/2.0/mlflow/runs/search`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ experiment_ids: [best.experimentId], filter: "attributes.status = 'FINISHED'", order_by: ['metrics.val_auc DESC'] }),
});
const found = await res.json();
for (const run of found.runs) {
  const auc = run.data.metrics.find((m) => m.key === 'val_auc')?.value;
  console.log(`  ${run.info.run_name.padEnd(10)} ${run.info.status.padEnd(9)} val_auc=${auc}`);
}
slipway('engine', 'stop');

step('register the exported ONNX model and point the champion alias at it (audited, reason required)');
slipway('models', 'register', 'credit-risk', 'model.onnx', '--schema', 'model.schema.yaml');
slipway('models', 'alias', 'credit-risk', 'champion', '1', '--reason', 'best validation AUC');
slipway('models', 'history', 'credit-risk', '--verify');

step('serve credit-risk@champion and score one applicant (risk tiers from slipway.yaml)');
const server = spawn(process.execPath, [cli, 'serve', 'credit-risk', '--port', '0', '--json'], { cwd: ws, stdio: ['ignore', 'pipe', 'inherit'] });
const endpoint = await new Promise((resolveEndpoint, reject) => {
  let text = '';
  server.stdout.on('data', (chunk) => {
    text += chunk;
    try {
      resolveEndpoint(JSON.parse(text));
    } catch {
      // wait for the whole JSON object
    }
  });
  server.once('exit', (code) => reject(new Error(`slipway serve exited with ${code}`)));
});
const applicant = { annual_income: 38500, loan_amount: 24000, employment_years: 1.5, existing_debt_ratio: 0.52, credit_history_months: 30 };
const prediction = await (await fetch(`${endpoint.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(applicant) })).json();
console.log(JSON.stringify(prediction, null, 2));

step("score 300 of this month's applicants; their true outcomes arrive later (slipway feedback)");
const [header, ...lines] = readFileSync(join(ws, 'data', 'current.csv'), 'utf8').trim().split('\n').slice(0, 301);
const names = header.split(',');
const rows = lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i], v])));
const batch = rows.map((r) => Object.fromEntries(['annual_income', 'loan_amount', 'employment_years', 'existing_debt_ratio', 'credit_history_months'].map((k) => [k, Number(r[k])])));
const scored = await (await fetch(`${endpoint.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) })).json();
console.log(`scored ${scored.predictions.length} applicants with ${scored.model}:${scored.version}`);
writeFileSync(join(ws, 'outcomes.csv'), `id,label\n${scored.predictions.map((p, i) => `${p.id},${rows[i].defaulted}`).join('\n')}\n`);
slipway('feedback', 'outcomes.csv', '--endpoint', 'credit-risk');
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));

step('model performance from the labelled predictions (exit 1 = a metric degraded against the training run)');
slipwayMayFail('performance', '--endpoint', 'credit-risk', '--min-labels', '100');

step("drift: this month's applicants against the training data (exit 1 = dataset drift)");
slipwayMayFail('drift', '--reference', 'data/train.csv', '--current', 'data/current.csv', '--target', 'defaulted', '--out-html', 'drift.html');
step('declare a monitor and an alert rule in slipway.yaml; slipway monitor run stores a report, the rule runs its command (exit 1 = drift)');
appendFileSync(join(ws, 'slipway.yaml'), `${block}`);
slipwayMayFail('monitor', 'run', 'applicants');
slipway('monitor', 'list');
console.log(`\nDone. Explore it yourself: cd ${ws} && node ${cli} runs list   (drift report: ${join(ws, 'drift.html')})`);
