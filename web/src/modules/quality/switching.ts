/** The ISO 2859-1 switching rules as the screens offer them; no imports, so its test runs as plain Node ESM too. */

/** Where the switching rules stand for an item from a supplier: a severity, or discontinued (9.4). */
export const SWITCHING_SEVERITIES = ['normal', 'tightened', 'reduced', 'discontinued'] as const;
export type SwitchingSeverity = (typeof SWITCHING_SEVERITIES)[number];

/** The responsible authority's decisions on switching (9.3.3 c, 9.3.4 c, 9.4), each signed `approved`. */
export const SAMPLING_DECISIONS = ['permitReduced', 'withdrawReduced', 'resume'] as const;
export type SamplingDecision = (typeof SAMPLING_DECISIONS)[number];

/**
 * The decisions that apply to a switching state now (the server refuses the others): consent to
 * reduced inspection while it is not given, its withdrawal once given, and resuming a
 * discontinued inspection. Consent waits for the resumption, since nothing is inspected while
 * discontinued.
 */
export function decisionsFor(state: { severity: SwitchingSeverity; reducedPermitted: boolean }): SamplingDecision[] {
  const decisions: SamplingDecision[] = [];
  if (state.severity === 'discontinued') decisions.push('resume');
  else if (!state.reducedPermitted) decisions.push('permitReduced');
  if (state.reducedPermitted) decisions.push('withdrawReduced');
  return decisions;
}
