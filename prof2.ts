import { mkdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { DataRepo, add, status } from './src/engine/versioning';
import { versionOf, walkFiles } from './src/engine/versioning/workspace';
import { missingObjects } from './src/engine/versioning/listing';
void (async () => {
  const root = mkdtempSync('/tmp/prof-');
  writeFileSync(join(root, 'slipway.yaml'), 'version: 1\n');
  const p = Buffer.alloc(4096);
  for (let i = 0; i < 20000; i++) { const sub = join(root, 'shards', String(i % 100)); if (i < 100) mkdirSync(sub, { recursive: true }); p.writeUInt32LE(i); writeFileSync(join(sub, `f${i}`), p); }
  const repo = DataRepo.open(root);
  const [r] = await add(repo, ['shards']);
  for (let k = 0; k < 3; k++) {
  let t = Date.now();
  walkFiles(root, join(root, 'shards')); console.log('walk', Date.now() - t);
  t = Date.now();
  await versionOf(repo, 'shards', { store: false, fresh: new Map() });
  console.log('versionOf', Date.now() - t);
  t = Date.now(); await missingObjects(repo.cache, r!.md5); console.log('missing', Date.now() - t);
  t = Date.now(); await status(repo); console.log('status', Date.now() - t);
  }
  await repo.close();
})();
