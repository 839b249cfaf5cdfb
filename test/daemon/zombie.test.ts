import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { isProcessAlive } from '../../src/engine/lifecycle';

test('an exited child that is not yet reaped (a zombie) does not count as alive', async () => {
  // The child exits at once; its exit is not reaped until the event loop lets Node handle SIGCHLD.
  const child = spawn('sh', ['-c', 'exit 0'], { stdio: 'ignore' });
  const pid = child.pid!;
  assert.equal(isProcessAlive(process.pid), true);
  const deadline = Date.now() + 5000;
  let sawZombieOrGone = false;
  while (Date.now() < deadline) {
    // Busy-wait without yielding, so the child stays unreaped while we look at it.
    if (!isProcessAlive(pid)) {
      sawZombieOrGone = true;
      break;
    }
  }
  assert.ok(sawZombieOrGone, 'the exited child was still reported alive');
  await new Promise((r) => child.on('exit', r));
});
