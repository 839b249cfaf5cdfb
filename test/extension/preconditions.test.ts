import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unmetPrecondition } from '../../src/extension/commands/preconditions';

void test('commands say why they cannot run: untrusted first, then the engine, with what to do', () => {
  const down = { engineConnected: false, engineProblem: 'The Slipway engine is not running (process 42 has exited).', trusted: true };
  assert.equal(unmetPrecondition('Refresh Runs', ['engine'], { ...down, engineConnected: true }), null);
  assert.equal(unmetPrecondition('Show Engine Status', [], { ...down, trusted: false }), null);
  const engine = unmetPrecondition('Refresh Runs', ['engine'], down);
  assert.match(engine!, /"Slipway: Refresh Runs" needs the Slipway engine\. .*process 42 has exited.*Start Engine/);
  const trust = unmetPrecondition('Start Engine', ['trust', 'engine'], { ...down, trusted: false });
  assert.match(trust!, /needs a trusted workspace.*Manage Workspace Trust/);
});
