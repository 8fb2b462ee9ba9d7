import { Type } from 'typebox';
import { defineEvents, definePermissions, type Vocabulary } from '../../platform/contract.js';
import { DecimalString, Id, IsoDate, Nullable } from '../../platform/schema.js';

/**
 * Deviations' contract: statuses, what may use a deviation, permissions and events. The server
 * and the web app both build on it.
 */

/** draft → approved (signed) → closed (signed) or expired (past its last day); cancelled from draft. */
export const DEVIATION_STATUSES = ['draft', 'approved', 'closed', 'expired', 'cancelled'] as const;
export type DeviationStatus = (typeof DEVIATION_STATUSES)[number];

/** The records that may use a deviation's quantity. */
export const DEVIATION_USE_KINDS = ['purchase_receipt', 'work_order'] as const;
export type DeviationUseKind = (typeof DEVIATION_USE_KINDS)[number];

/** The lists whose values the screens name, by their catalog prefix. */
export const DEVIATIONS_VOCABULARY = {
  'deviations.statuses': DEVIATION_STATUSES,
  'deviations.useKinds': DEVIATION_USE_KINDS,
} as const satisfies Vocabulary;

const permissions = definePermissions({
  read: { name: 'deviations:read', description: 'See deviations and concessions, their use and signatures' },
  write: { name: 'deviations:write', description: 'Raise and edit draft deviations, cancel drafts' },
  signApproved: { name: 'deviations:sign.approved', description: 'Approve deviations by e-signature (not the author)' },
  signClosed: { name: 'deviations:sign.closed', description: 'Close approved deviations by e-signature' },
});
export const DEVIATION_PERMISSIONS = permissions.names;
export const DEVIATION_PERMISSION_LIST = permissions.list;

const DeviationStep = Type.Object({
  number: Type.String(),
  itemId: Id,
  supplierId: Nullable(Id),
  from: Type.Enum(DEVIATION_STATUSES),
  to: Type.Enum(DEVIATION_STATUSES),
  signatureId: Nullable(Id),
});
const step = (verb: string, when: string) =>
  ({ type: `deviations.deviation.${verb}`, aggregate: 'deviations.deviation', when, data: DeviationStep }) as const;

export const DeviationUsed = Type.Object({
  deviationId: Id,
  number: Type.String(),
  usedBy: Type.Object({ kind: Type.Enum(DEVIATION_USE_KINDS), id: Id }),
  quantity: DecimalString({ description: "in the item's base unit" }),
  remaining: DecimalString({ description: 'what the deviation still permits after this use' }),
  usedOn: IsoDate,
});

/** Domain events of a deviation's life. */
export const DEVIATION_EVENTS = defineEvents({
  approved: step('approved', 'a deviation is approved (signed, not by its author) and may be used'),
  cancelled: step('cancelled', 'a draft deviation is cancelled'),
  closed: step('closed', 'an approved deviation is closed (signed): it permits nothing more'),
  expired: step('expired', 'an approved deviation passed its last valid day'),
  used: {
    type: 'deviations.deviation.used',
    aggregate: 'deviations.deviation',
    when: 'a receipt (or a work order) used part of a deviation’s quantity',
    data: DeviationUsed,
  },
});
