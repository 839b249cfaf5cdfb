/** A position in a text file: zero-based line and character (UTF-16 code units), as LSP counts them. */
export interface SourcePosition {
  line: number;
  character: number;
}

/** A span of a text file, end exclusive. */
export interface SourceRange {
  start: SourcePosition;
  end: SourcePosition;
}

export type Severity = 'error' | 'warning' | 'info';

/** A problem found in a workspace file, located precisely enough for an editor to underline it. */
export interface FileDiagnostic {
  file: string;
  range: SourceRange;
  severity: Severity;
  message: string;
  /** Stable rule id, e.g. `yaml/syntax`, `dvc/missing-dep`. */
  code: string;
}
