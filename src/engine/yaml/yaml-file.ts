import { readFileSync } from 'node:fs';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { FileDiagnostic, Severity, SourceRange } from '../../shared/diagnostics';
import { SlipwayError } from '../errors';

/** Formats a diagnostic the way compilers do: `file:line:col: message` (one-based line and column). */
export function formatDiagnostic(d: FileDiagnostic): string {
  return `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.message}`;
}

/**
 * A parsed YAML file that remembers where every node came from. Parsers built on it return values together with
 * source ranges, so the CLI prints `file:line:col` and the language server underlines the exact node.
 */
export class YamlFile {
  readonly doc: Document.Parsed;
  readonly diagnostics: FileDiagnostic[] = [];
  private readonly lines = new LineCounter();

  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true, strict: true });
    for (const error of this.doc.errors) {
      this.diagnostics.push({
        file: path,
        range: this.rangeOfOffsets(error.pos[0], error.pos[1]),
        severity: 'error',
        message: `YAML syntax error: ${firstLine(error.message)}`,
        code: 'yaml/syntax',
      });
    }
    for (const warning of this.doc.warnings) {
      this.diagnostics.push({
        file: path,
        range: this.rangeOfOffsets(warning.pos[0], warning.pos[1]),
        severity: 'warning',
        message: firstLine(warning.message),
        code: 'yaml/warning',
      });
    }
  }

  static read(path: string): YamlFile {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `${path} does not exist.`);
      throw new SlipwayError('CONFIG_INVALID', `Cannot read ${path}: ${(error as Error).message}.`);
    }
    return new YamlFile(path, text);
  }

  get hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }

  /** The document's root node (null for an empty file). */
  get root(): Node | null {
    return this.doc.contents ?? null;
  }

  rangeOf(node: Node | null | undefined): SourceRange {
    const range = node?.range;
    if (!range) return this.rangeOfOffsets(0, 0);
    return this.rangeOfOffsets(range[0], range[1]);
  }

  rangeOfOffsets(start: number, end: number): SourceRange {
    const at = (offset: number) => {
      const pos = this.lines.linePos(Math.min(offset, this.text.length));
      return { line: pos.line - 1, character: pos.col - 1 };
    };
    return { start: at(start), end: at(Math.max(start, end)) };
  }

  /** Records a problem at a node. */
  report(node: Node | null | undefined, message: string, code: string, severity: Severity = 'error'): void {
    this.diagnostics.push({ file: this.path, range: this.rangeOf(node), severity, message, code });
  }

  /** Throws one CONFIG_INVALID error listing every error diagnostic, if any. */
  throwIfErrors(): void {
    const errors = this.diagnostics.filter((d) => d.severity === 'error');
    if (!errors.length) return;
    throw new SlipwayError('CONFIG_INVALID', errors.map(formatDiagnostic).join('\n'));
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** Iterates a mapping's entries with their key text and nodes. Non-scalar keys are reported. */
export function* entries(file: YamlFile, map: YAMLMap): Generator<{ key: string; keyNode: Scalar; value: Node | null; pair: Pair }> {
  for (const pair of map.items) {
    const keyNode = pair.key as Node | null;
    if (!isScalar(keyNode) || (typeof keyNode.value !== 'string' && typeof keyNode.value !== 'number')) {
      file.report(keyNode, 'Keys must be plain strings.', 'yaml/key');
      continue;
    }
    yield { key: String(keyNode.value), keyNode, value: (pair.value as Node | null) ?? null, pair };
  }
}

export function asMap(file: YamlFile, node: Node | null, what: string): YAMLMap | null {
  if (isMap(node)) return node;
  file.report(node, `${what} must be a mapping (key: value lines).`, 'yaml/type');
  return null;
}

export function asSeq(file: YamlFile, node: Node | null, what: string): YAMLSeq | null {
  if (isSeq(node)) return node;
  file.report(node, `${what} must be a list.`, 'yaml/type');
  return null;
}

export function asString(file: YamlFile, node: Node | null, what: string): string | null {
  if (isScalar(node) && typeof node.value === 'string') return node.value;
  if (isScalar(node) && (typeof node.value === 'number' || typeof node.value === 'boolean')) return String(node.value);
  file.report(node, `${what} must be a string.`, 'yaml/type');
  return null;
}

export function asNumber(file: YamlFile, node: Node | null, what: string): number | null {
  if (isScalar(node) && typeof node.value === 'number') return node.value;
  file.report(node, `${what} must be a number.`, 'yaml/type');
  return null;
}

export function asBoolean(file: YamlFile, node: Node | null, what: string): boolean | null {
  if (isScalar(node) && typeof node.value === 'boolean') return node.value;
  file.report(node, `${what} must be true or false.`, 'yaml/type');
  return null;
}
