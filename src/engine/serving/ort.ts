/**
 * The one place that loads onnxruntime-node. Telemetry is switched off before the native module loads (it would
 * otherwise queue files in the user's cache), and loading is deferred so that importing the serving module costs
 * nothing for commands that never run a model.
 */
import type * as Ort from 'onnxruntime-node';

export type OrtModule = typeof Ort;
export type OrtTensor = Ort.Tensor;
export type OrtSession = Ort.InferenceSession;

let ort: OrtModule | undefined;

export function onnxruntime(): OrtModule {
  if (!ort) {
    process.env.ORT_DISABLE_TELEMETRY = '1';
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ort = require('onnxruntime-node') as OrtModule;
  }
  return ort;
}
