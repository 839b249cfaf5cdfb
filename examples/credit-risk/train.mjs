// Trains a logistic-regression credit-risk model on synthetic applicants with plain gradient descent and logs its
// params and per-epoch metrics into the current Slipway run (run it as `slipway run -- node train.mjs --lr 0.1`).
import { execFileSync } from 'node:child_process';

const args = Object.fromEntries(process.argv.slice(2).map((a, i, all) => (a.startsWith('--') ? [a.slice(2), all[i + 1]] : null)).filter(Boolean));
const lr = Number(args.lr ?? 0.1);
const epochs = Number(args.epochs ?? 8);
const slipway = process.env.SLIPWAY_CLI ?? 'slipway';
const log = (...a) => execFileSync(process.execPath, [slipway, 'log', ...a], { stdio: 'inherit' });

// A seeded generator so that every run sees the same applicants.
let seed = 42;
const rand = () => ((seed = (seed * 1664525 + 1013904223) % 2 ** 32) / 2 ** 32);
const normal = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());

const n = 4000;
const features = 4;
const X = new Float64Array(n * features);
const y = new Uint8Array(n);
for (let i = 0; i < n; i++) {
  const income = normal(), debtRatio = normal(), history = normal(), loan = normal();
  X.set([income, debtRatio, history, loan], i * features);
  const logit = -1.2 - 1.1 * income + 1.6 * debtRatio - 0.8 * history + 0.6 * loan + 0.5 * normal();
  y[i] = rand() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
}
const split = Math.floor(n * 0.8);
const w = new Float64Array(features);
let b = 0;
const predict = (i) => {
  let z = b;
  for (let j = 0; j < features; j++) z += w[j] * X[i * features + j];
  return 1 / (1 + Math.exp(-z));
};

function auc(from, to) {
  const scored = [];
  for (let i = from; i < to; i++) scored.push([predict(i), y[i]]);
  scored.sort((a, c) => a[0] - c[0]);
  let rankSum = 0, positives = 0;
  scored.forEach(([, label], rank) => {
    if (!label) return;
    rankSum += rank + 1;
    positives++;
  });
  const negatives = scored.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

log('param', 'model', 'logistic_regression');
log('param', 'epochs', String(epochs));
for (let epoch = 1; epoch <= epochs; epoch++) {
  const grad = new Float64Array(features);
  let gradB = 0, loss = 0;
  for (let i = 0; i < split; i++) {
    const p = predict(i);
    loss -= y[i] ? Math.log(p + 1e-12) : Math.log(1 - p + 1e-12);
    for (let j = 0; j < features; j++) grad[j] += (p - y[i]) * X[i * features + j];
    gradB += p - y[i];
  }
  for (let j = 0; j < features; j++) w[j] -= (lr * grad[j]) / split;
  b -= (lr * gradB) / split;
  log('metric', 'train_loss', (loss / split).toFixed(6), '--step', String(epoch));
  log('metric', 'val_auc', auc(split, n).toFixed(6), '--step', String(epoch));
}
console.log(`trained: lr=${lr} val_auc=${auc(split, n).toFixed(4)}`);
