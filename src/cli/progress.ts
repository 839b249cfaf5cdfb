import type { Progress } from '../engine/versioning';

const LABEL: Record<Progress['phase'], string> = { hash: 'hashing', checkout: 'checking out', verify: 'verifying', transfer: 'transferring' };

function size(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit ? 1 : 0)} ${units[unit]}`;
}

/**
 * A progress bar on stderr when it is a terminal (and output is not --json); otherwise nothing. Redraws at most ten
 * times a second; `done()` clears the line.
 */
export function progressBar(enabled: boolean): { onProgress?: (p: Progress) => void; done: () => void } {
  if (!enabled || !process.stderr.isTTY) return { done: () => undefined };
  let last = 0;
  let drawn = false;
  return {
    onProgress: (p) => {
      const now = Date.now();
      const finished = p.totalBytes ? p.doneBytes >= p.totalBytes : p.doneFiles >= p.totalFiles;
      if (now - last < 100 && !finished) return;
      last = now;
      const fraction = p.totalBytes ? p.doneBytes / p.totalBytes : p.totalFiles ? p.doneFiles / p.totalFiles : 1;
      const width = 30;
      const filled = Math.round(Math.min(1, fraction) * width);
      const amount = p.totalBytes ? `${size(p.doneBytes)}/${size(p.totalBytes)}` : `${p.doneFiles}/${p.totalFiles} files`;
      process.stderr.write(`\r${LABEL[p.phase]} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(fraction * 100)}% ${amount}\x1b[K`);
      drawn = true;
    },
    done: () => {
      if (drawn) process.stderr.write('\r\x1b[K');
    },
  };
}
