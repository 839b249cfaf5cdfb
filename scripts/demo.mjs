// The main job on a fresh machine: builds Slipway, makes a temporary git workspace, tracks three training runs of
// the credit-risk example through the CLI, lists and compares them, and queries the engine's MLflow API.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
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
cpSync(join(root, 'examples', 'credit-risk', 'train.mjs'), join(ws, 'train.mjs'));
writeFileSync(join(ws, 'slipway.yaml'), 'version: 1\ntracking:\n  experiment: credit-risk\n');
const gitEnv = { GIT_AUTHOR_NAME: 'demo', GIT_AUTHOR_EMAIL: 'demo@example.com', GIT_COMMITTER_NAME: 'demo', GIT_COMMITTER_EMAIL: 'demo@example.com' };
sh('git', ['init', '-q', '-b', 'main']);
slipway('init');
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
console.log(`\nDone. Explore it yourself: cd ${ws} && node ${cli} runs list`);
