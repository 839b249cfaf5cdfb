import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { HashPool, hashListing, parseListing, pythonJsonDumps } from '../../src/engine/hashing';
import { FIXTURES } from './helpers/project';

interface Reference {
  files: Record<string, string>;
  listing: string;
  dir: string;
  nfiles: number;
  size: number;
}
const reference = JSON.parse(readFileSync(join(FIXTURES, 'reference.json'), 'utf8')) as Reference;
const md5sum = new Map(
  readFileSync(join(FIXTURES, 'md5sum.txt'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => [line.slice(36).replace(/^\.\//, ''), line.slice(0, 32)] as const),
);

void test('file hashes equal md5sum and the Python reference', async () => {
  const pool = new HashPool(2);
  try {
    const rels = Object.keys(reference.files);
    const results = await pool.run(rels.map((rel) => ({ path: join(FIXTURES, 'tree', rel) })));
    results.forEach((r, i) => {
      assert.ok(!r.error, JSON.stringify(r));
      assert.equal(r.md5, reference.files[rels[i]!]);
      assert.equal(r.md5, md5sum.get(rels[i]!));
    });
  } finally {
    await pool.close();
  }
});

void test('directory listing bytes and .dir hash equal DVC 3 (Python json.dumps, code point order)', () => {
  // Feed entries in reverse UTF-16 order to prove the sort is by code point, as Python's.
  const entries = Object.entries(reference.files)
    .map(([relpath, md5]) => ({ relpath, md5 }))
    .sort((a, b) => (a.relpath < b.relpath ? 1 : -1));
  const listing = hashListing(entries);
  assert.equal(listing.bytes.toString('utf8'), reference.listing);
  assert.equal(listing.oid, reference.dir);
  assert.equal(listing.nfiles, reference.nfiles);
  assert.deepEqual(parseListing(listing.bytes, 'x'), listing.entries);
});

void test('Python-compatible JSON escapes control, quote, backslash and non-ASCII characters', () => {
  assert.equal(pythonJsonDumps({ b: 'a"\\\n\t\u0001\u007fé😀', a: [1, true, null] }), '{"a": [1, true, null], "b": "a\\"\\\\\\n\\t\\u0001\\u007f\\u00e9\\ud83d\\ude00"}');
});

void test('a listing object that is not a listing is reported as corrupt', () => {
  assert.throws(() => parseListing(Buffer.from('{"md5": 1}'), 'Object x'), /not a directory listing/);
  assert.throws(() => parseListing(Buffer.from('[{"md5": "zz", "relpath": "a"}]'), 'Object x'), /entry 0/);
});

void test('a file that changes while it is hashed is reported, not hashed wrongly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-hash-'));
  const pool = new HashPool(1);
  try {
    const path = join(dir, 'growing.bin');
    writeFileSync(path, Buffer.alloc(256 << 20, 7));
    let done = false;
    const run = pool.run([{ path }]).finally(() => (done = true));
    const writer = (async () => {
      while (!done) {
        appendFileSync(path, 'x');
        await new Promise((r) => setImmediate(r));
      }
    })();
    const [result] = await run;
    await writer;
    assert.equal(result?.error?.code, 'ECHANGED');
  } finally {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('unreadable and non-regular paths fail per file with their error code', async () => {
  const pool = new HashPool(1);
  try {
    const [missing, folder] = await pool.run([{ path: join(FIXTURES, 'nope') }, { path: FIXTURES }]);
    assert.equal(missing?.error?.code, 'ENOENT');
    assert.equal(folder?.error?.code, 'ENOTFILE');
  } finally {
    await pool.close();
  }
});

void test('names without surrogate pairs take the fast sort and still match the Python order', () => {
  const entries = Object.entries(reference.files)
    .filter(([relpath]) => !relpath.includes('😀'))
    .map(([relpath, md5]) => ({ relpath, md5 }))
    .reverse();
  const expected = (JSON.parse(reference.listing) as { relpath: string }[]).map((e) => e.relpath).filter((p) => !p.includes('😀'));
  assert.deepEqual(hashListing(entries).entries.map((e) => e.relpath), expected);
});
