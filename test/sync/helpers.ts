import { join } from 'node:path';
import { afterEach, beforeEach } from 'node:test';
import type { SyncContext } from '../../src/engine/sync';
import type { RemoteStore } from '../../src/engine/versioning';
import { openFixture } from '../registry/helpers';
import type { FreshRemote, RemoteKind } from '../versioning/helpers/remote-kinds';

export type Fixture = ReturnType<typeof openFixture>;

/** Two stores that share one remote; the fields are replaced before each test. */
export interface SyncPair {
  a: Fixture;
  b: Fixture;
  kind: RemoteKind;
  remote: RemoteStore;
  /** What push and pull need to sync `f` with the remote. */
  ctx(f: Fixture): SyncContext;
}

/** Opens two fresh stores and makes a fresh remote before each test of the enclosing suite, and removes them after it. */
export function syncPair(make: FreshRemote[1]): SyncPair {
  const pair = { ctx: (f: Fixture): SyncContext => ({ store: f.store, artifacts: f.objects, stateDir: join(f.dir, '.slipway'), remote: pair.remote }) } as SyncPair;
  let cleanup: () => void = () => undefined;
  beforeEach(() => {
    pair.a = openFixture();
    pair.b = openFixture();
    const made = make();
    cleanup = made.cleanup;
    pair.kind = made.kind;
    pair.remote = made.kind.store();
  });
  afterEach(() => {
    pair.a.close();
    pair.b.close();
    cleanup();
  });
  return pair;
}
