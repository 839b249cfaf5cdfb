import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { DeployOutput, FeedbackOutput, ServeOutput } from '../../shared/serving';
import { SlipwayError } from '../../engine/errors';
import { loadProjectConfig } from '../../engine/config';
import { openProject, requireProject } from '../../engine/project';
import { readFeedbackFile, registrySource, resolveRegisteredModel, serveUntilStopped, submitFeedback, writeDeployContext, writeVersionSchema } from '../../engine/serving';
import { action, emit, withJson } from '../output';

function port(value: string | undefined, fallback: number): number {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new SlipwayError('INVALID_PARAMETER_VALUE', `--port must be a port number (0-65535), not ${value}.`);
  return n;
}

export function registerServe(program: Command): void {
  withJson(
    program
      .command('serve [modelref]')
      .description('serve a registered model (NAME[@ALIAS|:VERSION], hot-swapping when the alias moves) or an ONNX file over HTTP')
      .option('--model-file <file>', 'serve this .onnx file instead of a registered version')
      .option('--schema <file>', "column schema (default: the version's own)")
      .option('--name <name>', 'endpoint name (default: the MODELREF, or the endpoint in slipway.yaml serving it)')
      .option('--host <host>', 'address to bind', '127.0.0.1')
      .option('--port <port>', 'port (0 picks a free one)', '8080')
      .option('--no-log', 'do not write the prediction log'),
  ).action(
    action(async (modelref: string | undefined, options: { modelFile?: string; schema?: string; name?: string; host: string; port: string; log: boolean; json?: boolean }) => {
      const say = (line: string) => process.stderr.write(`slipway serve: ${line}\n`);
      const onListening = (e: ServeOutput) => emit(options.json === true, e, (o) => `Serving ${o.model}${o.version ? ` version ${o.version}` : ''} on ${o.url} (Ctrl-C to stop)\n`);
      if (!modelref) {
        if (!options.modelFile) throw new SlipwayError('INVALID_PARAMETER_VALUE', 'Name a registered model (slipway serve NAME@ALIAS) or a file (--model-file model.onnx --schema model.schema.yaml).');
        await serveUntilStopped({ modelFile: options.modelFile, schemaFile: options.schema, name: options.name, host: options.host, port: port(options.port, 8080), predictionLog: options.log, say }, onListening);
        return;
      }
      const project = openProject(process.cwd());
      try {
        const endpoints = project.config.settings.serving.endpoints;
        const configured = endpoints[modelref] ?? Object.values(endpoints).find((e) => e.model === modelref);
        const ref = configured?.model ?? modelref;
        const schemaFile = options.schema ?? (configured?.schema ? join(project.paths.root, configured.schema) : undefined);
        const source = registrySource(project, ref, schemaFile);
        await serveUntilStopped(
          { source, name: options.name ?? configured?.name ?? ref, host: options.host, port: port(options.port, 8080), projectRoot: project.paths.root, predictionLog: options.log, say },
          onListening,
        );
      } finally {
        project.close();
      }
    }),
  );

  withJson(
    program
      .command('deploy <target> <modelref>')
      .description('write a self-contained Docker build context (target docker) or that plus Kubernetes manifests (target k8s)')
      .requiredOption('--out <dir>', 'output folder (empty or absent)')
      .option('--schema <file>', "column schema (default: the version's own)")
      .option('--name <name>', 'endpoint and image name')
      .option('--image <ref>', 'image reference for the manifests')
      .option('--port <port>', 'container port', '8080'),
  ).action(
    action(async (target: string, modelref: string, options: { out: string; schema?: string; name?: string; image?: string; port: string; json?: boolean }) => {
      if (target !== 'docker' && target !== 'k8s') throw new SlipwayError('INVALID_PARAMETER_VALUE', `Unknown deploy target "${target}"; use docker or k8s.`);
      const project = openProject(process.cwd());
      const scratch = mkdtempSync(join(tmpdir(), 'slipway-deploy-'));
      try {
        const { file } = resolveRegisteredModel(project, modelref, options.schema);
        const name = options.name ?? file.name;
        const endpoint = project.config.settings.serving.endpoints[name];
        // The artifact store names objects by hash; the context wants the model under its own name.
        const modelFile = join(scratch, `${file.name}.onnx`);
        copyFileSync(file.path, modelFile);
        const result: DeployOutput = await writeDeployContext({
          target,
          out: options.out,
          modelFile,
          schemaFile: options.schema ?? writeVersionSchema(scratch, file),
          name,
          version: file.version,
          endpoint,
          image: options.image,
          port: port(options.port, 8080),
        });
        emit(options.json === true, result, (r) => `Wrote the ${target} deployment of ${file.name}:${file.version} to ${r.out}\n`);
      } finally {
        rmSync(scratch, { recursive: true, force: true });
        project.close();
      }
    }),
  );

  withJson(
    program
      .command('feedback <file>')
      .description('attach true labels (JSON or CSV with prediction id and label) to logged predictions of an endpoint')
      .requiredOption('--endpoint <name>', 'endpoint whose predictions the ids belong to'),
  ).action(
    action(async (file: string, options: { endpoint: string; json?: boolean }) => {
      const paths = requireProject(process.cwd());
      loadProjectConfig(paths.root);
      const result: FeedbackOutput = await submitFeedback(paths.root, options.endpoint, readFeedbackFile(file));
      emit(options.json === true, result, (r) => `Recorded ${r.accepted} labels ${r.via === 'endpoint' ? 'through the running endpoint' : 'in the prediction log'}.\n`);
    }),
  );
}
