import { readFileSync } from 'node:fs';
import type { FeedbackItem, FeedbackOutput } from '../../shared/serving';
import { SlipwayError, messageOf } from '../errors';
import { ProjectPaths } from '../project';
import { Store } from '../store';
import { endpointFilePath, readEndpointFile } from './endpoint-file';
import { recordFeedback } from './prediction-log';

/**
 * Reads true labels from a file: a JSON array of `{ "id", "label" }`, JSON Lines of the same, or CSV with a header
 * row naming `id` and `label` columns. Throws BAD_REQUEST naming the file and line of the first bad entry.
 */
export function readFeedbackFile(path: string): FeedbackItem[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Cannot read ${path}: ${messageOf(error)}.`);
  }
  const trimmed = text.trimStart();
  const items: { value: unknown; line: number }[] = [];
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new SlipwayError('BAD_REQUEST', `${path} is not valid JSON: ${messageOf(error)}.`);
    }
    (parsed as unknown[]).forEach((value, i) => items.push({ value, line: i + 1 }));
  } else if (trimmed.startsWith('{')) {
    text.split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      try {
        items.push({ value: JSON.parse(line), line: i + 1 });
      } catch (error) {
        throw new SlipwayError('BAD_REQUEST', `${path}:${i + 1}: not a JSON object (${messageOf(error)}).`);
      }
    });
  } else {
    const lines = text.split(/\r?\n/);
    const header = lines[0]!.split(',').map((h) => h.trim());
    const idAt = header.indexOf('id');
    const labelAt = header.indexOf('label');
    if (idAt < 0 || labelAt < 0) throw new SlipwayError('BAD_REQUEST', `${path}:1: a CSV feedback file needs a header with "id" and "label" columns.`);
    lines.slice(1).forEach((line, i) => {
      if (!line.trim()) return;
      const cells = line.split(',').map((c) => c.trim());
      const raw = cells[labelAt] ?? '';
      const label = raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
      items.push({ value: { id: cells[idAt], label }, line: i + 2 });
    });
  }
  return items.map(({ value, line }) => {
    const { id, label } = (value ?? {}) as { id?: unknown; label?: unknown };
    if (typeof id !== 'string' || !id || !(typeof label === 'number' || typeof label === 'boolean' || (typeof label === 'string' && label !== ''))) {
      throw new SlipwayError('BAD_REQUEST', `${path}:${line}: each entry needs a prediction "id" and a "label" (number, string or boolean).`);
    }
    return { id, label };
  });
}

/**
 * Attaches labels to prediction ids of an endpoint (`slipway feedback FILE --endpoint NAME`). While the endpoint runs,
 * the labels go through its `POST /feedback`, which also finds ids still in its unwritten batch; otherwise they are
 * written to the store directly. Unknown ids fail the whole file (RESOURCE_DOES_NOT_EXIST) and nothing is recorded.
 */
export async function submitFeedback(projectRoot: string, endpoint: string, items: FeedbackItem[]): Promise<FeedbackOutput> {
  const paths = new ProjectPaths(projectRoot);
  const running = readEndpointFile(endpointFilePath(paths.stateDir, endpoint));
  if (running) {
    const response = await fetch(`${running.url}/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${running.token}` },
      body: JSON.stringify(items),
    });
    const body = (await response.json()) as { accepted?: number; error_code?: string; message?: string };
    if (!response.ok) {
      const code = response.status === 404 ? 'RESOURCE_DOES_NOT_EXIST' : response.status === 400 ? 'BAD_REQUEST' : 'INTERNAL_ERROR';
      throw new SlipwayError(code, `Endpoint ${endpoint} refused the feedback: ${body.message ?? response.statusText}`);
    }
    return { accepted: body.accepted ?? 0, via: 'endpoint' };
  }
  const store = Store.open(paths.database);
  try {
    return { accepted: recordFeedback(store, items), via: 'store' };
  } finally {
    store.close();
  }
}
