/** The ISO 2859-1 switching rules as the screens offer them; no imports, so its test runs as plain Node ESM too. */

/** Where the switching rules stand for an item from a supplier: a severity, or discontinued (9.4). */
import type { SamplingDecision, SwitchingSeverity } from '@server/modules/quality/contract';

export { SAMPLING_DECISIONS, SWITCHING_SEVERITIES } from '@server/modules/quality/contract';
export type { SamplingDecision, SwitchingSeverity };

/** The responsible authority's decisions on switching (9.3.3 c, 9.3.4 c, 9.4), each signed `approved`. */

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
