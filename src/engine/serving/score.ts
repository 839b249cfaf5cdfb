import type { EndpointSettings } from './config';

/** Outputs taken as the class probabilities when an endpoint names no `score_output`, in the order they are looked for. */
export const PROBABILITY_OUTPUTS = ['probabilities', 'probability', 'output_probability'];

/** The output an endpoint reads its score from, given the model's output names in the model's order. */
export function scoreOutputOf(settings: Pick<EndpointSettings, 'scoreOutput'>, outputNames: readonly string[]): string | undefined {
  return settings.scoreOutput ?? outputNames.find((name) => PROBABILITY_OUTPUTS.includes(name));
}

/**
 * Column of the positive class within a row of the score output: its place in `classes` when the endpoint lists
 * them, else `positive_label` read as a column number. NaN or negative when the label cannot be placed. A score
 * output with one value per row is the score itself, whatever this returns.
 */
export function scoreIndexOf(settings: Pick<EndpointSettings, 'classes' | 'positiveLabel'>): number {
  const classes = settings.classes ?? [];
  return classes.length ? classes.map(String).indexOf(String(settings.positiveLabel)) : Number(settings.positiveLabel);
}
