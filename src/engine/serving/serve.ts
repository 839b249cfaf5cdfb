import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { EndpointDiscovery, ServeOutput } from '../../shared/serving';
import { loadProjectConfig } from '../config';
import { SlipwayError, messageOf } from '../errors';
import { newToken } from '../ids';
import { ProjectPaths, findProjectRoot } from '../project';
import { Store } from '../store';
import { defaultEndpoint, type EndpointSettings } from './config';
import { endpointFilePath, removeEndpointFile, writeEndpointFile } from './endpoint-file';
import { PredictionLog } from './prediction-log';
import { ServingServer } from './server';
import { FileModelSource, type ModelSource } from './source';

export interface ServeOptions {
  /** What to serve: a ModelSource (e.g. a registry reference), or a model file with its schema file. */
  source?: ModelSource;
  modelFile?: string;
  schemaFile?: string;
  /** Endpoint name: the key under serving.endpoints in slipway.yaml, the endpoint file's name and the log's endpoint. */
  name?: string;
  /** Version label of a plain model file (default: the file's md5 prefix). */
  version?: string;
  /** 127.0.0.1 unless given (0.0.0.0 in a container). */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Project folder holding slipway.yaml and .slipway/ (default: the project around the working directory, else it). */
  projectRoot?: string;
  /** Keep the prediction log in the project's store (default true). */
  predictionLog?: boolean;
  /** Feedback token (default SLIPWAY_SERVE_TOKEN, else a new random one written to the endpoint file). */
  token?: string;
  maxBodyBytes?: number;
  say?: (line: string) => void;
}

export interface ServeHandle {
  name: string;
  url: string;
  host: string;
  port: number;
  token: string;
  endpointFile: string;
  server: ServingServer;
  /** Graceful stop: no new requests, in-flight ones finish, the log is flushed, the endpoint file removed. */
  close(): Promise<void>;
}

/**
 * Starts a serving endpoint in this process (what `slipway serve` and a container's entry run). Returns once the port
 * listens and the first load has finished; a model that failed to load is reported by `/ready` (503) and `say`.
 */
export async function serve(options: ServeOptions): Promise<ServeHandle> {
  const source = options.source ?? fileSource(options);
  const root = resolve(options.projectRoot ?? findProjectRoot(process.cwd()) ?? process.cwd());
  const paths = new ProjectPaths(root);
  const name = options.name ?? (options.modelFile ? basename(options.modelFile).replace(/\.onnx$/i, '') : 'model');
  const endpoint: EndpointSettings = loadProjectConfig(root).settings.serving.endpoints[name] ?? defaultEndpoint(name);
  const token = options.token ?? process.env.SLIPWAY_SERVE_TOKEN ?? newToken();
  let log: PredictionLog | null = null;
  if (options.predictionLog !== false) {
    Store.open(paths.database).close(); // creates or migrates the store; the log's writer thread opens its own connection
    log = new PredictionLog(paths.database);
  }
  const endpointFile = endpointFilePath(paths.stateDir, name);
  let discovery: EndpointDiscovery | null = null;
  const server = new ServingServer({
    source,
    endpoint,
    log,
    token,
    host: options.host,
    port: options.port,
    maxBodyBytes: options.maxBodyBytes,
    say: options.say,
    onSwap: (model) => {
      if (!discovery) return;
      discovery = { ...discovery, model: model.name, version: model.version };
      writeEndpointFile(endpointFile, discovery);
    },
  });
  let started: { url: string; port: number; host: string };
  try {
    started = await server.start();
  } catch (error) {
    await log?.close();
    throw new SlipwayError('INVALID_STATE', `Cannot listen on ${options.host ?? '127.0.0.1'}:${options.port ?? 0}: ${messageOf(error)}. Choose another --port.`, { cause: error });
  }
  const current = server.slot.current;
  discovery = { name, ...started, pid: process.pid, model: current?.name ?? name, version: current?.version ?? '', token, startedAt: Date.now() };
  writeEndpointFile(endpointFile, discovery);
  let closing: Promise<void> | null = null;
  return {
    name,
    ...started,
    token,
    endpointFile,
    server,
    close: () =>
      (closing ??= (async () => {
        removeEndpointFile(endpointFile);
        await server.close();
      })()),
  };
}

function fileSource(options: ServeOptions): ModelSource {
  if (!options.modelFile || !options.schemaFile) {
    throw new SlipwayError('BAD_REQUEST', 'Give the model and its column schema: --model-file model.onnx --schema model.schema.yaml.');
  }
  for (const file of [options.modelFile, options.schemaFile]) {
    if (!existsSync(file)) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `${resolve(file)} does not exist.`);
  }
  return new FileModelSource({ modelFile: options.modelFile, schemaFile: options.schemaFile, name: options.name, version: options.version });
}

const USAGE = 'usage: node serve.js --model-file FILE.onnx --schema FILE.schema.yaml [--name NAME] [--version V] [--host 127.0.0.1] [--port 8080] [--project DIR] [--no-log]';

/** Parses a serve command line (the container entry's and `slipway serve --model-file`'s options). */
export function parseServeArgs(argv: string[]): ServeOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      'model-file': { type: 'string' },
      schema: { type: 'string' },
      name: { type: 'string' },
      version: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      project: { type: 'string' },
      'no-log': { type: 'boolean' },
    },
    strict: true,
  });
  const port = values.port === undefined ? 8080 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SlipwayError('BAD_REQUEST', `--port must be a port number (0-65535), not ${values.port}.`);
  return {
    modelFile: values['model-file'],
    schemaFile: values.schema,
    name: values.name,
    version: values.version,
    host: values.host,
    port,
    projectRoot: values.project,
    predictionLog: !values['no-log'],
  };
}

/**
 * Serves until SIGTERM or SIGINT, then shuts down gracefully and resolves: what `slipway serve` runs in the
 * foreground. `onListening` receives the endpoint (without its token) once the port listens.
 */
export async function serveUntilStopped(options: ServeOptions, onListening: (endpoint: ServeOutput) => void): Promise<void> {
  const handle = await serve(options);
  const model = handle.server.slot.current;
  onListening({ name: handle.name, url: handle.url, host: handle.host, port: handle.port, pid: process.pid, model: model?.name ?? handle.name, version: model?.version ?? '', startedAt: Date.now() });
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  options.say?.(`${signal}, finishing requests in flight`);
  await handle.close();
}

/**
 * The standalone serve process (`node serve.js …`, the container's command). Prints one line when listening; exits 0
 * after a graceful stop, 2 on usage errors, 3 when the server cannot start or stop.
 */
export async function serveMain(argv: string[]): Promise<void> {
  let options: ServeOptions;
  try {
    options = parseServeArgs(argv);
  } catch (error) {
    process.stderr.write(`${messageOf(error)}\n${USAGE}\n`);
    process.exit(2);
  }
  const say = (line: string) => process.stderr.write(`slipway serve: ${line}\n`);
  try {
    await serveUntilStopped({ ...options, say }, (e) => {
      process.stdout.write(`slipway serve: ${e.name} ${e.version ? `version ${e.version}` : '(no model loaded)'} listening on ${e.url}\n`);
    });
    process.exit(0);
  } catch (error) {
    say(messageOf(error));
    process.exit(error instanceof SlipwayError && ['BAD_REQUEST', 'RESOURCE_DOES_NOT_EXIST', 'CONFIG_INVALID'].includes(error.code) ? 2 : 3);
  }
}
