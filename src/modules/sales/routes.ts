import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { type App, inTenant, tenantOf } from '../../platform/http/app.js';
import { ifMatchVersions, setETag } from '../../platform/http/etag.js';
import { idempotent } from '../../platform/http/idempotency.js';
import { Page, PageQuery } from '../../platform/paging.js';
import { Currency, DecimalString, Id, IsoDate, Nullable, PlainText } from '../../platform/schema.js';
import { ITEM_TYPES } from '../masterdata/index.js';
import { LICENCE_KINDS, SALES_PERMISSIONS as P, SO_STATUSES } from './contract.js';
import { addLicence, customerTerms, revokeLicence, setLicenceRequired } from './licences.js';
import { createSalesOrder, listSalesOrders, salesOrderDetail, transitionSalesOrder, updateSalesOrder } from './orders.js';
import { describeShipment, listShipments, onTimeDelivery, searchSalesRecords } from './records.js';
import { returnRoutes } from './return-routes.js';
import { returnsOfShipment } from './returns.js';
import { checkScan, pickList } from './shipping.js';
import { salesSettings, setSalesSettings } from './sscc.js';

const Status = Type.Enum(SO_STATUSES);
const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

const LineInput = Type.Object(
  {
    itemId: Id,
    quantity: DecimalString({ description: "in the item's base unit; whole for counted units" }),
    unitPrice: DecimalString({ description: 'price per base unit, in the order currency' }),
    requestedDate: IsoDate,
  },
  { additionalProperties: false },
);

const Line = Type.Object({
  id: Id,
  lineNo: Type.Integer(),
  itemId: Id,
  quantity: DecimalString(),
  unitPrice: DecimalString(),
  requestedDate: IsoDate,
  shippedQuantity: DecimalString(),
  openQuantity: DecimalString(),
  lineTotal: DecimalString(),
});

const Order = Type.Object({
  id: Id,
  number: Type.String({ examples: ['SO-2026-00001'] }),
  customerId: Id,
  shipToId: Id,
  siteId: Id,
  currency: Currency,
  customerReference: Nullable(Type.String()),
  status: Status,
  notes: Nullable(Type.String()),
  total: DecimalString(),
  nextRequestedDate: Nullable(IsoDate),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  lines: Type.Array(Line),
});

const ShipmentLotInput = Type.Object(
  {
    lotId: Id,
    quantity: DecimalString({ description: "in the item's base unit; 1 for a serial" }),
    carton: Type.Optional(Type.Integer({ minimum: 1, maximum: 999 })),
  },
  { additionalProperties: false },
);

/** What the picker confirms: per order line, the exact lots and serials (the ship-order flow's request body). */
export const NewShipmentBody = Type.Object(
  {
    orderId: Id,
    shipToId: Type.Optional(Id),
    carrier: Type.Optional(PlainText(100)),
    trackingNumber: Type.Optional(PlainText(100)),
    cartons: Type.Optional(Type.Integer({ minimum: 1, maximum: 999 })),
    lines: Type.Array(
      Type.Object(
        { lineNo: Type.Integer({ minimum: 1, maximum: 10_000 }), lots: Type.Array(ShipmentLotInput, { minItems: 1, maxItems: 50_000 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
  },
  { additionalProperties: false },
);

export const RecordedShipmentSchema = Type.Object({
  id: Id,
  number: Type.String({ examples: ['SH-2026-00001'] }),
  orderId: Id,
  lotCount: Type.Integer(),
  quantity: DecimalString(),
  sscc: Type.Array(Type.String({ pattern: '^[0-9]{18}$' })),
});

const Licence = Type.Object({
  id: Id,
  customerId: Id,
  kind: Type.Enum(LICENCE_KINDS),
  number: Type.String(),
  issuedBy: Nullable(Type.String()),
  scope: Type.Array(Type.Enum(ITEM_TYPES)),
  validFrom: IsoDate,
  validTo: Nullable(IsoDate),
  revokedAt: Nullable(Type.String({ format: 'date-time' })),
  revokedReason: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});
const Terms = Type.Object({ customerId: Id, licenceRequired: Type.Boolean(), licences: Type.Array(Licence) });

const SalesRecord = Type.Object({
  id: Id,
  shipmentId: Id,
  shipmentNumber: Type.String(),
  orderId: Id,
  lineNo: Type.Integer(),
  cartonNo: Type.Integer(),
  customerId: Id,
  shipToId: Id,
  shipToText: Type.String(),
  itemId: Id,
  lotId: Id,
  lotKind: Type.String(),
  lotNumber: Type.String(),
  expiresOn: Nullable(IsoDate),
  quantity: DecimalString(),
  shippedOn: IsoDate,
  udi: Nullable(Type.String()),
  udiHri: Nullable(Type.String()),
});

export function salesRoutes(app: App): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['sales'];

  api.get(
    '/sales/orders',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'Sales orders, newest first',
        querystring: PageQuery([], {
          customerId: Type.Optional(Id),
          status: Type.Optional(Status),
          q: Type.Optional(
            Type.String({ minLength: 1, maxLength: 40, description: "part of the order number or the customer's reference" }),
          ),
          toShip: Type.Optional(Type.Boolean({ description: 'only confirmed and partially shipped orders' })),
          late: Type.Optional(Type.Boolean({ description: 'only orders to ship with a line past its requested date' })),
        }),
        response: { 200: Page(Order) },
      },
    },
    async (request) => inTenant(request, (tx) => listSalesOrders(tx, request.query)),
  );

  api.post(
    '/sales/orders',
    {
      config: { permission: P.order, idempotent: true },
      schema: {
        tags,
        summary: 'Create a sales order (draft)',
        body: Type.Object(
          {
            customerId: Id,
            shipToId: Id,
            siteId: Id,
            currency: Currency,
            customerReference: Type.Optional(PlainText(80)),
            notes: Type.Optional(Type.String({ maxLength: 2000 })),
            lines: Type.Array(LineInput, { minItems: 1, maxItems: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Order },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => {
        const created = await createSalesOrder(tx, request.body);
        setETag(reply, created.version);
        return { status: 201, body: created };
      }),
  );

  api.get(
    '/sales/orders/:id',
    {
      config: { permission: P.read },
      schema: { tags, summary: 'A sales order with its shipments and allowed next steps', params: IdParams },
    },
    async (request, reply) => {
      const detail = await inTenant(request, async (tx) => ({
        ...(await salesOrderDetail(tx, request.params.id)),
        shipments: await listShipments(tx, request.params.id),
      }));
      return setETag(reply, detail.version).send(detail);
    },
  );

  api.patch(
    '/sales/orders/:id',
    {
      config: { ifMatch: true, permission: P.order },
      schema: {
        tags,
        summary: 'Change a draft order (If-Match required); `lines` replaces every line',
        params: IdParams,
        body: Type.Object(
          {
            shipToId: Type.Optional(Id),
            currency: Type.Optional(Currency),
            customerReference: Type.Optional(Nullable(PlainText(80))),
            notes: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
            lines: Type.Optional(Type.Array(LineInput, { minItems: 1, maxItems: 200 })),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Order },
      },
    },
    async (request, reply) => {
      const versions = ifMatchVersions(request);
      const updated = await inTenant(request, (tx) => updateSalesOrder(tx, request.params.id, versions, request.body));
      return setETag(reply, updated.version).send(updated);
    },
  );

  for (const [verb, to, summary] of [
    ['confirm', 'confirmed', 'Confirm a draft order (refused with error.sales.licence.* when the customer may not buy it)'],
    ['close', 'closed', 'Close a shipped or partially shipped order'],
    ['cancel', 'cancelled', 'Cancel an order before anything ships (reason required)'],
  ] as const) {
    api.post(
      `/sales/orders/:id/${verb}`,
      {
        config: { permission: P.order, idempotent: true },
        schema: {
          tags,
          summary,
          params: IdParams,
          body: Type.Object({ comment: Type.Optional(PlainText(500)) }, { additionalProperties: false }),
          response: { 200: Order },
        },
      },
      async (request, reply) =>
        idempotent(request, reply, async (tx) => ({
          status: 200,
          body: await transitionSalesOrder(tx, tenantOf(request), request.params.id, { to, comment: request.body?.comment }),
        })),
    );
  }

  api.get(
    '/sales/orders/:id/pick-list',
    {
      config: { permission: P.read },
      schema: { tags, summary: 'Released lots to pick per open line, first expiry first', params: IdParams },
    },
    async (request) => inTenant(request, (tx) => pickList(tx, request.params.id)),
  );

  api.post(
    '/sales/orders/:id/scan',
    {
      config: { permission: P.ship },
      schema: {
        tags,
        summary:
          'Check a scanned lot or serial against the order (GS1 element string, printed form, Digital Link or plain number); writes nothing',
        params: IdParams,
        body: Type.Object({ scan: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
      },
    },
    async (request) => inTenant(request, (tx) => checkScan(tx, request.params.id, request.body.scan)),
  );

  api.get(
    '/sales/shipments/:id',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: "A shipment as its packing list and certificate of conformity show it, with the customer's returns against it",
        params: IdParams,
      },
    },
    async (request) =>
      inTenant(request, async (tx) => ({
        ...(await describeShipment(tx, request.params.id)),
        returns: await returnsOfShipment(tx, request.params.id),
      })),
  );

  api.get(
    '/sales/records',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'Sales records (distribution records) by lot or serial, customer or shipment',
        querystring: PageQuery([], {
          lot: Type.Optional(PlainText(80)),
          lotId: Type.Optional(Id),
          customerId: Type.Optional(Id),
          shipmentId: Type.Optional(Id),
        }),
        response: { 200: Page(SalesRecord) },
      },
    },
    async (request) => inTenant(request, (tx) => searchSalesRecords(tx, request.query)),
  );

  api.get(
    '/sales/kpi/on-time-delivery',
    {
      config: { permission: P.read },
      schema: {
        tags,
        summary: 'On-time delivery per month: order lines completed on or before their requested date',
        querystring: Type.Object({ from: IsoDate, to: IsoDate }, { additionalProperties: false }),
        response: {
          200: Type.Array(
            Type.Object({ period: Type.String(), lines: Type.Integer(), onTime: Type.Integer(), percent: Nullable(DecimalString()) }),
          ),
        },
      },
    },
    async (request) => inTenant(request, (tx) => onTimeDelivery(tx, request.query.from, request.query.to)),
  );

  api.get(
    '/sales/customers/:id/licences',
    {
      config: { permission: P.read },
      schema: { tags, summary: "A customer's licences and whether it needs one", params: IdParams, response: { 200: Terms } },
    },
    async (request) => inTenant(request, (tx) => customerTerms(tx, request.params.id)),
  );

  api.put(
    '/sales/customers/:id/terms',
    {
      config: { permission: P.licence },
      schema: {
        tags,
        summary: 'Whether the customer needs a valid licence to buy',
        params: IdParams,
        body: Type.Object({ licenceRequired: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: Terms },
      },
    },
    async (request) => inTenant(request, (tx) => setLicenceRequired(tx, request.params.id, request.body.licenceRequired)),
  );

  api.post(
    '/sales/customers/:id/licences',
    {
      config: { permission: P.licence, idempotent: true },
      schema: {
        tags,
        summary: "Record a customer's licence (number, kind, scope of item types, validity)",
        params: IdParams,
        body: Type.Object(
          {
            kind: Type.Enum(LICENCE_KINDS),
            number: PlainText(80),
            issuedBy: Type.Optional(PlainText(200)),
            scope: Type.Array(Type.Enum(ITEM_TYPES), { minItems: 1, maxItems: 10 }),
            validFrom: IsoDate,
            validTo: Type.Optional(Nullable(IsoDate)),
          },
          { additionalProperties: false },
        ),
        response: { 201: Licence },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async (tx) => ({ status: 201, body: await addLicence(tx, request.params.id, request.body) })),
  );

  api.post(
    '/sales/customers/:id/licences/:licenceId/revoke',
    {
      config: { permission: P.licence },
      schema: {
        tags,
        summary: 'Revoke a licence (kept, with the reason)',
        params: Type.Object({ id: Id, licenceId: Id }, { additionalProperties: false }),
        body: Type.Object({ reason: PlainText(500) }, { additionalProperties: false }),
        response: { 200: Licence },
      },
    },
    async (request) => inTenant(request, (tx) => revokeLicence(tx, request.params.id, request.params.licenceId, request.body.reason)),
  );

  const Settings = Type.Object(
    { gs1CompanyPrefix: Type.String({ pattern: '^[0-9]{6,12}$' }), ssccExtension: Type.Integer({ minimum: 0, maximum: 9 }) },
    { additionalProperties: false },
  );
  api.get(
    '/sales/settings',
    {
      config: { permission: P.read },
      schema: { tags, summary: 'GS1 company prefix and SSCC extension digit', response: { 200: Nullable(Settings) } },
    },
    async (request) => inTenant(request, async (tx) => (await salesSettings(tx)) ?? null),
  );
  api.put(
    '/sales/settings',
    {
      config: { permission: P.licence },
      schema: { tags, summary: 'Set the GS1 company prefix and SSCC extension digit', body: Settings, response: { 200: Settings } },
    },
    async (request) => inTenant(request, (tx) => setSalesSettings(tx, request.body)),
  );

  returnRoutes(app);
}
