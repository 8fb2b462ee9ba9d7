import { ApiError } from '../../api/client';
import i18n, { problemMessage } from '../../i18n';

/**
 * Refusals told with what the server found: which supplier is not approved for which items on
 * which day, how much a line can still take. Other problems keep their general translation.
 */
export function purchasingProblem(err: unknown): string {
  if (!(err instanceof ApiError)) return problemMessage(err);
  const { code, params = {} } = err.problem;
  if (code === 'error.purchasing.supplierNotApproved' && params.supplier !== undefined) {
    return params.lines !== undefined
      ? i18n.t('purchasing.problems.approvalRefused', params)
      : i18n.t('purchasing.problems.receiptRefused', params);
  }
  if (code === 'error.purchasing.overReceipt' && params.open !== undefined) return i18n.t('purchasing.problems.overReceipt', params);
  if (code === 'error.purchasing.po.notReceivable' && params.status !== undefined) {
    return i18n.t('purchasing.problems.notReceivable', {
      number: params.number,
      status: i18n.t(`purchasing.orderStatuses.${params.status}`),
    });
  }
  return problemMessage(err);
}

interface ProblemForm {
  showProblem: (err: unknown) => boolean;
}

/**
 * Puts a refused request's field errors on the form's fields. A domain check that names one field
 * (a unit that does not convert, an inactive item) is told in the reader's language there.
 * True when something was placed; otherwise the caller shows the problem above the form.
 */
export function placeProblem(form: ProblemForm, err: unknown): boolean {
  if (!(err instanceof ApiError) || !err.problem.errors?.length) return false;
  const { problem } = err;
  const translated = problem.errors!.length === 1 && problem.code && problem.code !== 'error.validation' && i18n.exists(problem.code);
  return form.showProblem(
    translated ? new ApiError({ ...problem, errors: [{ pointer: problem.errors![0]!.pointer, message: purchasingProblem(err) }] }) : err,
  );
}
