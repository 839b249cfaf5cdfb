import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { writeDeployContext } from '../../src/engine/serving';
import { parseProjectConfig } from '../../src/engine/config';
import { YamlFile } from '../../src/engine/yaml';
import { MATRIX, RISK_CONFIG, expected, numericRows, request, spawnServe } from './helpers';

const SCHEMAS = join(import.meta.dirname, '..', 'fixtures', 'k8s-schemas');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, 'definitions.json'), 'utf8')) as object);
  const load = (file: string) => ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as object);
  return { Deployment: load('deployment-apps-v1.json'), Service: load('service-v1.json'), HorizontalPodAutoscaler: load('horizontalpodautoscaler-autoscaling-v2.json') };
}

void test('deploy k8s: the context copied to an empty folder starts with plain node and answers /ready 200', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'slipway-deploy-')), 'ctx');
  const endpoint = parseProjectConfig(new YamlFile('slipway.yaml', RISK_CONFIG)).serving.endpoints.credit!;
  const port = await freePort();
  const result = await writeDeployContext({ target: 'k8s', out, ...MATRIX, name: 'credit', version: '7', endpoint, port });
  assert.equal(result.image, 'credit:7');
  const dockerfile = readFileSync(join(out, 'Dockerfile'), 'utf8');
  assert.match(dockerfile, /^FROM node:20-bookworm-slim$/m);
  const cmd = JSON.parse(/^CMD (.+)$/m.exec(dockerfile)![1]!) as string[];
  assert.deepEqual(cmd, result.command);
  assert.equal(cmd[0], 'node');

  // What `docker build` does with COPY: the context alone, in a folder that has nothing else.
  const app = mkdtempSync(join(tmpdir(), 'slipway-app-'));
  cpSync(out, app, { recursive: true });
  const env = { PATH: '/usr/bin:/bin', HOME: app, NODE_PATH: '', NODE_OPTIONS: '' };
  const proc = await spawnServe(cmd.slice(1), { cwd: app, entry: [], env });
  try {
    const ready = await request(`${proc.url}/ready`);
    assert.equal(ready.status, 200, ready.text);
    assert.equal(ready.body.version, '7');
    const reply = await request(`${proc.url}/predict`, { body: numericRows[0] });
    assert.equal(reply.status, 200, reply.text);
    assert.ok(Math.abs(Number(reply.body.score) - expected.credit_matrix![0]!) < 1e-5);
    const tier = expected.credit_matrix![0]! > 0.35 ? 'HIGH' : expected.credit_matrix![0]! > 0.15 ? 'MEDIUM' : 'LOW';
    assert.deepEqual(reply.body.postprocessed, { risk_tier: tier }, 'post-processing travels with the context');
    assert.match(proc.url, new RegExp(`:${port}$`));
  } finally {
    proc.child.kill('SIGTERM');
    assert.equal(await proc.exited, 0);
  }
  assert.deepEqual(readdirSync(join(app, '.slipway', 'endpoints')), [], 'the endpoint file is removed on shutdown');

  const validate = validator();
  for (const file of ['deployment.yaml', 'service.yaml', 'hpa.yaml']) {
    const object = parse(readFileSync(join(out, 'k8s', file), 'utf8')) as { kind: keyof ReturnType<typeof validator> };
    const check = validate[object.kind];
    assert.ok(check(object), `${file}: ${JSON.stringify(check.errors)}`);
  }
  const deployment = parse(readFileSync(join(out, 'k8s', 'deployment.yaml'), 'utf8')) as {
    spec: { template: { metadata: { annotations: Record<string, string> }; spec: { containers: { image: string; readinessProbe: { httpGet: { path: string } }; livenessProbe: { httpGet: { path: string } } }[] } } };
  };
  const pod = deployment.spec.template;
  assert.deepEqual(pod.metadata.annotations, { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port), 'prometheus.io/path': '/metrics' });
  assert.equal(pod.spec.containers[0]!.readinessProbe.httpGet.path, '/ready');
  assert.equal(pod.spec.containers[0]!.livenessProbe.httpGet.path, '/health');
  assert.equal(pod.spec.containers[0]!.image, 'credit:7');
  rmSync(join(out, '..'), { recursive: true, force: true });
  rmSync(app, { recursive: true, force: true });
});

void test('the committed Kubernetes schemas reject malformed manifests', () => {
  const validate = validator();
  const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { selector: {}, template: { spec: { containers: [{ name: 'c', ports: [{ containerPort: '8080' }] }] } } } };
  assert.equal(validate.Deployment(deployment), false, 'containerPort must be an integer');
  const typo = { ...deployment, spec: { ...deployment.spec, template: { spec: { containers: [{ name: 'c', readinessprobe: {} }] } } } };
  assert.equal(validate.Deployment(typo), false, 'a misspelt field is refused');
  assert.equal(validate.Deployment({ ...deployment, spec: { template: deployment.spec.template } }), false, 'selector is required');
  assert.equal(validate.Service({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', annotations: { 'prometheus.io/scrape': true } } }), false, 'annotation values are strings');
  assert.equal(validate.HorizontalPodAutoscaler({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: {}, spec: { scaleTargetRef: { kind: 'Deployment', name: 'x' } } }), false, 'maxReplicas is required');
});

void test('deploy refuses a non-empty output folder, a missing model and a file that is not ONNX', async () => {
  const busy = mkdtempSync(join(tmpdir(), 'slipway-deploy-'));
  after(() => rmSync(busy, { recursive: true, force: true }));
  cpSync(MATRIX.schemaFile, join(busy, 'x.yaml'));
  await assert.rejects(writeDeployContext({ target: 'docker', out: busy, ...MATRIX, name: 'c' }), /is not empty/);
  const out = join(busy, 'new');
  await assert.rejects(writeDeployContext({ target: 'docker', out, modelFile: join(busy, 'absent.onnx'), schemaFile: MATRIX.schemaFile, name: 'c' }), /does not exist/);
  await assert.rejects(writeDeployContext({ target: 'docker', out, modelFile: MATRIX.schemaFile, schemaFile: MATRIX.schemaFile, name: 'c' }), /not an \.onnx file\. Export the model to ONNX/);
});
