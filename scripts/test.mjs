// Runs every suite: build, then the node:test suites under test/ (unit, CLI, daemon, language server, e2e).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function run(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'fixtures' || name === 'node_modules') return [];
    if (statSync(path).isDirectory()) return findTests(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const only = process.argv.slice(2);
if (!only.length) {
  // Static checks first: strict types and the lint rules that keep the layers apart.
  run('npx', ['tsc', '-p', '.', '--noEmit']);
  run('npx', ['eslint', 'src', 'test', 'bench', 'scripts', 'examples']);
}
run('node', ['scripts/build.mjs']);
const all = findTests('test').sort();
const selected = only.length ? all.filter((file) => only.some((part) => file.includes(part))) : all;
const e2e = selected.filter((file) => file.startsWith(join('test', 'e2e')));
const rest = selected.filter((file) => !e2e.includes(file));
// A hung test fails after its timeout instead of holding CI; --test-force-exit ends stray handles once all ran.
if (rest.length) run('node', ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', '--test-force-exit', ...rest]);
// The real-host suites each start their own code-server; run them one at a time.
if (e2e.length) run('node', ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=900000', '--test-force-exit', ...e2e]);
