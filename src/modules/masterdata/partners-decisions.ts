import { type Static, Type } from 'typebox';
import { withChangeReason } from '../../platform/audit/reason.js';
import { sql, type Tx } from '../../platform/db/index.js';
import { ValidationFailed } from '../../platform/errors.js';
import {
  defineSignable,
  SignatureComment,
  type SignatureMeaning,
  SignerPassword,
  SignerTotpCode,
  type SignerVerifier,
  type SigningCredentials,
  sign,
} from '../../platform/esign/index.js';
import type { TenantContext } from '../../platform/tenancy/index.js';
import { type ApprovalStatus, MASTERDATA } from './contract.js';
import { ApprovalInput, type SupplierApproval, setSupplierApproval } from './partners.js';

/**
 * Changes to the approved supplier list (approve, restrict to conditional, disqualify, re-approve)
 * are quality decisions (ISO 13485 7.4.1, 21 CFR 820.50): each is signed by a person holding the
 * QA permission, with a reason, and the signature covers the entry as decided.
 */

export const supplierApprovalSignable = defineSignable({
  entity: 'supplier_approvals',
  async content(tx, id) {
    const { rows } = await tx.query<Record<string, unknown>>(
      sql`SELECT supplier_id AS "supplierId", item_id AS "itemId", status, evidence, evidence_document_id AS "evidenceDocumentId",
              expires_on::text AS "expiresOn"
         FROM supplier_approvals WHERE id = ${id}`,
    );
    return rows[0];
  },
  permissionFor: (meaning) => (meaning === 'approved' || meaning === 'rejected' ? MASTERDATA.signSupplierApproval : undefined),
});

/** Approving or restricting is signed `approved`; disqualifying is signed `rejected`. */
export const decisionMeaning = (status: ApprovalStatus): SignatureMeaning => (status === 'disqualified' ? 'rejected' : 'approved');

export const ApprovalDecision = Type.Object(
  {
    ...ApprovalInput.properties,
    password: SignerPassword,
    totpCode: Type.Optional(SignerTotpCode),
    comment: Type.Optional({ ...SignatureComment, description: 'the reason for the decision; or send X-Change-Reason' }),
  },
  { additionalProperties: false },
);
export type ApprovalDecision = Static<typeof ApprovalDecision>;

/** Records a status decision on the approved supplier list with its signature and reason, in one transaction. */
export async function decideSupplierApproval(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  supplierId: string,
  itemId: string,
  input: ApprovalDecision,
): Promise<SupplierApproval> {
  const { password, totpCode, comment, ...entry } = input;
  const reason = comment ?? ctx.reason;
  if (!reason) {
    throw new ValidationFailed(
      'a reason is required to change the approved supplier list',
      [{ pointer: '/body/comment', message: 'is required' }],
      { code: 'error.audit.reasonRequired' },
    );
  }
  const credentials: SigningCredentials = { password, totpCode };
  return withChangeReason(tx, reason, () =>
    setSupplierApproval(tx, supplierId, itemId, entry, (approval) =>
      sign(tx, ctx, verifier, {
        entity: supplierApprovalSignable.entity,
        id: approval.id,
        meaning: decisionMeaning(approval.status),
        credentials,
        comment: reason,
      }),
    ),
  );
}
