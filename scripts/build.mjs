// Bundles every entry point with esbuild. Native modules stay external and ship beside the bundle.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

// Natives ship beside the bundle; esbuild is only used from the source tree (deploy builds serve.js on the spot).
const natives = ['better-sqlite3', 'onnxruntime-node', 'esbuild'];
const node = { platform: 'node', target: 'node20', format: 'cjs', bundle: true, sourcemap: true, external: natives, logLevel: 'warning', logOverride: { 'import-is-undefined': 'error' } };
const entries = [
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' },
  { ...node, entryPoints: ['src/engine/daemon.ts'], outfile: 'dist/daemon.js' },
  // Standalone serve entry: copied into `slipway deploy` build contexts and started there with plain node.
  { ...node, entryPoints: ['src/engine/serving/main.ts'], outfile: 'dist/serve.js' },
  // Reads a table on a worker thread (src/engine/tables/parallel.ts looks for it beside the bundle).
  { ...node, entryPoints: ['src/engine/tables/worker.ts'], outfile: 'dist/tables-worker.js' },
  // Tests a share of the drift columns on a second thread (src/engine/drift/parallel.ts).
  { ...node, entryPoints: ['src/engine/drift/worker.ts'], outfile: 'dist/drift-worker.js' },
  // Evaluates due monitors off the daemon's event loop (src/engine/monitoring/scheduler.ts).
  { ...node, entryPoints: ['src/engine/monitoring/worker.ts'], outfile: 'dist/monitor-worker.js' },
  { ...node, entryPoints: ['src/server/main.ts'], outfile: 'dist/server.js' },
  { ...node, entryPoints: ['src/extension/main.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // One browser bundle per webview panel: dist/webviews/<panel>.js.
  ...['show-run', 'drift-report'].map((panel) => ({ platform: 'browser', target: 'es2022', format: 'iife', bundle: true, sourcemap: true, minify: true, logLevel: 'warning', entryPoints: [`src/webviews/${panel}/main.ts`], outfile: `dist/webviews/${panel}.js` })),
].filter((entry) => existsSync(entry.entryPoints[0]));

const started = Date.now();
await Promise.all(entries.map((entry) => build(entry)));
console.log(`built ${entries.length} bundles in ${Date.now() - started} ms`);
