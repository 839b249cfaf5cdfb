// Replays the MLflow 2.x and 3.x client transcripts end to end over raw HTTP against a real engine server: every
// request the Python client sends for the training script, every response field it reads.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EngineServer } from '../../src/engine/api';
import { initProject, openProjectAt, ProjectPaths } from '../../src/engine/project';
import { loadTranscript, matchExpect, substitute, type TranscriptStep } from './transcript';

const TOKEN = 'transcript-token';

function send(port: number, step: TranscriptStep, vars: Record<string, string>): Promise<{ status: number; body: unknown }> {
  const req = substitute(step.request, vars);
  const url = new URL(req.path, `http://127.0.0.1:${port}`);
  const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}`, 'user-agent': 'mlflow-python-client/transcript' };
  let body: string | undefined;
  if (req.method === 'GET') {
    for (const [k, v] of Object.entries(req.query ?? {})) for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(item));
  } else if (req.upload) {
    body = req.upload.text;
    headers['content-type'] = req.upload.contentType.startsWith('{{') ? 'application/octet-stream' : req.upload.contentType;
  } else if (req.json !== undefined) {
    body = JSON.stringify(req.json);
    headers['content-type'] = 'application/json';
  }
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const r = request(url, { method: req.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : {} });
      });
    });
    r.on('error', reject);
    r.end(body);
  });
}

describe('MLflow client transcripts replayed against the engine', () => {
  for (const file of ['mlflow-2.x.json', 'mlflow-3.x.json'] as const) {
    it(`replays ${file} from set_experiment to get_model_version_by_alias`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'slipway-transcript-'));
      initProject(dir);
      const project = openProjectAt(new ProjectPaths(dir));
      const server = new EngineServer({ project, token: TOKEN, version: 'test' });
      const port = await server.listen(0);
      try {
        const transcript = loadTranscript(file);
        const mlmodel = JSON.stringify({ artifact_path: 'model', flavors: { sklearn: { pickled_model: 'model.pkl' } }, mlflow_version: transcript.clientVersion });
        const vars: Record<string, string> = { port: String(port), token: TOKEN, user: 'alice', git_commit: 'c'.repeat(40), 'json:MLmodel': mlmodel, guessed: 'application/octet-stream' };
        for (const step of transcript.steps) {
          const reply = await send(port, step, vars);
          assert.equal(reply.status, step.response.status, `${step.id}: ${JSON.stringify(reply.body)}`);
          if (step.response.expect !== undefined) matchExpect(reply.body, step.response.expect, vars, step.id);
        }
        // What the script did is in the store: the alias resolves to the registered version of the model it logged.
        const byAlias = await send(port, { id: 'check', python: '', request: { method: 'GET', path: '/api/2.0/mlflow/registered-models/alias', query: { name: 'credit-risk', alias: 'champion' } }, response: { status: 200 } }, vars);
        const version = (byAlias.body as { model_version: { run_id?: string; model_id?: string } }).model_version;
        if (file === 'mlflow-2.x.json') assert.equal(version.run_id, vars.run_id);
        else assert.deepEqual([version.model_id, version.run_id], [vars.model_id, vars.run_id], 'the version links the logged model and the run that logged it');
      } finally {
        await server.close();
        project.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
