/** View ids, as package.json's `contributes.views` declares them. */
export const VIEWS = { runs: 'slipway.runs', models: 'slipway.models', data: 'slipway.data', monitoring: 'slipway.monitoring' } as const;

/** Context keys set by the extension for `when` clauses. */
export const CONTEXT_KEYS = { engineRunning: 'slipway.engineRunning' } as const;

/** The Show Run panel's view type (its serializer and `onWebviewPanel` activation event use it). */
export const SHOW_RUN_VIEW_TYPE = 'slipway.showRun';

/** The Drift Report panel's view type. */
export const DRIFT_REPORT_VIEW_TYPE = 'slipway.driftReport';
