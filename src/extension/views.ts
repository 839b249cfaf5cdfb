/** View ids, as package.json's `contributes.views` declares them. */
export const VIEWS = { runs: 'slipway.runs' } as const;

/** Context keys set by the extension for `when` clauses. */
export const CONTEXT_KEYS = { engineRunning: 'slipway.engineRunning' } as const;
