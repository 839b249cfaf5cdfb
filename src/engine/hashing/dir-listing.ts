import { md5Buffer } from '../objects';
import { SlipwayError } from '../errors';
import { pythonJsonString, SURROGATE } from './python-json';

/** One file of a directory listing: its path inside the directory (`/`-separated) and its md5. */
export interface ListingEntry {
  relpath: string;
  md5: string;
}

/** A directory's listing, its DVC object id (`<md5>.dir`) and the totals a `.dvc` file records. */
export interface DirectoryHash {
  oid: string;
  bytes: Buffer;
  entries: ListingEntry[];
  nfiles: number;
}

/**
 * Sorts entries the way DVC does (by relpath in Python's code point order) and returns the listing bytes: a JSON list
 * of `{"md5": ..., "relpath": ...}` written as `json.dumps(..., sort_keys=True)` writes it (dvc-data's
 * `Tree.as_bytes`). The directory's hash is the md5 of these bytes plus `.dir`.
 */
export function hashListing(entries: readonly ListingEntry[]): DirectoryHash {
  const sorted = [...entries];
  if (sorted.some((e) => SURROGATE.test(e.relpath))) {
    const keys = new Map(sorted.map((e) => [e, Buffer.from(e.relpath, 'utf8')]));
    sorted.sort((a, b) => Buffer.compare(keys.get(a)!, keys.get(b)!));
  } else {
    sorted.sort((a, b) => (a.relpath < b.relpath ? -1 : a.relpath > b.relpath ? 1 : 0));
  }
  const parts = sorted.map((e) => `{"md5": ${pythonJsonString(e.md5)}, "relpath": ${pythonJsonString(e.relpath)}}`);
  const bytes = Buffer.from('[' + parts.join(', ') + ']', 'utf8');
  return { oid: md5Buffer(bytes) + '.dir', bytes, entries: sorted, nfiles: sorted.length };
}

/**
 * Reads a `.dir` object's bytes back into entries. DVC itself writes only md5 and relpath; other keys (DVC 2's
 * per-file meta) are ignored. `what` names the object in errors.
 */
export function parseListing(bytes: Buffer, what: string): ListingEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new SlipwayError('CORRUPT_OBJECT', `${what} is not a directory listing (invalid JSON).`);
  }
  if (!Array.isArray(raw)) throw new SlipwayError('CORRUPT_OBJECT', `${what} is not a directory listing (not a JSON list).`);
  return raw.map((item: unknown, i) => {
    const entry = item as { md5?: unknown; relpath?: unknown } | null;
    if (!entry || typeof entry.md5 !== 'string' || typeof entry.relpath !== 'string' || !/^[0-9a-f]{32}$/.test(entry.md5)) {
      throw new SlipwayError('CORRUPT_OBJECT', `${what}: entry ${i} lacks a valid md5 and relpath.`);
    }
    return { md5: entry.md5, relpath: entry.relpath };
  });
}
