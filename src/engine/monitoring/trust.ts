/**
 * Whether alert commands and webhooks may run. The process that starts the engine knows: a user running the CLI is
 * trusted; the editor starts the daemon with `--untrusted` (or SLIPWAY_UNTRUSTED=1) for a workspace it does not trust.
 */
export const UNTRUSTED_ENV = 'SLIPWAY_UNTRUSTED';

export function trustedFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env[UNTRUSTED_ENV] ?? '').trim().toLowerCase();
  return !(value === '1' || value === 'true' || value === 'yes');
}
