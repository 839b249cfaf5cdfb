import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { renderDriftHtml, runDrift, TEST_NAMES } from '../../engine/drift';
import { SlipwayError } from '../../engine/errors';
import { ExitCode } from '../../shared/cli';
import type { DriftReport, DriftTestName } from '../../shared/drift';
import { ExitWith, action, emit, table, withJson } from '../output';

interface DriftFlags {
  reference: string;
  current: string;
  columns?: string;
  test?: string;
  threshold?: string;
  driftShare?: string;
  target?: string;
  prediction?: string;
  maxCategories?: string;
  outJson?: string;
  outHtml?: string;
  json?: boolean;
}

const list = (s: string | undefined): string[] | undefined => s?.split(',').map((x) => x.trim()).filter(Boolean);

function number(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new SlipwayError('INVALID_PARAMETER_VALUE', `${flag} expects a number, got "${value}".`);
  return n;
}

function summary(report: DriftReport): string {
  const score = (x: number | null): string => (x === null ? '-' : x.toPrecision(4));
  const rows = report.columns.map((c) => [c.column, c.type, c.test, score(c.score), String(c.threshold), c.drifted ? 'DRIFT' : 'ok']);
  const lines = [
    table(['column', 'type', 'test', 'score', 'threshold', 'result'], rows).trimEnd(),
    ...report.skipped.map((s) => `skipped ${s.column}: ${s.message}`),
    `Drift detected in ${report.number_of_drifted_columns} of ${report.number_of_columns} columns: ${report.dataset_drift ? 'dataset drift' : 'no dataset drift'} (drift share ${report.drift_share}).`,
  ];
  return `${lines.join('\n')}\n`;
}

/** `slipway drift --reference A --current B [...]`: exits 1 when the dataset drifts (ExitCode.negative). */
export function registerDrift(program: Command): void {
  withJson(
    program
      .command('drift')
      .description('compare current data with reference data column by column (Evidently-equivalent tests); exit 1 on dataset drift')
      .requiredOption('--reference <path>', 'reference data: CSV, TSV or Parquet')
      .requiredOption('--current <path>', 'current data: CSV, TSV or Parquet')
      .option('--columns <names>', 'comma-separated columns to compare (default: all)')
      .option('--test <name>', `test for every column instead of the default choice (${TEST_NAMES.join(', ')})`)
      .option('--threshold <n>', 'threshold for every column (default 0.05 for p-values, 0.1 for distances)')
      .option('--drift-share <n>', 'share of drifted columns at which the dataset drifts', '0.5')
      .option('--target <name>', 'target column (reported as target drift, not counted in dataset drift)')
      .option('--prediction <names>', 'comma-separated prediction columns (reported as prediction drift)')
      .option('--max-categories <n>', 'categories kept per column before the rest are merged', '1000')
      .option('--out-json <file>', 'write the JSON report (docs/drift-report.md) to this file')
      .option('--out-html <file>', 'write the self-contained HTML report to this file'),
  ).action(
    action(async (flags: DriftFlags) => {
      if (flags.test !== undefined && !TEST_NAMES.includes(flags.test as DriftTestName)) {
        throw new SlipwayError('INVALID_PARAMETER_VALUE', `Unknown drift test "${flags.test}". Use one of: ${TEST_NAMES.join(', ')}.`);
      }
      const { report } = await runDrift({
        reference: flags.reference,
        current: flags.current,
        columns: list(flags.columns),
        test: flags.test as DriftTestName | undefined,
        threshold: number('--threshold', flags.threshold),
        driftShare: number('--drift-share', flags.driftShare),
        maxCategories: number('--max-categories', flags.maxCategories),
        target: flags.target,
        prediction: list(flags.prediction),
      });
      if (flags.outJson) await writeFile(flags.outJson, `${JSON.stringify(report, null, 2)}\n`);
      if (flags.outHtml) await writeFile(flags.outHtml, renderDriftHtml(report));
      emit(flags.json === true, report, summary);
      if (report.dataset_drift) throw new ExitWith(ExitCode.negative);
    }),
  );
}
