import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { test } from 'node:test';
import { SlipwayError } from '../../src/engine/errors';
import { ObjectStore, md5File } from '../../src/engine/objects';
import { tempDir } from '../helpers';

const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');

test('objects are stored under files/md5/xx/rest and read back verified', async () => {
  const store = new ObjectStore(tempDir());
  const stored = await store.putBuffer(Buffer.from('hello world\n'));
  assert.equal(stored.md5, md5('hello world\n'));
  assert.equal(stored.size, 12);
  assert.equal(store.pathOf(stored.md5), join(store.root, 'files', 'md5', stored.md5.slice(0, 2), stored.md5.slice(2)));
  assert.equal((await store.read(stored.md5)).toString(), 'hello world\n');
  assert.equal(await store.verify(stored.md5), true);
});

test('streams and files are hashed in one pass and leave no temporary files', async () => {
  const store = new ObjectStore(tempDir());
  const big = Buffer.alloc(3 * 1024 * 1024 + 7, 0xab);
  const fromStream = await store.putStream(Readable.from([big.subarray(0, 1000), big.subarray(1000)]));
  assert.equal(fromStream.md5, md5(big));
  const file = join(tempDir(), 'f.bin');
  writeFileSync(file, big);
  assert.deepEqual(await store.putFile(file), fromStream);
  assert.deepEqual(await md5File(file), fromStream);
  assert.deepEqual(readdirSync(join(store.root, 'tmp')), []);
});

test('a corrupted object is detected on read, on streaming and by verify', async () => {
  const store = new ObjectStore(tempDir());
  const { md5: hash } = await store.putBuffer(Buffer.from('precious bytes'));
  const path = store.pathOf(hash);
  chmodSync(path, 0o644);
  writeFileSync(path, 'tampered bytes');
  await assert.rejects(store.read(hash), (e: unknown) => e instanceof SlipwayError && e.code === 'CORRUPT_OBJECT' && e.message.includes(hash));
  await assert.rejects(text(store.openVerified(hash)), (e: unknown) => e instanceof SlipwayError && e.code === 'CORRUPT_OBJECT');
  assert.equal(await store.verify(hash), false);
});

test('missing objects and malformed hashes are clear errors', async () => {
  const store = new ObjectStore(tempDir());
  await assert.rejects(store.read('0'.repeat(32)), (e: unknown) => e instanceof SlipwayError && e.code === 'RESOURCE_DOES_NOT_EXIST');
  assert.throws(() => store.pathOf('../../etc/passwd'), (e: unknown) => e instanceof SlipwayError && e.code === 'INVALID_PARAMETER_VALUE');
  assert.equal(existsSync(join(store.root, 'files')), false);
});
