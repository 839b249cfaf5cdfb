import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford's base 32, as ULIDs use

let lastMs = -1;
let counter = 0n;
let pool = Buffer.alloc(0);
let offset = 0;

function random80(): bigint {
  if (offset + 10 > pool.length) {
    pool = randomBytes(10 * 1024);
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + 10);
  offset += 10;
  return BigInt(`0x${bytes.toString('hex')}`);
}

/**
 * A prediction id: 26 characters, a ULID (48-bit millisecond time + 80 random bits) so ids sort by time. Ids made in
 * the same millisecond increment the random part, so they also sort in the order they were made.
 */
export function newPredictionId(now = Date.now()): string {
  if (now <= lastMs) {
    counter += 1n;
    now = lastMs;
  } else {
    lastMs = now;
    counter = random80() >> 1n; // leaves room to increment without overflowing 80 bits
  }
  let value = (BigInt(now) << 80n) | counter;
  const out = new Array<string>(26);
  for (let i = 25; i >= 0; i--) {
    out[i] = ALPHABET[Number(value & 31n)]!;
    value >>= 5n;
  }
  return out.join('');
}
