import { raw, sql, type Tx } from '../db/index.js';
import { BadRequest, Conflict, Forbidden, NotFound, ServiceUnavailable } from '../errors.js';
import { uuidv7 } from '../ids.js';
import type { TenantContext } from '../tenancy/index.js';
import { contentHash } from './canonical.js';
import { SIGNATURE_MEANINGS, type SignatureMeaning } from './contract.js';
import { assertSeparationOfDuties, type DutyCheck, type DutySubject } from './duties.js';
import {
  isSignatureMeaning,
  type Signable,
  type Signature,
  type SignerVerifier,
  type SigningCredentials,
  type VerifiedSigner,
} from './types.js';

const signables = new Map<string, Signable>();

/** Every permission some signable asks of its signers; made again only when a record type is declared. */
let signing: Set<string> | undefined;

/** Declares a signable record type; the module lists it in `signables` and the composition root registers it. */
export const defineSignable = (signable: Signable): Signable => signable;

/** Makes a record type signable in this process (the composition root does this for every module's `signables`). */
export function registerSignable(signable: Signable): Signable {
  signables.set(signable.entity, signable);
  signing = undefined;
  return signable;
}

/** Every permission that lets a person sign something: whoever holds one signs, and needs TOTP. */
export function signingPermissions(): ReadonlySet<string> {
  if (!signing) {
    signing = new Set<string>();
    for (const signable of signables.values()) {
      for (const meaning of SIGNATURE_MEANINGS) {
        const permission = signable.permissionFor(meaning);
        if (permission) signing.add(permission);
      }
    }
  }
  return signing;
}

function signableOf(entity: string): Signable {
  const s = signables.get(entity);
  if (!s) throw new BadRequest(`records of type ${entity} cannot be signed`, { code: 'error.esign.notSignable', params: { entity } });
  return s;
}

async function currentHash(tx: Tx, signable: Signable, id: string): Promise<string | undefined> {
  const content = await signable.content(tx, id);
  return content && contentHash(signable.entity, id, content);
}

export interface SignRequest {
  entity: string;
  id: string;
  meaning: SignatureMeaning;
  credentials: SigningCredentials;
  comment?: string | undefined;
  /** Separation of duties: the rules of this signature resolved on the record (who may not sign). */
  duties?: readonly DutyCheck[] | undefined;
  /** The record and step as named in a refusal; defaults to the record type and id. */
  subject?: DutySubject | undefined;
  /** Refuse a second valid signature with this meaning by the same person (two-person rule). */
  distinct?: boolean | undefined;
}

interface SignatureRow {
  id: string;
  entity: string;
  record_id: string;
  meaning: SignatureMeaning;
  signer_id: string;
  signer_login: string;
  signer_name: string;
  signed_at: string;
  comment: string | null;
  content_hash: string;
}

const toSignature = (r: SignatureRow, current: string | undefined): Signature => ({
  id: r.id,
  entity: r.entity,
  recordId: r.record_id,
  meaning: r.meaning,
  signer: { id: r.signer_id, login: r.signer_login, name: r.signer_name },
  signedAt: r.signed_at,
  comment: r.comment,
  contentHash: r.content_hash,
  valid: r.content_hash === current,
});

const SIGNATURE_COLUMNS = 'id, entity, record_id, meaning, signer_id, signer_login, signer_name, signed_at, comment, content_hash';

/**
 * Signs a record: re-authenticates the person behind ctx through the verifier (Part 11
 * §11.200), checks they may sign with this meaning on this record type (§11.10(g)) and any
 * two-person rule, then binds signer, meaning and time to the hash of the record's content
 * (§11.70). Runs in the caller's transaction, so the signature and the step it authorises
 * commit together.
 */
export async function sign(tx: Tx, ctx: TenantContext, verifier: SignerVerifier | null, req: SignRequest): Promise<Signature> {
  if (!isSignatureMeaning(req.meaning)) {
    throw new BadRequest(`"${req.meaning}" is not a signature meaning`, { code: 'error.esign.meaning', params: { meaning: req.meaning } });
  }
  const signable = signableOf(req.entity);
  const permission = signable.permissionFor(req.meaning);
  if (!permission) {
    throw new BadRequest(`a ${req.entity} record is not signed with the meaning ${req.meaning}`, {
      code: 'error.esign.meaningNotAllowed',
      params: { entity: req.entity, meaning: req.meaning },
    });
  }
  if (!verifier) throw new ServiceUnavailable('electronic signing is not available', { code: 'error.esign.unavailable' });
  const hash = await currentHash(tx, signable, req.id);
  if (!hash) throw new NotFound(`${req.entity} ${req.id} not found`, { code: 'error.notFound', params: { entity: req.entity } });

  const signer = await verifier(tx, ctx, req.credentials);
  if (!signer.permissions.includes(permission)) {
    throw new Forbidden(`${signer.printedName} may not sign ${req.entity} records as ${req.meaning}`, {
      code: 'error.esign.notPermitted',
      params: { meaning: req.meaning, permission },
    });
  }
  if (req.duties?.length) {
    const subject = req.subject ?? { label: `${req.entity} ${req.id}`, reference: req.id, step: `sign as ${req.meaning}` };
    await assertSeparationOfDuties(tx, signer, req, req.duties, subject);
  }
  if (req.distinct) {
    const { rowCount } = await tx.query(
      sql`SELECT 1 FROM esignatures WHERE entity = ${req.entity} AND record_id = ${req.id} AND meaning = ${req.meaning} AND signer_id = ${signer.userId} AND content_hash = ${hash}`,
    );
    if (rowCount > 0) {
      throw new Conflict(`${signer.printedName} has already signed this record as ${req.meaning}; a second person must sign`, {
        code: 'error.esign.alreadySigned',
        params: { meaning: req.meaning },
      });
    }
  }
  const { rows } = await tx.query<SignatureRow>(
    sql`INSERT INTO esignatures (id, entity, record_id, content_hash, signer_id, signer_login, signer_name, meaning, comment,
                              session_id, request_id)
     VALUES (${uuidv7()}, ${req.entity}, ${req.id}, ${hash}, ${signer.userId}, ${signer.login}, ${signer.printedName}, ${req.meaning}, ${req.comment ?? null}, ${ctx.sessionId ?? null}, ${ctx.requestId}) RETURNING ${raw(SIGNATURE_COLUMNS)}`,
  );
  return toSignature(rows[0] as SignatureRow, hash);
}

/** A record's signatures, oldest first, each marked valid only if the record is unchanged since. */
export async function listSignatures(tx: Tx, entity: string, id: string): Promise<Signature[]> {
  return signaturesAgainst(tx, entity, id, await currentHash(tx, signableOf(entity), id));
}

/**
 * The record's signatures, checked against content the caller has just assembled: for records
 * whose signed content is costly to build (a device history record), so it is built once.
 */
export async function listSignaturesOfContent(tx: Tx, entity: string, id: string, content: Record<string, unknown>): Promise<Signature[]> {
  return signaturesAgainst(tx, entity, id, contentHash(entity, id, content));
}

async function signaturesAgainst(tx: Tx, entity: string, id: string, current: string | undefined): Promise<Signature[]> {
  const { rows } = await tx.query<SignatureRow>(
    sql`SELECT ${raw(SIGNATURE_COLUMNS)} FROM esignatures WHERE entity = ${entity} AND record_id = ${id} ORDER BY signed_at, id`,
  );
  return rows.map((r) => toSignature(r, current));
}

/**
 * One re-authentication for one decision that signs several records — an incoming inspection
 * and the lot it disposes: the first signing checks the person's credentials through `verifier`
 * (every factor at the session's first signing, each failure counted toward lockout, as always);
 * later signings in the same transaction, by the same person with the same credentials, reuse
 * that verification instead of hashing the password again. Each signature still checks its own
 * permission and rules. Make one per request; a refused check is not remembered.
 */
export function verifiedOnce(verifier: SignerVerifier | null): SignerVerifier | null {
  if (!verifier) return null;
  let remembered: { tx: Tx; ctx: TenantContext; creds: SigningCredentials; signer: Promise<VerifiedSigner> } | undefined;
  const same = (tx: Tx, ctx: TenantContext, creds: SigningCredentials) =>
    remembered !== undefined &&
    remembered.tx === tx &&
    remembered.ctx.actor.id === ctx.actor.id &&
    remembered.ctx.sessionId === ctx.sessionId &&
    remembered.ctx.siteId === ctx.siteId &&
    remembered.creds.password === creds.password &&
    remembered.creds.totpCode === creds.totpCode;
  return (tx, ctx, creds) => {
    if (remembered && same(tx, ctx, creds)) return remembered.signer;
    const signer = verifier(tx, ctx, creds);
    const entry = { tx, ctx, creds, signer };
    remembered = entry;
    signer.catch(() => {
      if (remembered === entry) remembered = undefined;
    });
    return signer;
  };
}
