import { randomBytes } from 'node:crypto';

/** A run id: 32 lowercase hex characters, as MLflow writes them. */
export function newRunId(): string {
  return randomBytes(16).toString('hex');
}

/**
 * An experiment id: a random positive 63-bit integer written in decimal. Ids above 2^53 are normal (MLflow's own
 * stores have them), so they are handled as strings end to end and never parsed into a JS number.
 */
export function newExperimentId(): string {
  const value = randomBytes(8).readBigUInt64BE() & 0x7fff_ffff_ffff_ffffn;
  return (value === 0n ? 1n : value).toString();
}

/** A random token for bearer authentication. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}
