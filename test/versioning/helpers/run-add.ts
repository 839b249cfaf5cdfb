// Runs `add` in its own process, for tests that kill it or run it as another user. Prints JSON lines.
import { DataRepo, add } from '../../../src/engine/versioning';

void (async () => {
  const [root, ...targets] = process.argv.slice(2);
  let repo: DataRepo | null = null;
  try {
    repo = DataRepo.open(root!);
    const result = await add(repo, targets, {
      onProgress: (p) => {
        if (p.doneBytes > 0) process.stdout.write(JSON.stringify({ progress: p.doneBytes }) + '\n');
      },
    });
    process.stdout.write(JSON.stringify({ ok: result }) + '\n');
  } catch (error) {
    const e = error as { code?: string; message?: string };
    process.stdout.write(JSON.stringify({ error: { code: e.code, message: e.message } }) + '\n');
    process.exitCode = 3;
  } finally {
    await repo?.close();
  }
})();
