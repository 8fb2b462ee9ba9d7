/**
 * Master data owns units, items and their controlled revisions, BOMs and routings, work centers,
 * equipment, storage locations, suppliers with the approved supplier list, and customers.
 * Other modules read it only through the service functions exported below.
 *
 * Service functions for other modules (all take the caller's `tx`, inside its tenant context):
 * - `getItem(tx, id)`, `itemNames(tx, ids)` (code and name of many items in one query), `findItemByCode(tx, code)`, `getPackagingLevels(tx, itemId)`, `getPackagingLevel(tx, itemId, level)`,
 *   `listDeviceIdentifiers(tx)` (every GTIN of every item, for the UDI database export), `convertQuantity(tx, itemId, qty, fromUnit, toUnit)` → decimal string
 * - `getItemRevision(tx, id)`, `getReleasedRevision(tx, itemId)` (the revision in force for new work)
 * - `getEffectiveBom(tx, itemRevisionId, onDate)`, `explodeBom(tx, itemRevisionId, quantity, onDate)`, `whereUsed(tx, itemId)`
 * - `getRouting(tx, itemRevisionId)`, `getWorkCenter(tx, id)`, `getEquipment(tx, id)` (with `calibrationOverdue`)
 * - `getLocation(tx, id)` (with `kind`: quarantine, released, rejected, production, shipping)
 * - `getSupplier(tx, id)`, `isSupplierApprovedFor(tx, supplierId, itemId, onDate)`, `getCustomer(tx, id)` (with ship-tos)
 */
import type { Module } from '../../platform/module.js';
import { MASTERDATA_EVENTS, MASTERDATA_PERMISSIONS, MASTERDATA_VOCABULARY } from './contract.js';
import { itemRoutes } from './items-routes.js';
import { supplierApprovalSignable } from './partners-decisions.js';
import { partnerRoutes } from './partners-routes.js';
import { MASTERDATA_RECORD_NAMES } from './record-names.js';
import { resourceRoutes } from './resources-routes.js';
import { itemRevisionSignable } from './revisions.js';
import { seedMasterdata } from './seed.js';

export { getEffectiveBom } from './bom.js';
export { explodeBom, whereUsed } from './bom-graph.js';
export * from './contract.js';
export { hasValidCheckDigit, isGtin } from './gtin.js';
export { convertQuantity, findItemByCode, getItem } from './items.js';
export { getLocation, getLocations, listLocations } from './locations.js';
export { isPlausibleMeasurement, type MeasurementBounds, measurementBounds } from './measurement.js';
export { type DeviceIdentifier, getPackagingLevel, getPackagingLevels, listDeviceIdentifiers } from './packaging.js';
export { getCustomer, getSupplier, isSupplierApprovedFor, listCustomers, listSuppliers } from './partners.js';
export { itemNames } from './record-names.js';
export { getEquipment, getWorkCenter, listEquipment } from './resources.js';
export { getItemRevision, getReleasedRevision } from './revisions.js';
export { getRouting } from './routing.js';
export { GLOBAL_UNITS, MAX_QUANTITY, quantityErrors } from './units.js';

export const masterdataModule: Module = {
  name: 'masterdata',
  events: MASTERDATA_EVENTS,
  vocabulary: MASTERDATA_VOCABULARY,
  signables: [itemRevisionSignable, supplierApprovalSignable],
  auditedTables: {
    units: 'masterdata:read',
    item_unit_conversions: 'masterdata:read',
    items: 'masterdata:read',
    item_packaging_levels: 'masterdata:read',
    item_revisions: 'masterdata:read',
    bom_lines: 'masterdata:read',
    routing_operations: 'masterdata:read',
    routing_operation_parameters: 'masterdata:read',
    work_centers: 'masterdata:read',
    equipment: 'masterdata:read',
    suppliers: 'masterdata:read',
    supplier_approvals: 'masterdata:read',
    customers: 'masterdata:read',
    customer_ship_tos: 'masterdata:read',
    storage_locations: 'masterdata:read',
  },
  recordNames: MASTERDATA_RECORD_NAMES,
  permissions: MASTERDATA_PERMISSIONS,
  routes(api) {
    itemRoutes(api);
    resourceRoutes(api);
    partnerRoutes(api);
  },
  seedDemo: seedMasterdata,
};
