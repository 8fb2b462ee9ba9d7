import { withChangeReason } from '../audit/reason.js';
import type { EventDef } from '../contract.js';
import type { Tx } from '../db/index.js';
import { Conflict, ValidationFailed } from '../errors.js';
import type { SignatureMeaning } from '../esign/contract.js';
import { type Duty, declareDuty, resolveDuties } from '../esign/duties.js';
import { sign } from '../esign/signatures.js';
import type { Signature, SignerVerifier, SigningCredentials } from '../esign/types.js';
import type { TenantContext } from '../tenancy/index.js';

/**
 * Declarative state machines for records that move through a controlled life cycle (document,
 * NCR, CAPA, ECO, work order, lot): states as an `as const` tuple, transitions with guards,
 * required signature meanings and the domain event each step publishes (Part 11 §11.10(f)).
 */

/** What a transition tells the rest of the system: its catalogue's definition and the step. */
export interface StepEvent {
  def: EventDef;
  type: string;
  entity: string;
  id: string;
  data: { from: string; to: string; signatureId: string | null };
}

/** A predicate on the record: returns why the step may not happen now, or undefined. */
export type Guard<R> = (tx: Tx, record: R) => Promise<string | undefined> | string | undefined;

export interface Transition<S extends string, R> {
  /** The step's name, e.g. `approve`; also the default reason recorded in the audit trail. */
  name: string;
  from: readonly S[];
  to: S;
  guards?: ReadonlyArray<Guard<R>>;
  /** The signature the step requires, and who may not give it. */
  signature?: {
    meaning: SignatureMeaning;
    /** Separation of duties: named rules, each excluding people the record names (e.g. `notCreator`). */
    duties?: ReadonlyArray<Duty<R>>;
    /** The same person may not give this meaning twice on the same content. */
    distinct?: boolean;
  };
  /** The step needs a reason from the person (e.g. making a document obsolete). */
  reasonRequired?: boolean;
  /** The event of the module's catalogue published when the step is taken, e.g. `documents.document.approved`. */
  event: EventDef;
}

export interface MachineDef<S extends string, R> {
  /** The record type, named as its table. */
  entity: string;
  states: readonly S[];
  transitions: ReadonlyArray<Transition<S, R>>;
}

export interface StateMachine<S extends string, R> extends MachineDef<S, R> {
  /** The states reachable from `state` in one step. */
  allowedFrom(state: S): S[];
  /** The transition from → to; a 409 naming the current state and the allowed steps if there is none. */
  transition(from: S, to: string, label?: string): Transition<S, R>;
}

export function defineMachine<const S extends string, R>(def: MachineDef<S, R>): StateMachine<S, R> {
  for (const t of def.transitions) {
    for (const s of [...t.from, t.to]) {
      if (!def.states.includes(s)) throw new Error(`${def.entity}: transition ${t.name} uses unknown state ${s}`);
    }
    for (const d of t.signature?.duties ?? []) {
      declareDuty({ entity: def.entity, meaning: t.signature!.meaning, rule: d.rule, step: t.name });
    }
  }
  const allowedFrom = (state: S): S[] => def.transitions.filter((t) => t.from.includes(state)).map((t) => t.to);
  return {
    ...def,
    allowedFrom,
    transition(from, to, label = def.entity) {
      const found = def.transitions.find((t) => t.from.includes(from) && t.to === to);
      if (found) return found;
      const allowed = allowedFrom(from);
      throw new Conflict(
        `${label} is ${from} and cannot move to ${to}; allowed from ${from}: ${allowed.length ? allowed.join(', ') : 'none'}`,
        {
          code: 'error.state.illegalTransition',
          params: { current: from, requested: to, allowed: allowed.join(', ') },
          extensions: { currentState: from, allowedTransitions: allowed },
        },
      );
    },
  };
}

export interface TransitionRequest<S extends string, R> {
  id: string;
  record: R;
  from: S;
  to: string;
  /** How the record is named in messages, e.g. `document DOC-2026-00001 rev 2`. */
  label: string;
  /** The record's number as people know it, e.g. `DOC-2026-00001 rev 2`; defaults to the id. */
  reference?: string | undefined;
  credentials?: SigningCredentials | undefined;
  comment?: string | undefined;
  /** Writes the new state (and whatever else the step changes) to the record. */
  apply(tx: Tx, to: S): Promise<void>;
}

export interface TransitionResult<S extends string> {
  from: S;
  to: S;
  signature: Signature | null;
  /** The event to publish (its definition and the step's data); the caller publishes it in the same transaction. */
  event: StepEvent;
}

/**
 * Takes one step: checks it is declared, its guards hold, takes the required signature, writes
 * the new state, and returns the event to publish. Everything runs in the caller's transaction.
 */
export async function takeTransition<S extends string, R>(
  tx: Tx,
  ctx: TenantContext,
  verifier: SignerVerifier | null,
  machine: StateMachine<S, R>,
  req: TransitionRequest<S, R>,
): Promise<TransitionResult<S>> {
  const step = machine.transition(req.from, req.to, req.label);
  for (const guard of step.guards ?? []) {
    const why = await guard(tx, req.record);
    if (why) {
      throw new Conflict(`${req.label} cannot ${step.name}: ${why}`, {
        code: 'error.state.guardFailed',
        params: { transition: step.name, why },
      });
    }
  }
  const reason = ctx.reason ?? req.comment;
  if (step.reasonRequired && !reason) {
    throw new ValidationFailed(
      `a reason is required to ${step.name} ${req.label}`,
      [{ pointer: '/body/comment', message: 'is required' }],
      {
        code: 'error.audit.reasonRequired',
      },
    );
  }
  let signature: Signature | null = null;
  if (step.signature) {
    if (!req.credentials) {
      throw new ValidationFailed(`${step.name} requires an electronic signature`, [{ pointer: '/body/password', message: 'is required' }], {
        code: 'error.esign.credentialsRequired',
        params: { meaning: step.signature.meaning },
      });
    }
    signature = await sign(tx, ctx, verifier, {
      entity: machine.entity,
      id: req.id,
      meaning: step.signature.meaning,
      credentials: req.credentials,
      comment: req.comment,
      duties: resolveDuties(step.signature.duties, req.record),
      subject: { label: req.label, reference: req.reference ?? req.id, step: step.name },
      distinct: step.signature.distinct,
    });
  }
  // The audit trail records why the state changed: the person's reason, else the step itself.
  await withChangeReason(tx, reason ?? `${step.name}: ${req.from} → ${step.to}`, () => req.apply(tx, step.to));
  return {
    from: req.from,
    to: step.to,
    signature,
    event: {
      def: step.event,
      type: step.event.type,
      entity: machine.entity,
      id: req.id,
      data: { from: req.from, to: step.to, signatureId: signature?.id ?? null },
    },
  };
}
