import { signingPermissions } from '../../platform/esign/index.js';
import type { PermissionDef } from '../../platform/module.js';
import { P } from './contract.js';

/** Held by every signed-in person without being granted; never by API tokens. */
export const IMPLICIT_PERSON_PERMISSIONS: readonly string[] = [P.session, P.self];

export const isReadPermission = (name: string): boolean => /[:.]read$/.test(name);

/**
 * A permission that lets its holder sign: a `sign…` action segment by convention, or any
 * permission a signable record type asks of its signers (a stock adjustment is signed by whoever
 * may adjust).
 */
export function isSigningPermission(name: string): boolean {
  const [, action = ''] = name.split(':');
  return action.split('.').some((segment) => segment.startsWith('sign')) || signingPermissions().has(name);
}

/** Signing or administering: a role holding such a permission requires TOTP. */
export function isSensitivePermission(name: string): boolean {
  return name.startsWith('admin:') || isSigningPermission(name);
}

const escapeRegExp = (s: string): string => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

function patternToRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
}

/** The catalog permissions a list of grant patterns covers. */
export function expandGrants(grants: readonly string[], catalog: readonly PermissionDef[]): string[] {
  const matchers = grants.map(patternToRegExp);
  return catalog.map((p) => p.name).filter((name) => !IMPLICIT_PERSON_PERMISSIONS.includes(name) && matchers.some((m) => m.test(name)));
}

export interface RoleDefinition {
  name: string;
  description: string;
  grants: readonly string[];
  /** Explicit TOTP requirement on top of the one derived from signing/admin permissions. */
  requiresTotp?: boolean;
}

/**
 * The reads of these modules, and what every person working with records needs to see of them:
 * their history (not the whole audit trail) and their signatures' manifestations (§11.50).
 */
const reads = (...modules: string[]): string[] => [
  ...modules.flatMap((m) => [`${m}:read`, `${m}:*.read`]),
  'audit:record.read',
  'signatures:read',
];
/** Every read permission of every module, present and future (`x:read` and `x:y.read`). */
const ALL_READS = ['*:read', '*.read'];

/**
 * Standard roles of a device maker, installed in every tenant. Grants are patterns so a module
 * added later (its `quality:*` or `*:read` permissions) is covered without a data migration.
 */
export const STANDARD_ROLES: readonly RoleDefinition[] = [
  {
    name: 'Administrator',
    description: 'Users, roles, tokens, sites and security policy; reads everything',
    grants: ['admin:*', ...ALL_READS],
  },
  {
    name: 'QA Manager',
    description: 'Owns the quality system: NCR/MRB, CAPA, change control, documents, release, dispositions of returned goods',
    grants: [
      'quality:*',
      'nonconformance:*',
      'deviations:*',
      'change:*',
      'documents:*',
      'training:*',
      'traceability:*',
      'recall:*',
      'production:*release*',
      // The device history record: reviewed and released by two different people of QA.
      'production:sign.*',
      'masterdata:sign.released',
      'inventory:*hold*',
      'inventory:sign.*',
      // Returned goods: restock, scrap or an NCR, signed (the receiver may not restock).
      'sales:sign.*',
      'audit:verify',
      ...ALL_READS,
    ],
    requiresTotp: true,
  },
  {
    name: 'QA Inspector',
    description: 'Performs inspections and raises nonconformances',
    grants: [
      'quality:inspect',
      'quality:inspection*',
      'quality:ncr.create',
      'nonconformance:raise',
      ...reads('quality', 'nonconformance', 'masterdata', 'inventory', 'purchasing', 'production', 'documents', 'sites'),
      ...reads('deviations', 'training'),
    ],
  },
  {
    name: 'Production Planner',
    description: 'Plans and releases work orders, runs MRP',
    grants: [
      'planning:*',
      'production:wo.*',
      ...reads('production', 'masterdata', 'inventory', 'purchasing', 'sales', 'sites', 'traceability'),
    ],
  },
  {
    name: 'Operator',
    description: 'Executes operations on the shop floor',
    grants: [
      'production:operation.*',
      'production:material.*',
      'production:output.*',
      'traceability:label.*',
      ...reads('production', 'masterdata', 'documents', 'inventory', 'sites', 'traceability'),
      ...reads('training'),
    ],
  },
  {
    name: 'Buyer',
    description: 'Purchase orders and suppliers',
    grants: ['purchasing:*', ...reads('purchasing', 'masterdata', 'inventory', 'quality', 'sites'), ...reads('deviations')],
  },
  {
    name: 'Warehouse',
    description: 'Receipts, moves, issues, shipments and returned goods coming back',
    // Moves and counts stock; releasing or rejecting a lot is QA's signature (A11.15), not theirs.
    grants: [
      'inventory:move',
      'inventory:adjust',
      'production:material.*',
      'purchasing:receive',
      'purchasing:receipt.*',
      'sales:shipment.*',
      'sales:return.receive',
      ...reads('inventory', 'masterdata', 'purchasing', 'quality', 'sales', 'production', 'sites'),
      ...reads('deviations'),
    ],
  },
  {
    name: 'Sales',
    description: "Sales orders, customers' licences and customers' returns",
    // Customers' contacts: sales records the recall notices they send and the customers' answers.
    grants: [
      'sales:order',
      'sales:licence',
      'sales:return.authorise',
      'recall:notify',
      ...reads('sales', 'masterdata', 'inventory', 'sites', 'recall'),
    ],
  },
  {
    name: 'Engineer',
    description: 'Items, BOMs, routings, engineering changes and document drafts',
    grants: [
      'masterdata:write',
      'change:eco.create',
      'change:eco.edit',
      'documents:write',
      ...reads('masterdata', 'change', 'documents', 'production', 'nonconformance', 'inventory', 'sites'),
      ...reads('training'),
    ],
  },
  {
    // A signing role of its own: given to the engineers who sit on the material review board, so
    // the Engineer role itself stays free of signatures (no authenticator needed for drafting).
    name: 'MRB Engineer',
    description: "Concur with a nonconformance's use-as-is disposition by e-signature (meaning verified)",
    grants: ['nonconformance:sign.engineering', ...reads('nonconformance', 'inventory', 'masterdata', 'sites')],
  },
  {
    name: 'Auditor',
    description: 'Reads everything, including the audit trail, and verifies its integrity; changes nothing',
    grants: [...ALL_READS, 'audit:verify'],
  },
];

/** Whether holding these permissions (or the role flag) makes TOTP mandatory. */
export const requiresTotp = (permissions: readonly string[], flagged: boolean): boolean =>
  flagged || permissions.some(isSensitivePermission);
