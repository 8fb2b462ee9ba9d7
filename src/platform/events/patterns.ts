/**
 * Event type patterns, with NATS subject semantics so one pattern reads the same in a
 * subscription, a webhook filter and a NATS consumer: segments split on `.`, `*` matches exactly
 * one segment, `>` (last only) matches one or more remaining segments.
 */
export const EVENT_PATTERN = '^(([a-z][a-zA-Z0-9]*|\\*)\\.)*([a-z][a-zA-Z0-9]*|\\*|>)$';

const patternRe = new RegExp(EVENT_PATTERN);

export function isEventPattern(pattern: string): boolean {
  return pattern.length <= 200 && patternRe.test(pattern);
}

export function matchesType(pattern: string, type: string): boolean {
  const want = pattern.split('.');
  const have = type.split('.');
  for (let i = 0; i < want.length; i++) {
    const w = want[i];
    if (w === '>') return have.length > i;
    if (i >= have.length || (w !== '*' && w !== have[i])) return false;
  }
  return want.length === have.length;
}

export const matchesAny = (patterns: readonly string[], type: string): boolean => patterns.some((p) => matchesType(p, type));
