import { Decimal, dec } from '../../platform/decimal.js';
import { Conflict, ValidationFailed } from '../../platform/errors.js';
import type { CharacteristicKind, Disposition } from './contract.js';
import { judgeLot, type LotVerdict, type SamplingPlan } from './sampling.js';

export interface Characteristic {
  id: string;
  name: string;
  kind: CharacteristicKind;
  lowerLimit: string | null;
  upperLimit: string | null;
  unit: string | null;
}

/** A measured value is conforming when inside the limits, both inclusive. */
export function isWithinLimits(value: Decimal, c: Pick<Characteristic, 'lowerLimit' | 'upperLimit'>): boolean {
  if (c.lowerLimit !== null && value.lt(dec(c.lowerLimit))) return false;
  if (c.upperLimit !== null && value.gt(dec(c.upperLimit))) return false;
  return true;
}

/** What an inspector records for one characteristic: a count, or one measurement per sampled unit. */
export type ResultInput = { defectives: number } | { measurements: readonly string[] };

/**
 * Nonconforming units of one characteristic in the sample. Variables need exactly one value per
 * sampled unit, so the count is computed from the limits and cannot be typed in.
 */
export function nonconformingOf(c: Characteristic, input: ResultInput, sampleSize: number): number {
  if (c.kind === 'attribute') {
    if (!('defectives' in input)) throw resultInvalid(c, '/defectives', 'an attribute is recorded as the number of defectives');
    if (input.defectives > sampleSize) throw resultInvalid(c, '/defectives', `cannot exceed the sample size ${sampleSize}`);
    return input.defectives;
  }
  if (!('measurements' in input)) throw resultInvalid(c, '/measurements', 'a variable is recorded as measured values');
  if (input.measurements.length !== sampleSize) {
    throw resultInvalid(c, '/measurements', `needs one value per sampled unit: ${sampleSize}, got ${input.measurements.length}`);
  }
  return input.measurements.filter((m) => !isWithinLimits(new Decimal(m), c)).length;
}

function resultInvalid(c: Characteristic, pointer: string, message: string): ValidationFailed {
  return new ValidationFailed(`characteristic ${c.name}: ${message}`, [{ pointer: `/body${pointer}`, message }], {
    code: 'error.quality.result.invalid',
    params: { characteristic: c.name },
  });
}

/**
 * Nonconforming units in the sample over all characteristics. A unit failing two
 * characteristics is counted twice (results are recorded per characteristic), which errs on the
 * side of rejection; the count never exceeds the sample.
 */
export function sampleNonconforming(perCharacteristic: readonly number[], sampleSize: number): number {
  return Math.min(
    perCharacteristic.reduce((a, b) => a + b, 0),
    sampleSize,
  );
}

/**
 * The disposition must follow the sampling result: a lot is accepted only when its sample
 * accepts it (fewer than Re nonconforming) and rejected only when it does not.
 */
export function assertDispositionFollowsSample(
  inspection: { number: string; plan: SamplingPlan },
  nonconforming: number,
  disposition: Disposition,
): LotVerdict {
  const verdict = judgeLot(inspection.plan, nonconforming);
  const accepted = verdict !== 'not-accepted';
  if (disposition === 'accept' && !accepted) {
    throw new Conflict(
      `inspection ${inspection.number}: ${nonconforming} nonconforming reaches the reject number ${inspection.plan.reject}; the lot cannot be accepted`,
      { code: 'error.quality.inspection.acceptContradictsSample', params: { nonconforming, reject: inspection.plan.reject } },
    );
  }
  if (disposition === 'reject' && accepted) {
    throw new Conflict(
      `inspection ${inspection.number}: ${nonconforming} nonconforming is within the accept number ${inspection.plan.accept}; the sample accepts the lot`,
      { code: 'error.quality.inspection.rejectContradictsSample', params: { nonconforming, accept: inspection.plan.accept } },
    );
  }
  return verdict;
}

/** Sampling needs a whole lot size: a lot measured in a divisible unit counts each started unit. */
export function lotSizeOf(quantity: string): number {
  return dec(quantity).ceil().toNumber();
}
