import { DiagnosticSeverity } from 'vscode-languageserver/node';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { FileDiagnostic, Severity } from '../shared/diagnostics';

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** Engine diagnostics already count lines and UTF-16 characters from zero, as LSP does; only the shape changes. */
export function toLspDiagnostic(d: FileDiagnostic): Diagnostic {
  return { range: d.range, severity: severities[d.severity], message: d.message, code: d.code, source: 'slipway' };
}
