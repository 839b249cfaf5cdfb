import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford's base 32, as ULIDs use

let lastMs = -1;
/** The 80 random bits of the last id, as sixteen 5-bit digits (most significant first). */
const digits = new Uint8Array(16);
let pool = Buffer.alloc(0);
let offset = 0;

function freshRandom(): void {
  if (offset + 16 > pool.length) {
    pool = randomBytes(16 * 512);
    offset = 0;
  }
  for (let i = 0; i < 16; i++) digits[i] = pool[offset + i]! & 31;
  digits[0] = digits[0]! & 15; // leaves room to increment within the millisecond without overflowing 80 bits
  offset += 16;
}

function increment(): void {
  for (let i = 15; i >= 0; i--) {
    if (digits[i]! < 31) {
      digits[i]!++;
      return;
    }
    digits[i] = 0;
  }
}

/**
 * A prediction id: 26 characters, a ULID (48-bit millisecond time + 80 random bits) so ids sort by time. Ids made in
 * the same millisecond increment the random part, so they also sort in the order they were made.
 */
export function newPredictionId(now = Date.now()): string {
  if (now <= lastMs) {
    increment();
    now = lastMs;
  } else {
    lastMs = now;
    freshRandom();
  }
  let out = '';
  let time = now;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[time % 32]! + out;
    time = Math.floor(time / 32);
  }
  for (let i = 0; i < 16; i++) out += ALPHABET[digits[i]!]!;
  return out;
}
