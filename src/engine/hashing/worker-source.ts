/**
 * The hashing worker, kept as plain CommonJS source and started with `eval: true`, so it runs the same from the
 * TypeScript sources (tests) and from the esbuild bundle (CLI, daemon) without a second entry file to ship.
 *
 * A task is a batch of files. For each file the worker opens it, reads it with blocking reads into one reused buffer
 * (constant memory), hashes it, and, when asked to store it, writes the same bytes into a temporary file of the cache
 * that is renamed to its object path once complete. It compares the file's identity (inode, size, mtime) before and
 * after reading, so a file that changes while it is hashed is reported instead of being recorded with a wrong hash.
 */
export const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const CHUNK = 1 << 20;
const WHOLE = 4 << 20;
let buffer = Buffer.allocUnsafe(WHOLE);
const PROGRESS_EVERY = 32 << 20;

function writeAll(fd, data, target) {
  let off = 0;
  try {
    while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off);
  } catch (error) {
    throw Object.assign(error, { path: target });
  }
}

const DEPTH = 8;
const spare = [];
for (let i = 0; i < DEPTH; i++) spare.push(Buffer.allocUnsafe(CHUNK));

function writeAt(fd, data, position, target) {
  return new Promise((resolve, reject) => {
    const step = (offset) => {
      fs.write(fd, data, offset, data.length - offset, position + offset, (error, written) => {
        if (error) reject(Object.assign(error, { path: target }));
        else if (offset + written < data.length) step(offset + written);
        else resolve();
      });
    };
    step(0);
  });
}

function objectPath(root, md5) {
  return path.join(root, 'files', 'md5', md5.slice(0, 2), md5.slice(2));
}

function exists(p) {
  try { fs.accessSync(p); return true; } catch { return false; }
}

const madeDirs = new Set();
function ensureDir(dir) {
  if (madeDirs.has(dir)) return;
  fs.mkdirSync(dir, { recursive: true });
  madeDirs.add(dir);
}

// Temporary files are created read-only (the open descriptor still writes), so publishing is a single rename.
function publish(store, tmp, md5, out) {
  if (store.fsync) fs.fsyncSync(out);
  const target = objectPath(store.root, md5);
  if (exists(target)) { fs.unlinkSync(tmp); return false; }
  ensureDir(path.dirname(target));
  try {
    fs.renameSync(tmp, target);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
    fs.mkdirSync(path.dirname(target), { recursive: true }); // removed since it was first made
    fs.renameSync(tmp, target);
  }
  return true;
}

function openTemp(store) {
  const dir = path.join(store.root, 'tmp');
  ensureDir(dir);
  const tmp = path.join(dir, crypto.randomBytes(8).toString('hex') + '.tmp');
  try {
    return [tmp, fs.openSync(tmp, 'wx', 0o444)];
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
    fs.mkdirSync(dir, { recursive: true });
    return [tmp, fs.openSync(tmp, 'wx', 0o444)];
  }
}

async function processFile(file, store, progress) {
  const fd = fs.openSync(file, 'r');
  let out = -1;
  let tmp = null;
  let stored = false;
  try {
    const before = fs.fstatSync(fd, { bigint: true });
    if (!before.isFile()) {
      const e = new Error('not a regular file'); e.code = 'ENOTFILE'; throw e;
    }
    const hash = crypto.createHash('md5');
    let size = 0;
    let md5;
    if (before.size <= BigInt(WHOLE)) {
      // Small file: one read, then write it to the cache only if the object is new.
      let n;
      while (size < WHOLE && (n = fs.readSync(fd, buffer, size, WHOLE - size, null)) > 0) size += n;
      if (size === WHOLE && fs.readSync(fd, Buffer.alloc(1), 0, 1, null) > 0) size += 1; // grew past the buffer
      if (size <= WHOLE) {
        const data = buffer.subarray(0, size);
        hash.update(data);
        md5 = hash.digest('hex');
        checkUnchanged(file, before, size);
        if (store && !exists(objectPath(store.root, md5))) {
          [tmp, out] = openTemp(store);
          writeAll(out, data, tmp);
          stored = publish(store, tmp, md5, out);
          tmp = null;
        }
        progress(size);
        return { md5, size, ino: before.ino.toString(), mtimeNs: before.mtimeNs.toString(), mode: Number(before.mode), stored };
      }
    }
    // Large file: stream it, writing the bytes being hashed, so the object is named by exactly what it holds.
    if (store) [tmp, out] = openTemp(store);
    size = 0;
    let pending = 0;
    let n;
    if (out < 0) {
      const chunk = buffer.subarray(0, CHUNK);
      while ((n = fs.readSync(fd, chunk, 0, CHUNK, size)) > 0) {
        hash.update(n === CHUNK ? chunk : chunk.subarray(0, n));
        size += n;
        pending += n;
        if (pending >= PROGRESS_EVERY) { progress(pending); pending = 0; }
      }
    } else {
      // Writes go to the thread pool while this thread hashes the next chunks, so a disk that accepts writes slowly
      // costs max(hash, write) rather than their sum. Each chunk is written at its own offset from its own buffer.
      const free = spare.splice(0);
      const inflight = new Set();
      let failed = null;
      try {
        for (;;) {
          while (!free.length) await Promise.race(inflight);
          if (failed) throw failed;
          const chunk = free.pop();
          n = fs.readSync(fd, chunk, 0, CHUNK, size);
          if (n === 0) { free.push(chunk); break; }
          const data = n === CHUNK ? chunk : chunk.subarray(0, n);
          hash.update(data);
          const write = writeAt(out, data, size, tmp)
            .catch((error) => { failed = failed || error; })
            .finally(() => { inflight.delete(write); free.push(chunk); });
          inflight.add(write);
          size += n;
          pending += n;
          if (pending >= PROGRESS_EVERY) { progress(pending); pending = 0; }
        }
      } finally {
        // Every buffer comes back before the descriptor is closed or reused, even when a read or write failed.
        while (inflight.size) await Promise.all([...inflight]);
        spare.push(...free);
      }
      if (failed) throw failed;
    }
    progress(pending);
    md5 = hash.digest('hex');
    checkUnchanged(file, before, size);
    if (out >= 0) { stored = publish(store, tmp, md5, out); tmp = null; }
    return { md5, size, ino: before.ino.toString(), mtimeNs: before.mtimeNs.toString(), mode: Number(before.mode), stored };
  } finally {
    fs.closeSync(fd);
    if (out >= 0) fs.closeSync(out);
    if (tmp) { try { fs.unlinkSync(tmp); } catch {} }
  }
}

function checkUnchanged(file, before, size) {
  const after = fs.statSync(file, { bigint: true });
  if (after.ino !== before.ino || after.size !== before.size || after.mtimeNs !== before.mtimeNs || BigInt(size) !== before.size) {
    const e = new Error('changed while it was read'); e.code = 'ECHANGED'; throw e;
  }
}

parentPort.on('message', async (task) => {
  const results = [];
  let reported = 0;
  const progress = (bytes) => {
    reported += bytes;
    if (reported >= PROGRESS_EVERY) { parentPort.postMessage({ id: task.id, progress: reported }); reported = 0; }
  };
  for (const file of task.files) {
    try {
      results.push(await processFile(file, task.store, progress));
    } catch (error) {
      results.push({ error: { code: error.code || 'EIO', message: error.message, path: error.path } });
    }
  }
  parentPort.postMessage({ id: task.id, progress: reported, results });
});
`;
