/** Model performance (concept drift): classification metrics of labelled predictions per time window, against a baseline. */
export { performanceReport } from './report';
export type { PerformanceOptions } from './report';
export { performanceWindows, degradedMetrics, POSITIVE, NEGATIVE, UNLABELLED, MAX_WINDOWS } from './windows';
export type { LabelledScores, WindowingOptions, WindowedPerformance } from './windows';
export { groupMetrics, calibrationBin, CALIBRATION_BINS, LOG_LOSS_EPS } from './metrics';
export { baselineFromMetrics, modelBaseline, METRIC_ALIASES } from './baseline';
export { labelKey, binaryLabels } from './labels';
export { readEndpointPredictions } from './endpoint-source';
export { readLabelledFile } from './file-source';
