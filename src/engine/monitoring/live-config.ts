import { statSync } from 'node:fs';
import { loadProjectConfig } from '../config';
import { messageOf } from '../errors';
import type { OpenProject } from '../project';

/**
 * The project with its slipway.yaml re-read whenever the file changes (size or mtime), for long-running processes.
 * A file that stops parsing keeps the last good settings and reports the problem in `error`.
 */
export class LiveProject {
  private stamp: string;
  private project: OpenProject;
  error: string | null = null;

  constructor(project: OpenProject) {
    this.project = project;
    this.stamp = LiveProject.stampOf(project.config.path);
  }

  private static stampOf(path: string): string {
    try {
      const s = statSync(path);
      return `${s.size}:${s.mtimeMs}`;
    } catch {
      return 'absent';
    }
  }

  /** The project with current settings. */
  get current(): OpenProject {
    const stamp = LiveProject.stampOf(this.project.config.path);
    if (stamp !== this.stamp) {
      this.stamp = stamp;
      try {
        this.project = { ...this.project, config: loadProjectConfig(this.project.paths.root) };
        this.error = null;
      } catch (error) {
        this.error = messageOf(error);
      }
    }
    return this.project;
  }
}
