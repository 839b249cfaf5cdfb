import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { SlipwayError } from '../errors';
import { ChangeFollower, type Store } from '../store';
import { loadColumnSchema } from '../validation';
import type { ModelSpec } from './model';

/**
 * Where a serve process gets its model. A fixed file never changes; a registry reference (`NAME@ALIAS`) resolves to
 * the version the alias points at now, and reports when the alias moves so the server can swap versions.
 */
export interface ModelSource {
  /** What is served, for messages and the endpoint file (a MODELREF or a file path). */
  readonly description: string;
  /** The version to serve now. Throws a SlipwayError when it cannot be resolved (unknown model or alias, not ONNX). */
  resolve(): Promise<ModelSpec>;
  /**
   * Calls `onMove` whenever the version to serve may have changed; the server then calls `resolve` and swaps if the
   * version differs. Returns a function that stops watching.
   */
  watch(onMove: () => void): () => void;
}

/** The version label of a plain model file: the first 12 hex digits of its md5, so a changed file is a new version. */
export function fileVersion(path: string): string {
  return createHash('md5').update(readFileSync(path)).digest('hex').slice(0, 12);
}

/** Serves one model file with one schema file, as a container image does. */
export class FileModelSource implements ModelSource {
  readonly description: string;

  constructor(
    private readonly options: { modelFile: string; schemaFile: string; name?: string; version?: string },
  ) {
    this.description = resolve(options.modelFile);
  }

  resolve(): Promise<ModelSpec> {
    const modelFile = resolve(this.options.modelFile);
    const schema = loadColumnSchema(resolve(this.options.schemaFile));
    const name = this.options.name ?? basename(modelFile).replace(/\.onnx$/i, '');
    return Promise.resolve({ name, version: this.options.version ?? fileVersion(modelFile), modelFile, schema });
  }

  watch(): () => void {
    return () => undefined;
  }
}

/**
 * A source whose answer lives in the store (a registry alias): `resolve` is supplied by the registry, and moves are
 * noticed by following `change_log` for `topics` (another process's commit included; `PRAGMA data_version` makes an
 * idle check one pragma). Registry serving is `new StoreWatchingSource(store, 'credit@champion', () => resolveRef(...))`.
 */
export class StoreWatchingSource implements ModelSource {
  constructor(
    private readonly store: Store,
    readonly description: string,
    private readonly resolveSpec: () => Promise<ModelSpec>,
    private readonly options: { topics?: string[]; intervalMs?: number } = {},
  ) {}

  resolve(): Promise<ModelSpec> {
    return this.resolveSpec();
  }

  watch(onMove: () => void): () => void {
    const topics = this.options.topics ?? ['models'];
    const follower = new ChangeFollower(this.store);
    const timer = setInterval(() => {
      if (follower.poll().some((change) => topics.includes(change.topic))) onMove();
    }, this.options.intervalMs ?? 100);
    timer.unref();
    return () => {
      clearInterval(timer);
      follower.close();
    };
  }
}

/**
 * Refuses a registered version whose file is not ONNX, saying how to export one. For registry sources, before
 * loading: a pickled scikit-learn model or a PyTorch checkpoint cannot be served.
 */
export function requireOnnxFile(path: string, what: string): void {
  if (/\.onnx$/i.test(path)) return;
  const kind = /\.(pkl|pickle|joblib)$/i.test(path) ? 'a pickled Python model' : /\.(pt|pth)$/i.test(path) ? 'a PyTorch checkpoint' : `"${basename(path)}"`;
  throw new SlipwayError(
    'INVALID_PARAMETER_VALUE',
    `${what} is ${kind}, not an ONNX model, so it cannot be served. Export it to ONNX (scikit-learn: skl2onnx.to_onnx(model, X[:1], options={'zipmap': False}); PyTorch: torch.onnx.export; TensorFlow: tf2onnx) and register the .onnx file.`,
  );
}
