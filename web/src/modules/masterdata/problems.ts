import { ApiError, type FieldProblem } from '../../api/client';
import i18n, { problemMessage } from '../../i18n';

/**
 * Server answers placed where the person looks: a field error of the master data checks in the
 * reader's language, a conflict on the field it is about. The checks in bom.ts, routing.ts and
 * friends word their field errors in English; these are those words.
 */
const FIELD_MESSAGES: Array<[RegExp, string]> = [
  [/^must be greater than zero$/, 'masterdata.fieldErrors.greaterThanZero'],
  [/^must be a fraction from 0 up to \(not including\) 1$/, 'masterdata.fieldErrors.scrapFraction'],
  [/^must be after effectiveFrom$/, 'masterdata.fieldErrors.afterFrom'],
  [/^unknown item$/, 'masterdata.fieldErrors.unknownItem'],
  [/^an item cannot contain itself$/, 'masterdata.fieldErrors.selfContained'],
  [/^cannot be converted to the component's base unit (?<unit>.+)$/, 'masterdata.fieldErrors.notConvertible'],
  [/^line (?<line>\d+) appears twice$/, 'masterdata.fieldErrors.lineTwice'],
  [/^operation (?<sequence>\d+) appears twice$/, 'masterdata.fieldErrors.operationTwice'],
  [/^unknown or inactive work center$/, 'masterdata.fieldErrors.unknownWorkCenter'],
  [/^is not a work instruction$/, 'masterdata.fieldErrors.notWorkInstruction'],
  [/^unknown document$/, 'masterdata.fieldErrors.unknownDocument'],
  [/^must not be negative$/, 'masterdata.fieldErrors.notNegative'],
  [/^unknown unit$/, 'masterdata.fieldErrors.unknownUnit'],
  [/^unknown site$/, 'masterdata.fieldErrors.unknownSite'],
  [/^is in the past$/, 'masterdata.fieldErrors.inThePast'],
  [/^unknown time zone$/, 'masterdata.fieldErrors.unknownTimeZone'],
];

function fieldMessage(fe: FieldProblem, err: ApiError, only: boolean): string {
  const { code, params } = err.problem;
  // A check digit is best told with the digit the server computed.
  if (code === 'error.gtin.checkDigit') return i18n.t('masterdata.items.gtinCheckDigit', params ?? {});
  for (const [pattern, key] of FIELD_MESSAGES) {
    const m = pattern.exec(fe.message);
    if (m) return i18n.t(key, m.groups ?? {});
  }
  // The one field of a domain error: its translated code says it best.
  if (only && code && code !== 'error.validation' && i18n.exists(code)) return problemMessage(err);
  return fe.message;
}

export interface ProblemForm {
  showProblem: (err: unknown) => boolean;
}

/**
 * Puts a refused request's field errors on the form's fields, translated; a problem without
 * field errors whose code `fieldOf` names (a GTIN in use, a duplicate code) goes on that field.
 * True when something was placed; otherwise the caller shows the problem above the form.
 */
export function placeProblem(form: ProblemForm, err: unknown, fieldOf: Record<string, string> = {}): boolean {
  if (!(err instanceof ApiError)) return false;
  const { problem } = err;
  if (problem.errors?.length) {
    const only = problem.errors.length === 1;
    return form.showProblem(
      new ApiError({ ...problem, errors: problem.errors.map((fe) => ({ pointer: fe.pointer, message: fieldMessage(fe, err, only) })) }),
    );
  }
  const field = problem.code ? fieldOf[problem.code] : undefined;
  if (!field) return false;
  return form.showProblem(new ApiError({ ...problem, errors: [{ pointer: `/body/${field}`, message: problemMessage(err) }] }));
}

/** A code already taken is told on the code field. */
export const CODE_IN_USE = { 'error.duplicate': 'code' } as const;
