import { type Static, Type } from 'typebox';
import { defineEvents, definePermissions, type Vocabulary } from '../../platform/contract.js';
import { Id, IsoDate, Nullable } from '../../platform/schema.js';

/**
 * Master data's contract: the value lists of items, units, resources, partners and locations, its
 * permissions and the events it publishes. The server and the web app both build on it.
 */

export const ITEM_TYPES = ['raw', 'component', 'sub_assembly', 'finished_device', 'packaging', 'label'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];
export const TRACKING_MODES = ['lot', 'serial', 'none'] as const;
export type Tracking = (typeof TRACKING_MODES)[number];
export const REVISION_STATUSES = ['draft', 'in_review', 'released', 'obsolete'] as const;
export type RevisionStatus = (typeof REVISION_STATUSES)[number];
export const LOCATION_KINDS = ['quarantine', 'released', 'rejected', 'production', 'shipping'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];
export const APPROVAL_STATUSES = ['approved', 'conditional', 'disqualified'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];
export const EQUIPMENT_STATUSES = ['active', 'out_of_service'] as const;
export type EquipmentStatus = (typeof EQUIPMENT_STATUSES)[number];
export const DIMENSIONS = ['mass', 'volume', 'length', 'count'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const ROUNDING_MODES = ['up', 'down', 'half-even'] as const;
/** GS1 packaging hierarchy of a trade item, lowest first: each level has its own GTIN (UDI-DI). */
export const PACKAGING_LEVELS = ['unit_of_use', 'each', 'box', 'case'] as const;
export type PackagingLevel = (typeof PACKAGING_LEVELS)[number];

/** The lists whose values the screens name, by their catalog prefix. */
export const MASTERDATA_VOCABULARY = {
  'masterdata.itemTypes': ITEM_TYPES,
  'masterdata.tracking': TRACKING_MODES,
  'masterdata.revisionStatuses': REVISION_STATUSES,
  'masterdata.equipmentStatuses': EQUIPMENT_STATUSES,
  'masterdata.locationKinds': LOCATION_KINDS,
  'masterdata.approvalStatuses': APPROVAL_STATUSES,
  'masterdata.packagingLevels': PACKAGING_LEVELS,
} as const satisfies Vocabulary;

const permissions = definePermissions({
  read: {
    name: 'masterdata:read',
    description: 'Read master data: items, revisions, BOMs, routings, resources, suppliers, customers, locations',
  },
  write: { name: 'masterdata:write', description: 'Create and change master data; submit, return and withdraw item revisions' },
  signReleased: { name: 'masterdata:sign.released', description: 'Release an item revision by electronic signature (meaning "released")' },
  /** A quality decision (ISO 13485 7.4.1): named in quality's space so the QA roles' grants cover it. */
  signSupplierApproval: {
    name: 'quality:sign.supplierApproval',
    description:
      'Approve, restrict, disqualify or re-approve a supplier for an item on the approved supplier list, by electronic signature with a reason',
  },
});
export const MASTERDATA = permissions.names;
export const MASTERDATA_PERMISSIONS = permissions.list;

const Step = {
  from: Type.String(),
  to: Type.String(),
  signatureId: Nullable(Id),
};
const RevisionStep = Type.Object({ itemRevisionId: Id, revision: Type.String(), ...Step });
const revisionStep = (verb: string, when: string) =>
  ({ type: `masterdata.itemRevision.${verb}`, aggregate: 'item', when, data: RevisionStep }) as const;

export const MASTERDATA_EVENTS = defineEvents({
  revisionSubmitted: revisionStep('submitted', 'an item revision is submitted for review'),
  revisionReturned: revisionStep('returned', 'an item revision under review is returned to draft'),
  revisionWithdrawn: revisionStep('withdrawn', 'a draft item revision is withdrawn (with a reason)'),
  revisionReleased: revisionStep('released', 'an item revision is released by signature'),
  revisionObsoleted: {
    type: 'masterdata.itemRevision.obsoleted',
    aggregate: 'item',
    when: 'the released revision is superseded by the one released now',
    data: Type.Object({ itemRevisionId: Id, revision: Type.String(), supersededBy: Id }),
  },
  supplierApprovalChanged: {
    type: 'masterdata.supplierApproval.changed',
    aggregate: 'supplier',
    when: 'an approved supplier list entry is decided (signed by QA; `signatureId` null only for seeded entries)',
    data: Type.Object({
      itemId: Id,
      from: Nullable(Type.Enum(APPROVAL_STATUSES)),
      to: Type.Enum(APPROVAL_STATUSES),
      expiresOn: Nullable(IsoDate),
      signatureId: Nullable(Id),
    }),
  },
  equipmentStatusChanged: {
    type: 'masterdata.equipment.statusChanged',
    aggregate: 'equipment',
    when: 'equipment changes status',
    data: Type.Object({ code: Type.String(), from: Type.Enum(EQUIPMENT_STATUSES), to: Type.Enum(EQUIPMENT_STATUSES) }),
  },
});

/** One packaging level of an item: its GTIN (UDI-DI), and how many of the level below it holds. */
export const PackagingLevelInput = Type.Object(
  {
    level: Type.Enum(PACKAGING_LEVELS),
    gtin: Type.String({ pattern: '^[0-9]{8,14}$', description: 'GTIN-8/12/13/14 of this level, stored as GTIN-14' }),
    quantity: Type.Integer({
      minimum: 1,
      maximum: 1000000,
      description: 'how many of the contained level one of this level holds; 1 for the lowest',
    }),
    contains: Nullable(Type.Enum(PACKAGING_LEVELS, { description: 'the level packed inside this one; null for the lowest' })),
  },
  { additionalProperties: false },
);
export type PackagingLevelInput = Static<typeof PackagingLevelInput>;
export const PackagingLevelsBody = Type.Object(
  { levels: Type.Array(PackagingLevelInput, { maxItems: PACKAGING_LEVELS.length }) },
  { additionalProperties: false },
);
export const ItemPackagingLevel = Type.Object({
  level: Type.Enum(PACKAGING_LEVELS),
  gtin: Type.String({ description: 'GTIN-14' }),
  quantity: Type.Integer(),
  contains: Nullable(Type.Enum(PACKAGING_LEVELS)),
  baseQuantity: Type.Integer({ description: 'units of the lowest level in one of this level' }),
});
export type ItemPackagingLevel = Static<typeof ItemPackagingLevel>;
export const ItemPackaging = Type.Object({ itemId: Id, version: Type.Integer(), levels: Type.Array(ItemPackagingLevel) });
export type ItemPackaging = Static<typeof ItemPackaging>;
