import { Decimal } from '../../platform/decimal.js';

/**
 * What a measured value can physically be, by its unit: no temperature below absolute zero, no
 * length or time below zero, no relative humidity above 100 %, no gauge pressure below a full
 * vacuum. A value outside is a typing or instrument error, refused field by field before anything
 * is recorded — unlike a value merely outside a process limit, which is recorded and opens an NCR.
 * Units are matched as written on routings ('°C', 'kPa', 'N·m'); a unit not listed is bounded only
 * by the size any quantity may have.
 */
export interface MeasurementBounds {
  lower: Decimal;
  upper: Decimal;
}

const b = (lower: string, upper: string): MeasurementBounds => ({ lower: new Decimal(lower), upper: new Decimal(upper) });
const NON_NEGATIVE = b('0', '1e12');

const BOUNDS: Record<string, MeasurementBounds> = {
  '°C': b('-273.15', '5000'),
  K: b('0', '5300'),
  '°F': b('-459.67', '9000'),
  // Gauge pressure: at most a full vacuum below atmospheric.
  Pa: b('-101325', '1e10'),
  kPa: b('-101.325', '1e7'),
  MPa: b('-0.101325', '1e4'),
  bar: b('-1.01325', '1e5'),
  mbar: b('-1013.25', '1e8'),
  psi: b('-14.696', '1.5e6'),
  '%': b('0', '100'),
  '% RH': b('0', '100'),
  '%RH': b('0', '100'),
};
for (const unit of ['µm', 'um', 'mm', 'cm', 'm', 'ms', 's', 'min', 'h', 'mg', 'g', 'kg', 'µL', 'mL', 'L', 'mL/min', 'L/min']) {
  BOUNDS[unit] = NON_NEGATIVE;
}
for (const unit of ['N', 'kN', 'N·m', 'Nm', 'N m', 'cN·m', 'rpm', 'Hz', 'kHz', 'W', 'kW', 'J', 'lux', 'Ω', 'kΩ', 'MΩ']) {
  BOUNDS[unit] = NON_NEGATIVE;
}

const ANY = b('-1e12', '1e12');

export function measurementBounds(unit: string): MeasurementBounds {
  return BOUNDS[unit.trim()] ?? ANY;
}

/** Whether a value can be a measurement in this unit at all. */
export function isPlausibleMeasurement(value: Decimal | string, unit: string): boolean {
  const { lower, upper } = measurementBounds(unit);
  const v = new Decimal(value);
  return v.gte(lower) && v.lte(upper);
}
