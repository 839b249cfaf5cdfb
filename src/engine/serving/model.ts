import { existsSync, readFileSync } from 'node:fs';
import type { ColumnSchema, OutputValue } from '../../shared/serving';
import { SlipwayError, messageOf } from '../errors';
import { postprocess, type EndpointSettings } from './config';
import { buildFeeds, planInputs, type InputMeta, type InputPlan } from './mapping';
import { onnxruntime, type OrtSession, type OrtTensor } from './ort';
import { concatBatches, type RowBatch } from './rows';
import { scoreIndexOf, scoreOutputOf } from './score';

/** What to serve: a model file, the schema typing its inputs, and the names that responses report. */
export interface ModelSpec {
  /** Registered model name (or the endpoint name for a plain file). */
  name: string;
  version: string;
  modelFile: string;
  schema: ColumnSchema;
}

/** One row's answer before ids are attached. */
export interface RowPrediction {
  outputs: Record<string, OutputValue>;
  score?: number;
  postprocessed?: Record<string, string>;
}

/** Output metadata reported by KServe's model metadata route. */
export interface OutputMeta {
  name: string;
  type: string;
  shape: readonly (number | string)[];
}

/** Most rows one merged `session.run` takes from concurrent requests. */
export const MAX_MERGED_ROWS = 256;

type Session = OrtSession;
type Tensor = OrtTensor;

/** An ONNX model loaded into an onnxruntime CPU session, with its input mapping decided. */
export class LoadedModel {
  private waiting: { batch: RowBatch; resolve: (r: RowPrediction[]) => void; reject: (e: unknown) => void }[] = [];
  private waitingRows = 0;
  private drainScheduled = false;

  private constructor(
    readonly spec: ModelSpec,
    private readonly session: Session,
    readonly plan: InputPlan,
    readonly outputs: OutputMeta[],
    private readonly scoreOutput: string | undefined,
    private readonly scoreIndex: number,
    private readonly settings: EndpointSettings,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  get version(): string {
    return this.spec.version;
  }

  /**
   * Loads `spec.modelFile`, checks that the schema maps onto its inputs and runs it once on a neutral row, so a model
   * that loads but cannot run fails here rather than on the first request. Throws INVALID_PARAMETER_VALUE with the
   * reason (not ONNX, corrupt file, inputs that do not fit the schema).
   */
  static async load(spec: ModelSpec, settings: EndpointSettings): Promise<LoadedModel> {
    const ort = onnxruntime();
    const label = `${spec.name} version ${spec.version} (${spec.modelFile})`;
    if (!existsSync(spec.modelFile)) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `The model file ${spec.modelFile} does not exist.`);
    const bytes = readFileSync(spec.modelFile);
    let session: Session;
    try {
      session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
    } catch (error) {
      throw new SlipwayError(
        'INVALID_PARAMETER_VALUE',
        `${label} is not a loadable ONNX model (${messageOf(error)}). Export it to ONNX (e.g. skl2onnx, torch.onnx.export, tf2onnx) and serve the .onnx file.`,
        { cause: error },
      );
    }
    try {
      const inputs = session.inputMetadata as readonly InputMeta[];
      const plan = planInputs(spec.schema, inputs, label);
      const outputs: OutputMeta[] = [];
      for (const meta of session.outputMetadata) {
        if (!meta.isTensor) {
          throw new SlipwayError('INVALID_PARAMETER_VALUE', `${label}: output "${meta.name}" is not a tensor (a ZipMap or sequence?). Export classifiers without ZipMap (skl2onnx: options={'zipmap': False}).`);
        }
        outputs.push({ name: meta.name, type: meta.type, shape: meta.shape });
      }
      const scoreOutput = scoreOutputOf(settings, outputs.map((o) => o.name));
      if (settings.scoreOutput && !outputs.some((o) => o.name === settings.scoreOutput)) {
        throw new SlipwayError('INVALID_PARAMETER_VALUE', `${label} has no output "${settings.scoreOutput}" (score_output of endpoint ${settings.name}); its outputs are ${outputs.map((o) => o.name).join(', ')}.`);
      }
      const scoreIndex = scoreIndexOf(settings);
      if (scoreOutput && (!Number.isInteger(scoreIndex) || scoreIndex < 0)) {
        throw new SlipwayError('INVALID_PARAMETER_VALUE', `positive_label ${settings.positiveLabel} of endpoint ${settings.name} is not one of its classes; list them with classes: [...].`);
      }
      const model = new LoadedModel(spec, session, plan, outputs, scoreOutput, scoreIndex, settings);
      await model.warmUp();
      return model;
    } catch (error) {
      await session.release();
      if (error instanceof SlipwayError) throw error;
      throw new SlipwayError('INVALID_PARAMETER_VALUE', `${label} failed a trial prediction: ${messageOf(error)}.`, { cause: error });
    }
  }

  private async warmUp(): Promise<void> {
    const columns = this.spec.schema.columns.map((c) =>
      c.type === 'string' || c.type === 'category' ? [c.values?.[0] ?? ''] : Float64Array.of(Math.max(0, c.min ?? 0)),
    );
    const row = Object.fromEntries(this.spec.schema.columns.map((c, i) => [c.name, (columns[i] as ArrayLike<unknown>)[0]]));
    await this.predict({ size: 1, rows: [row], columns });
  }

  /**
   * Predicts a validated batch. Batches that arrive in the same turn of the event loop (concurrent requests) are run
   * as one `session.run` of up to {@link MAX_MERGED_ROWS} rows and split back, which spends the per-call cost of
   * onnxruntime once; if the merged run fails, each batch runs alone so each gets its own error.
   */
  predict(batch: RowBatch): Promise<RowPrediction[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ batch, resolve, reject });
      this.waitingRows += batch.size;
      if (this.waitingRows >= MAX_MERGED_ROWS) this.drain();
      else if (!this.drainScheduled) {
        this.drainScheduled = true;
        setImmediate(() => this.drain());
      }
    });
  }

  private drain(): void {
    this.drainScheduled = false;
    const jobs = this.waiting;
    this.waiting = [];
    this.waitingRows = 0;
    if (!jobs.length) return;
    if (jobs.length === 1) {
      this.run(jobs[0]!.batch).then(jobs[0]!.resolve, jobs[0]!.reject);
      return;
    }
    this.run(concatBatches(jobs.map((j) => j.batch))).then(
      (results) => {
        let offset = 0;
        for (const job of jobs) {
          job.resolve(results.slice(offset, offset + job.batch.size));
          offset += job.batch.size;
        }
      },
      () => {
        for (const job of jobs) this.run(job.batch).then(job.resolve, job.reject);
      },
    );
  }

  /** Runs the model on a validated batch and splits its outputs per row. */
  private async run(batch: RowBatch): Promise<RowPrediction[]> {
    const ort = onnxruntime();
    const result = await this.session.run(buildFeeds(ort, this.plan, this.spec.schema, batch));
    const perRow: RowPrediction[] = Array.from({ length: batch.size }, () => ({ outputs: {} }));
    for (const output of this.outputs) {
      const tensor = result[output.name] as Tensor;
      const values = splitRows(tensor, batch.size);
      values.forEach((value, row) => (perRow[row]!.outputs[output.name] = value));
      if (output.name === this.scoreOutput) {
        const width = tensor.dims.length > 1 ? tensor.size / batch.size : 1;
        const data = tensor.data as ArrayLike<number>;
        for (let row = 0; row < batch.size; row++) {
          const score = Number(data[width === 1 ? row : row * width + this.scoreIndex]);
          perRow[row]!.score = score;
          perRow[row]!.postprocessed = postprocess(this.settings.postprocess, score);
        }
      }
    }
    return perRow;
  }

  /** Frees the native session. Call once no request holds this model. */
  async release(): Promise<void> {
    await this.session.release();
  }
}

/** One JSON value per row: a scalar for [N] outputs, an array for [N, k...] outputs (flattened per row). */
function splitRows(tensor: Tensor, rows: number): OutputValue[] {
  const data = tensor.data as ArrayLike<number | bigint | string>;
  const bool = tensor.type === 'bool';
  const convert = (v: number | bigint | string): OutputValue => (typeof v === 'bigint' ? Number(v) : bool ? v === 1 : typeof v === 'number' && !Number.isFinite(v) ? null : v);
  if (tensor.dims.length <= 1) return Array.from({ length: rows }, (_, r) => convert(data[r]!));
  const width = tensor.size / rows;
  return Array.from({ length: rows }, (_, r) => {
    const row: OutputValue[] = new Array<OutputValue>(width);
    for (let k = 0; k < width; k++) row[k] = convert(data[r * width + k]!);
    return row;
  });
}
