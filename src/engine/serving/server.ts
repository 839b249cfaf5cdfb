import { timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FeedbackItem, PredictBatchResponse, PredictOneResponse } from '../../shared/serving';
import { SERVING_HEADERS } from '../../shared/serving';
import { messageOf } from '../errors';
import type { EndpointSettings } from './config';
import { csvRows, mlflowResponse, mlflowRows, nativeResults, nativeRows, v2ColumnType, v2Outputs, v2Rows, v2TensorType } from './formats';
import { DEFAULT_MAX_BODY_BYTES, HttpError, parseJson, readBody, readJson, sendJson, toHttpError } from './http';
import { newPredictionId } from './ids';
import { ServingMetrics } from './metrics';
import type { LoadedModel, RowPrediction } from './model';
import type { PredictionLog } from './prediction-log';
import { validateRows } from './rows';
import { ModelSlot } from './slot';
import type { ModelSource } from './source';

export interface ServingServerOptions {
  source: ModelSource;
  endpoint: EndpointSettings;
  /** Where predictions are logged; null serves without a log (feedback then answers 503). */
  log: PredictionLog | null;
  /** Bearer token for POST /feedback. */
  token: string;
  host?: string;
  port?: number;
  maxBodyBytes?: number;
  /** Diagnostics for the operator (load failures, swaps). */
  say?: (line: string) => void;
  /** Called after a version starts serving. */
  onSwap?: (model: LoadedModel) => void;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

interface Answer {
  model: LoadedModel;
  ids: string[];
  results: RowPrediction[];
}

/**
 * The HTTP server of one serving endpoint: native, MLflow and KServe V2 prediction routes, health, readiness,
 * Prometheus metrics and feedback. Requests never wait on the prediction log, and a bad request never stops it.
 * Emits `request` when a request arrives and `swap` when a version starts serving (for observers and tests).
 */
export class ServingServer extends EventEmitter {
  readonly metrics = new ServingMetrics();
  readonly slot: ModelSlot;
  private readonly server: Server;
  private stopWatching: () => void = () => undefined;
  private shuttingDown = false;
  /** Responses not yet sent: told to close their connection when shutdown starts. */
  private readonly open = new Set<ServerResponse>();
  private allowedHosts: Set<string> | null = null;
  private readonly say: (line: string) => void;

  constructor(private readonly options: ServingServerOptions) {
    super();
    this.say = options.say ?? (() => undefined);
    this.slot = new ModelSlot(options.endpoint);
    this.slot.onSwap = (model) => {
      const before = this.metrics.serving;
      if (before) {
        this.metrics.swaps++;
        this.say(`now serving ${model.name} version ${model.version} (was ${before.version})`);
      }
      this.metrics.serving = { model: model.name, version: model.version };
      options.onSwap?.(model);
      this.emit('swap', model);
    };
    const log = options.log;
    if (log) this.metrics.logState = () => ({ pending: log.pendingCount, dropped: log.dropped, written: log.written });
    this.server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => void this.handle(req, res));
  }

  /** Listens, then loads the model. A model that fails to load leaves the server up, answering 503 with the reason. */
  async start(): Promise<{ url: string; port: number; host: string }> {
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, host, () => resolve());
    });
    const port = (this.server.address() as AddressInfo).port;
    if (LOOPBACK.has(host)) this.allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
    await this.reload();
    this.stopWatching = this.options.source.watch(() => void this.reload());
    const shown = host.includes(':') ? `[${host}]` : host;
    return { url: `http://${shown === '0.0.0.0' ? '127.0.0.1' : shown}:${port}`, port, host };
  }

  /** Resolves the source again and swaps to its version if it changed. Failures keep the current model. */
  async reload(): Promise<void> {
    try {
      await this.slot.swapTo(await this.options.source.resolve());
    } catch (error) {
      if (this.slot.current) this.metrics.swapFailures++;
      this.slot.lastError = messageOf(error);
      this.say(`cannot load ${this.options.source.description}: ${messageOf(error)}`);
    }
  }

  /** Stops taking requests, lets those in flight finish (up to `graceMs`), then frees the model. */
  async close(graceMs = 10_000): Promise<void> {
    this.shuttingDown = true;
    this.stopWatching();
    for (const res of this.open) if (!res.headersSent) res.setHeader('connection', 'close');
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const force = setTimeout(() => this.server.closeAllConnections(), graceMs);
    force.unref();
    await closed;
    clearTimeout(force);
    await this.options.log?.close();
    await this.slot.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    this.open.add(res);
    this.emit('request', req);
    const path = (req.url ?? '/').split('?')[0]!;
    let route = routeName(path);
    let errorCode: string | undefined;
    try {
      if (this.allowedHosts && !this.allowedHosts.has(req.headers.host ?? '')) {
        throw new HttpError(403, 'PERMISSION_DENIED', `Host "${req.headers.host ?? ''}" is not the address this endpoint serves; use ${[...this.allowedHosts][0]}.`);
      }
      if (this.shuttingDown) res.setHeader('connection', 'close');
      await this.route(req, res, path, started);
    } catch (error) {
      const http = toHttpError(error);
      if (http.status >= 500 && http.status !== 503) this.say(`${req.method} ${path} failed: ${http.message}`);
      errorCode = http.code;
      if (http.status === 404 && route === 'other') route = 'unknown';
      if (!res.headersSent) {
        const body = path.startsWith('/v2') ? { error: http.message } : { error_code: http.code, message: http.message };
        sendJson(res, http.status, body, http.headers);
      } else res.end();
    } finally {
      this.open.delete(res);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics.record(route, res.statusCode, seconds, errorCode);
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse, path: string, started: bigint): Promise<void> {
    const method = req.method ?? 'GET';
    const get = method === 'GET' || method === 'HEAD';
    if (path === '/health' || path === '/v2/health/live') return expect(get, () => sendJson(res, 200, { status: 'ok' }));
    if (path === '/ready' || path === '/ping' || path === '/v2/health/ready') return expect(get, () => this.ready(res));
    if (path === '/metrics') return expect(get, () => {
      const text = this.metrics.render();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
    if (path === '/v2') return expect(get, () => sendJson(res, 200, { name: 'slipway', version: '1', extensions: [] }));
    if (path === '/predict') return expect(method === 'POST', () => this.predictNative(req, res, started));
    if (path === '/invocations') return expect(method === 'POST', () => this.predictMlflow(req, res, started));
    if (path === '/feedback') return expect(method === 'POST', () => this.feedback(req, res));
    const v2 = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer)?$/.exec(path);
    if (v2) {
      const model = this.v2Model(decodeURIComponent(v2[1]!), v2[2] === undefined ? undefined : decodeURIComponent(v2[2]));
      if (v2[3] === '/infer') return expect(method === 'POST', () => this.predictV2(req, res, started, model));
      if (v2[3] === '/ready') return expect(get, () => sendJson(res, 200, { name: model.name, ready: true }, versionHeaders(model)));
      return expect(get, () => sendJson(res, 200, v2Metadata(model), versionHeaders(model)));
    }
    throw new HttpError(404, 'ENDPOINT_NOT_FOUND', `No route ${method} ${path}. Routes: POST /predict, POST /invocations, POST /v2/models/{name}/infer, POST /feedback, GET /health, /ready, /metrics.`);
  }

  private ready(res: ServerResponse): void {
    const model = this.slot.current;
    if (this.shuttingDown) throw new HttpError(503, 'SHUTTING_DOWN', 'The endpoint is shutting down.');
    if (!model) throw this.notLoaded();
    sendJson(res, 200, { ready: true, model: model.name, version: model.version }, versionHeaders(model));
  }

  private notLoaded(): HttpError {
    const why = this.slot.lastError ?? 'the model is still loading';
    return new HttpError(503, 'MODEL_NOT_LOADED', `No model is loaded: ${why}`, { 'retry-after': '1' });
  }

  private v2Model(name: string, version: string | undefined): LoadedModel {
    const model = this.slot.current;
    if (!model) throw this.notLoaded();
    if (name !== model.name && name !== this.options.endpoint.name) throw new HttpError(404, 'RESOURCE_DOES_NOT_EXIST', `No model "${name}" here; this endpoint serves "${model.name}".`);
    if (version !== undefined && version !== model.version) throw new HttpError(404, 'RESOURCE_DOES_NOT_EXIST', `Version "${version}" of ${model.name} is not served; version ${model.version} is.`);
    return model;
  }

  /** Validates and predicts with the model serving at the start of the request, and queues the rows for the log. */
  private async answer(rows: (model: LoadedModel) => unknown[], started: bigint): Promise<Answer> {
    const lease = this.slot.acquire();
    if (!lease) throw this.notLoaded();
    try {
      const model = lease.model;
      const batch = validateRows(model.spec.schema, rows(model));
      const results = await model.predict(batch);
      const ids = results.map(() => newPredictionId());
      const latencyUs = Math.round(Number(process.hrtime.bigint() - started) / 1000);
      const tsMs = Date.now();
      this.metrics.predictions += results.length;
      this.options.log?.append(results.map((r, i) => ({
        id: ids[i]!,
        endpoint: this.options.endpoint.name,
        model: model.name,
        version: model.version,
        tsMs,
        latencyUs,
        inputs: batch.rows[i]!,
        outputs: r.postprocessed ? { ...r.outputs, postprocessed: r.postprocessed } : r.outputs,
      })));
      return { model, ids, results };
    } finally {
      lease.release();
    }
  }

  private async predictNative(req: IncomingMessage, res: ServerResponse, started: bigint): Promise<void> {
    const body = await readJson(req, this.maxBody);
    const { rows, single } = nativeRows(body);
    const { model, ids, results } = await this.answer(() => rows, started);
    const predictions = nativeResults(ids, results);
    const out: PredictOneResponse | PredictBatchResponse = single
      ? { model: model.name, version: model.version, ...predictions[0]! }
      : { model: model.name, version: model.version, predictions };
    sendJson(res, 200, out, answerHeaders(model, ids));
  }

  private async predictMlflow(req: IncomingMessage, res: ServerResponse, started: bigint): Promise<void> {
    const { type, text } = await readBody(req, this.maxBody, ['application/json', 'text/csv']);
    const body = type === 'text/csv' ? null : parseJson(text);
    const { model, ids, results } = await this.answer((m) => (type === 'text/csv' ? csvRows(m.spec.schema, text) : mlflowRows(m.spec.schema, body)), started);
    sendJson(res, 200, mlflowResponse(results), answerHeaders(model, ids));
  }

  private async predictV2(req: IncomingMessage, res: ServerResponse, started: bigint, named: LoadedModel): Promise<void> {
    const body = await readJson(req, this.maxBody);
    let request: { id?: string; outputs?: { name: string }[] } = {};
    const { model, ids, results } = await this.answer((m) => {
      const parsed = v2Rows(m.spec.schema, body);
      request = parsed.request;
      return parsed.rows;
    }, started);
    const outputs = v2Outputs(model.outputs, results, request.outputs);
    const answer = { model_name: named.name, model_version: model.version, id: request.id ?? ids[0]!, parameters: { prediction_ids: ids }, outputs };
    sendJson(res, 200, answer, answerHeaders(model, ids));
  }

  private async feedback(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const auth = req.headers.authorization ?? '';
    const given = Buffer.from(auth.startsWith('Bearer ') ? auth.slice(7) : '');
    const expected = Buffer.from(this.options.token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      req.resume();
      throw new HttpError(401, 'UNAUTHENTICATED', 'POST /feedback needs `Authorization: Bearer <token>` with the endpoint\'s token (SLIPWAY_SERVE_TOKEN, or "token" in .slipway/endpoints/<name>.json).', { 'www-authenticate': 'Bearer' });
    }
    const body = await readJson(req, this.maxBody);
    const items = feedbackItems(body);
    if (!this.options.log) throw new HttpError(503, 'NO_PREDICTION_LOG', 'This endpoint runs without a prediction log, so it cannot record feedback.');
    sendJson(res, 200, { accepted: await this.options.log.addFeedback(items) });
  }

  private get maxBody(): number {
    return this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }
}

function expect(allowed: boolean, handler: () => void | Promise<void>): void | Promise<void> {
  if (!allowed) throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'This route does not take that method.');
  return handler();
}

function routeName(path: string): string {
  if (path.startsWith('/v2/')) return path.endsWith('/infer') ? 'v2_infer' : 'v2';
  return ['/predict', '/invocations', '/feedback', '/health', '/ready', '/ping', '/metrics'].includes(path) ? path.slice(1) : 'other';
}

function versionHeaders(model: LoadedModel): Record<string, string> {
  return { [SERVING_HEADERS.model]: model.name, [SERVING_HEADERS.version]: model.version };
}

function answerHeaders(model: LoadedModel, ids: string[]): Record<string, string> {
  return { ...versionHeaders(model), [SERVING_HEADERS.predictionIds]: ids.join(',') };
}

function v2Metadata(model: LoadedModel) {
  return {
    name: model.name,
    versions: [model.version],
    platform: 'onnxruntime_onnx',
    inputs: model.spec.schema.columns.map((c) => ({ name: c.name, datatype: v2ColumnType(c.type), shape: [-1] })),
    outputs: model.outputs.map((o) => ({ name: o.name, datatype: v2TensorType(o.type), shape: o.shape.map((d) => (typeof d === 'number' ? d : -1)) })),
  };
}

function feedbackItems(body: unknown): FeedbackItem[] {
  const list = Array.isArray(body) ? body : body && typeof body === 'object' && Array.isArray((body as { feedback?: unknown }).feedback) ? (body as { feedback: unknown[] }).feedback : [body];
  if (!list.length) throw new HttpError(400, 'BAD_REQUEST', 'No feedback given; send { "id": "...", "label": ... } or a list of them.');
  return list.map((item, i) => {
    const { id, label } = (item ?? {}) as { id?: unknown; label?: unknown };
    if (typeof id !== 'string' || !id) throw new HttpError(400, 'BAD_REQUEST', `Feedback ${i}: "id" must be a prediction id string.`);
    if (typeof label !== 'number' && typeof label !== 'string' && typeof label !== 'boolean') throw new HttpError(400, 'BAD_REQUEST', `Feedback ${i}: "label" must be a number, string or boolean.`);
    if (typeof label === 'number' && !Number.isFinite(label)) throw new HttpError(400, 'BAD_REQUEST', `Feedback ${i}: "label" must be finite.`);
    return { id, label };
  });
}
