import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { DeployOutput } from '../../../shared/serving';
import { SlipwayError } from '../../errors';
import { loadColumnSchema } from '../../validation';
import { defaultEndpoint, type EndpointSettings } from '../config';
import { fileVersion } from '../source';
import { copyRuntimePackages, serveBundle } from './bundle';
import { k8sName, manifests } from './manifests';

export interface DeployOptions {
  target: 'docker' | 'k8s';
  /** Output folder; must be empty or absent. */
  out: string;
  modelFile: string;
  schemaFile: string;
  /** Endpoint name (also the image and Kubernetes object name). */
  name: string;
  /** Version label served (default: the model file's md5 prefix). */
  version?: string;
  /** Score output, positive label and post-processing to bake in (default: none). */
  endpoint?: EndpointSettings;
  /** Image reference the manifests use (default `<name>:<version>`). */
  image?: string;
  /** Node base image (default the build host's Node major on Debian bookworm, matching the copied natives). */
  baseImage?: string;
  port?: number;
  replicas?: number;
  maxReplicas?: number;
}

export type DeployResult = DeployOutput;

/**
 * Writes a self-contained build context for one model: a Dockerfile on a Node base image, the model and schema,
 * a slipway.yaml with the endpoint's post-processing, the bundled serve entry (plain `node serve.js`) with its native
 * packages; for `k8s` also Deployment, Service and HorizontalPodAutoscaler manifests under `k8s/`.
 * The model and schema are checked first, so a context is never written for a model that could not serve.
 */
export async function writeDeployContext(options: DeployOptions): Promise<DeployResult> {
  const out = resolve(options.out);
  if (existsSync(out) && readdirSync(out).length) throw new SlipwayError('BAD_REQUEST', `${out} is not empty; choose a new --out folder.`);
  if (!existsSync(options.modelFile)) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `The model file ${resolve(options.modelFile)} does not exist.`);
  if (!/\.onnx$/i.test(options.modelFile)) {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `${options.modelFile} is not an .onnx file. Export the model to ONNX first (skl2onnx, torch.onnx.export, tf2onnx).`);
  }
  loadColumnSchema(options.schemaFile);
  const name = k8sName(options.name);
  const version = options.version ?? fileVersion(options.modelFile);
  const port = options.port ?? 8080;
  const image = options.image ?? `${name}:${k8sName(version)}`;
  const base = options.baseImage ?? `node:${process.versions.node.split('.')[0]}-bookworm-slim`;
  const command = ['node', 'serve.js', '--model-file', 'model/model.onnx', '--schema', 'model/model.schema.yaml', '--name', name, '--version', version, '--host', '0.0.0.0', '--port', String(port), '--project', '.'];

  mkdirSync(join(out, 'model'), { recursive: true });
  const files: string[] = [];
  const write = (path: string, text: string) => {
    mkdirSync(join(out, path, '..'), { recursive: true });
    writeFileSync(join(out, path), text);
    files.push(path);
  };
  copyFileSync(options.modelFile, join(out, 'model', 'model.onnx'));
  copyFileSync(options.schemaFile, join(out, 'model', 'model.schema.yaml'));
  files.push('model/model.onnx', 'model/model.schema.yaml');
  write('slipway.yaml', projectYaml(name, options.endpoint ?? defaultEndpoint(name)));
  write('serve.js', await serveBundle());
  copyRuntimePackages(out);
  files.push('node_modules/');
  write('package.json', `${JSON.stringify({ name: `${name}-serving`, private: true, version: '1.0.0', description: `Serves ${options.name} version ${version}`, scripts: { start: command.join(' ') } }, null, 2)}\n`);
  write('.dockerignore', '.slipway\n');
  write('Dockerfile', dockerfile(base, command, port, options.name, version));
  if (options.target === 'k8s') {
    const objects = manifests({ name, version, image, port, replicas: options.replicas ?? 2, maxReplicas: options.maxReplicas ?? 10, cpuUtilization: 70 });
    write('k8s/deployment.yaml', stringify(objects.deployment));
    write('k8s/service.yaml', stringify(objects.service));
    write('k8s/hpa.yaml', stringify(objects.hpa));
  }
  return { out, image, command, files };
}

function projectYaml(name: string, endpoint: EndpointSettings): string {
  const settings: Record<string, unknown> = { positive_label: endpoint.positiveLabel };
  if (endpoint.scoreOutput) settings.score_output = endpoint.scoreOutput;
  if (endpoint.classes) settings.classes = endpoint.classes;
  if (endpoint.postprocess.length) {
    settings.postprocess = Object.fromEntries(endpoint.postprocess.map((r) => [r.field, { thresholds: r.thresholds, otherwise: r.otherwise }]));
  }
  return `# Written by slipway deploy: the endpoint's settings, read by serve.js at start.\n${stringify({ version: 1, serving: { endpoints: { [name]: settings } } })}`;
}

function dockerfile(base: string, command: string[], port: number, model: string, version: string): string {
  return `# Serves ${model} version ${version}. Written by slipway deploy.
#   docker build -t ${k8sName(model)}:${k8sName(version)} .   and   docker run -p ${port}:${port} ${k8sName(model)}:${k8sName(version)}
# The native modules under node_modules/ were copied for ${process.platform}/${process.arch}, Node ${process.versions.node}
# (modules ABI ${process.versions.modules}); build on the same platform and keep the base image's Node major.
FROM ${base}
ENV NODE_ENV=production ORT_DISABLE_TELEMETRY=1
WORKDIR /app
COPY --chown=1000:1000 . .
RUN mkdir -p /app/.slipway && chown 1000:1000 /app/.slipway
# The prediction log is /app/.slipway/slipway.db; mount a volume there to keep it.
USER 1000
EXPOSE ${port}
HEALTHCHECK --interval=10s --timeout=2s CMD ["node", "-e", "fetch('http://127.0.0.1:${port}/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ${JSON.stringify(command)}
`;
}
