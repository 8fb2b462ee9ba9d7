import { ApiError } from '../../api/client';
import { formatDecimal } from '../../components/decimal';
import i18n, { problemMessage } from '../../i18n';

const status = (s: unknown) => i18n.t(`inventory.lotStatuses.${String(s)}`, { defaultValue: String(s) });
const kind = (k: unknown) => i18n.t(`masterdata.locationKinds.${String(k)}`, { defaultValue: String(k) });

/**
 * The server's refusals of stock moves and lot steps, told with what they name (the lot, its
 * status, the location and what that kind of location takes) in the reader's language.
 */
const MESSAGES: Record<string, (p: Record<string, string | number>) => string> = {
  'error.inventory.location.refuses': (p) =>
    i18n
      .t('inventory.problems.refusesBecause', {
        refusal: i18n.t('inventory.problems.refuses', {
          number: p.number,
          status: status(p.status),
          location: p.location,
          kind: kind(p.kind),
        }),
        rule: i18n.t(`inventory.problems.admits.${String(p.kind)}`, { defaultValue: '' }),
      })
      .trim(),
  'error.inventory.insufficient': (p) =>
    i18n.t(p.lot ? 'inventory.problems.insufficientLot' : 'inventory.problems.insufficient', {
      lot: p.lot,
      location: p.location,
      available: formatDecimal(String(p.available)),
      requested: formatDecimal(String(p.requested)),
    }),
  'error.inventory.lot.notUsable': (p) => i18n.t('inventory.problems.notUsable', { number: p.number, status: status(p.status) }),
  'error.inventory.transfer.crossSite': (p) => i18n.t('inventory.problems.crossSite', { from: p.from, to: p.to }),
  'error.state.illegalTransition': (p) =>
    i18n.t('inventory.problems.illegalTransition', {
      current: status(p.current),
      requested: status(p.requested),
      allowed:
        String(p.allowed ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .map(status)
          .join(i18n.t('inventory.problems.listSeparator')) || i18n.t('inventory.problems.nothing'),
    }),
};

/** What to tell a person about a refused inventory request. */
export function inventoryProblem(err: unknown): string {
  if (err instanceof ApiError && err.problem.code && MESSAGES[err.problem.code]) {
    return MESSAGES[err.problem.code]!(err.problem.params ?? {});
  }
  return problemMessage(err);
}

interface ProblemForm {
  showProblem: (err: unknown) => boolean;
}

/**
 * Puts a refused request's field errors on the form's fields. A domain check names one field
 * with an English sentence; its translated code says the same in the reader's language.
 * True when something was placed; otherwise the caller shows the problem above the form.
 */
export function placeProblem(form: ProblemForm, err: unknown): boolean {
  if (!(err instanceof ApiError) || !err.problem.errors?.length) return false;
  const { code } = err.problem;
  const translated = code && code !== 'error.validation' && i18n.exists(code) ? inventoryProblem(err) : undefined;
  return form.showProblem(
    new ApiError({ ...err.problem, errors: err.problem.errors.map((fe) => ({ pointer: fe.pointer, message: translated ?? fe.message })) }),
  );
}
