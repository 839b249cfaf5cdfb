// Runs `push` in its own process and prints one line per object that lands, so a test can kill it midway.
import { DataRepo, push } from '../../../src/engine/versioning';

void (async () => {
  const [root] = process.argv.slice(2);
  const repo = DataRepo.open(root!);
  try {
    const result = await push(repo, undefined, { jobs: 2, onObject: (oid) => process.stdout.write(`${oid}\n`) });
    process.stdout.write(`done ${JSON.stringify(result)}\n`);
  } finally {
    await repo.close();
  }
})();
