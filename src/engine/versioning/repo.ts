import { loadProjectConfig } from '../config';
import { HashPool } from '../hashing';
import { ObjectStore } from '../objects';
import { ProjectPaths, initProject, requireProject } from '../project';
import { Store } from '../store';
import { dvcCacheType, type CacheType } from './config';
import { StateCache } from './state';

/** Progress of a long operation, for a progress bar (CLI on a TTY) or a notification (editor). */
export interface Progress {
  phase: 'hash' | 'checkout' | 'verify' | 'transfer';
  doneBytes: number;
  totalBytes: number;
  doneFiles: number;
  totalFiles: number;
}

export type ProgressCallback = (progress: Progress) => void;

export interface DataRepoOptions {
  /** An open project store (else the project's `.slipway/slipway.db` is opened and closed with the repo). */
  store?: Store;
  /** Overrides the project's cache type setting. */
  cacheType?: CacheType;
  /** fsync cache objects before publishing them (default false; see docs/DECISIONS.md, "Data cache durability"). */
  fsync?: boolean;
  /** Hashing workers (default: one per core, at most 8). */
  jobs?: number;
}

/**
 * A project's versioned data: the data cache (DVC's layout), the state cache in the project store, the hashing pool
 * and the cache type. One per operation or per daemon; close it to stop the workers and the store it opened.
 */
export class DataRepo {
  readonly paths: ProjectPaths;
  readonly cache: ObjectStore;
  readonly state: StateCache;
  readonly pool: HashPool;
  readonly cacheType: CacheType;
  private readonly ownsStore: boolean;

  private constructor(
    readonly root: string,
    readonly store: Store,
    options: DataRepoOptions,
    ownsStore: boolean,
  ) {
    this.paths = new ProjectPaths(root);
    this.cache = new ObjectStore(this.paths.dataCache, { fsync: options.fsync ?? false });
    this.state = new StateCache(store);
    this.pool = new HashPool(options.jobs);
    this.cacheType = options.cacheType ?? dvcCacheType(root) ?? loadProjectConfig(root).settings.data.cacheType;
    this.ownsStore = ownsStore;
  }

  /** Opens the versioned data of the project at `root`. */
  static open(root: string, options: DataRepoOptions = {}): DataRepo {
    const ownsStore = !options.store;
    const store = options.store ?? Store.open(new ProjectPaths(root).database);
    try {
      return new DataRepo(root, store, options, ownsStore);
    } catch (error) {
      if (ownsStore) store.close();
      throw error;
    }
  }

  /**
   * Opens the versioned data of the project containing `cwd` (see ARCHITECTURE.md for how the root is found). A
   * project without `.slipway/` (e.g. a plain DVC repository) is initialised first, so its state stays git-ignored.
   */
  static forDirectory(cwd: string, options: DataRepoOptions = {}): DataRepo {
    const paths = requireProject(cwd);
    if (!paths.initialized) initProject(paths.root);
    return DataRepo.open(paths.root, options);
  }

  async close(): Promise<void> {
    await this.pool.close();
    if (this.ownsStore) this.store.close();
  }
}
