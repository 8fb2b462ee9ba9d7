import { addDays } from '../../platform/dates.js';
import { sql, type Tx } from '../../platform/db/index.js';
import type { DemoSeed } from '../../platform/module.js';
import { siteToday, systemContext } from '../../platform/tenancy/index.js';
import { setBom } from './bom.js';
import { completeGtin } from './gtin.js';
import { createItem, type Item, type NewItem } from './items.js';
import { createLocation } from './locations.js';
import { createCustomer, createSupplier, setSupplierApproval } from './partners.js';
import { createEquipment, createWorkCenter } from './resources.js';
import { createNextRevision, getReleasedRevision, listItemRevisions, transitionRevision } from './revisions.js';
import { setRouting } from './routing.js';
import { createUnit } from './uom.js';

/**
 * Demo master data of a small device maker in Suzhou: a sterile single-use infusion set (lot
 * controlled, EO sterilised by a subcontractor) and a reusable electronic thermometer (serial
 * controlled), with their parts, BOMs, routings, resources, suppliers, customers and locations.
 */
export async function seedMasterdata(tx: Tx, seed: DemoSeed): Promise<void> {
  const ctx = systemContext(seed.tenantId, 'seed:masterdata', seed.siteId);
  for (const u of PACKS) await createUnit(tx, u);

  const item = async (input: NewItem): Promise<Item> => createItem(tx, input);
  const gtin = (body: string) => completeGtin(body);
  const part = (code: string, name: string, type: NewItem['type'], baseUnit = 'ea', tracking: NewItem['tracking'] = 'lot') =>
    item({ code, name, type, baseUnit, tracking });

  // Infusion set and its parts.
  const tubing = await part('PVC-TUBE-3MM', 'Medical PVC tubing 3.0 × 4.1 mm, DEHP-free', 'raw', 'm');
  const dripChamber = await part('DRIP-CH-15', 'Drip chamber with 15 µm fluid filter', 'component');
  const rollerClamp = await part('ROLLER-CLAMP', 'Roller clamp, ABS', 'component');
  const luer = await part('LUER-LOCK-M', 'Luer lock connector, male, with cap', 'component');
  const spike = await part('SPIKE-VENT', 'Bottle spike with air vent', 'component');
  const pouch = await part('POUCH-STER', 'Sterile barrier pouch, Tyvek/PET-PE peel', 'packaging');
  const label = await part('LBL-IS200', 'Label IS-200 with UDI (GS1 DataMatrix)', 'label');
  const carton = await item({
    code: 'CTN-50',
    name: 'Shipping carton for 50 infusion sets',
    type: 'packaging',
    baseUnit: 'ea',
    tracking: 'none',
  });
  const line = await part('IS-200-SA', 'Infusion line sub-assembly, non-sterile', 'sub_assembly');
  const infusionSet = await item({
    code: 'IS-200',
    name: 'Infusion set, sterile, single use, 150 cm, 20 drops/mL',
    type: 'finished_device',
    baseUnit: 'ea',
    tracking: 'lot',
    shelfLifeDays: 1095,
    gtin: gtin('694123450001'),
    conversions: [{ unit: 'carton', factor: '50' }],
  });

  // Thermometer and its parts.
  const pcba = await part('PCBA-TH300', 'PCBA, thermometer main board', 'sub_assembly', 'ea', 'serial');
  const probe = await part('PROBE-NTC', 'NTC temperature probe, 10 kΩ', 'component');
  const housing = await part('HOUSING-TH300', 'Housing set, ABS/TPE, upper and lower', 'component');
  const battery = await part('BAT-CR2032', 'Lithium coin cell CR2032, 3 V', 'component');
  const ifu = await part('IFU-TH300', 'Instructions for use TH-300, EN/ZH', 'label');
  const box = await part('BOX-TH300', 'Retail box TH-300', 'packaging');
  const thermometer = await item({
    code: 'TH-300',
    name: 'Electronic clinical thermometer, reusable',
    type: 'finished_device',
    baseUnit: 'ea',
    tracking: 'serial',
    gtin: gtin('694123450002'),
  });

  // Resources.
  const wc = async (code: string, name: string, hours: string, extra: { workingDays?: number[]; subcontracted?: boolean } = {}) =>
    createWorkCenter(tx, { code, name, siteId: seed.siteId, capacityHoursPerDay: hours, ...extra });
  const cleanRoom = await wc('CR-ASSY', 'Clean-room assembly (ISO 7)', '16');
  const packaging = await wc('PACK', 'Packaging and labelling', '8');
  const eo = await wc('EO-STER', 'EO sterilisation (subcontract)', '24', { workingDays: [1, 2, 3, 4, 5, 6, 7], subcontracted: true });
  const electronics = await wc('ELEC-ASSY', 'Electronics assembly', '8');
  const finalTest = await wc('FINAL-TEST', 'Final test and inspection', '8');
  const today = await siteToday(tx, seed.siteId);
  const due = (days: number) => addDays(today, days);
  for (const [code, name, workCenterId, calibrationDue] of [
    ['UV-BOND-01', 'UV bonding station', cleanRoom.id, due(150)],
    ['LEAK-01', 'Pressure decay leak tester', cleanRoom.id, due(-12)],
    ['SEAL-01', 'Pouch heat sealer', packaging.id, due(75)],
    ['PRINT-01', 'Thermal transfer label printer', packaging.id, null],
    ['SOLDER-01', 'Soldering station', electronics.id, due(200)],
    ['BATH-01', 'Reference temperature bath', finalTest.id, due(40)],
  ] as const) {
    await createEquipment(tx, { code, name, workCenterId, calibrationDue });
  }

  // BOMs and routings of revision A, then released.
  const revA = async (i: Item) => (await listItemRevisions(tx, i.id))[0]!.id;
  await setBom(tx, await revA(line), [
    { lineNo: 10, componentItemId: tubing.id, quantityPer: '150', unit: 'cm', scrapFactor: '0.02' },
    { lineNo: 20, componentItemId: dripChamber.id, quantityPer: '1', unit: 'ea', scrapFactor: '0.01' },
    { lineNo: 30, componentItemId: rollerClamp.id, quantityPer: '1', unit: 'ea' },
    { lineNo: 40, componentItemId: luer.id, quantityPer: '1', unit: 'ea' },
    { lineNo: 50, componentItemId: spike.id, quantityPer: '1', unit: 'ea' },
  ]);
  await setRouting(tx, await revA(line), [
    { sequence: 10, name: 'Cut tubing and bond components', workCenterId: cleanRoom.id, setupMinutes: '20', runMinutesPerUnit: '0.8' },
    {
      sequence: 20,
      name: 'Leak test',
      workCenterId: cleanRoom.id,
      setupMinutes: '10',
      runMinutesPerUnit: '0.3',
      inspectionPoints: ['Leak test at 50 kPa, 10 s, no pressure drop', 'Visual: no particles, no kinks'],
    },
  ]);
  await setBom(tx, await revA(infusionSet), [
    { lineNo: 10, componentItemId: line.id, quantityPer: '1', unit: 'ea', scrapFactor: '0.005' },
    { lineNo: 20, componentItemId: pouch.id, quantityPer: '1', unit: 'ea', scrapFactor: '0.01' },
    { lineNo: 30, componentItemId: label.id, quantityPer: '1', unit: 'ea', scrapFactor: '0.02' },
    { lineNo: 40, componentItemId: carton.id, quantityPer: '0.02', unit: 'ea' },
  ]);
  await setRouting(tx, await revA(infusionSet), [
    {
      sequence: 10,
      name: 'Pouch and seal',
      workCenterId: packaging.id,
      setupMinutes: '15',
      runMinutesPerUnit: '0.2',
      inspectionPoints: ['Seal width ≥ 6 mm, no channels'],
    },
    {
      sequence: 20,
      name: 'Label with UDI',
      workCenterId: packaging.id,
      setupMinutes: '10',
      runMinutesPerUnit: '0.1',
      inspectionPoints: ['UDI grade ≥ C, text matches lot'],
    },
    { sequence: 30, name: 'EO sterilisation', workCenterId: eo.id, runMinutesPerUnit: '0.05' },
    {
      sequence: 40,
      name: 'Final release inspection',
      workCenterId: finalTest.id,
      setupMinutes: '30',
      inspectionPoints: ['Sterilisation record and BI results reviewed'],
    },
  ]);
  await setBom(tx, await revA(pcba), []);
  await setBom(tx, await revA(thermometer), [
    { lineNo: 10, componentItemId: pcba.id, quantityPer: '1', unit: 'ea', referenceDesignator: 'A1' },
    { lineNo: 20, componentItemId: probe.id, quantityPer: '1', unit: 'ea', scrapFactor: '0.01', referenceDesignator: 'RT1' },
    { lineNo: 30, componentItemId: housing.id, quantityPer: '1', unit: 'ea' },
    { lineNo: 40, componentItemId: battery.id, quantityPer: '1', unit: 'ea', referenceDesignator: 'BT1' },
    { lineNo: 50, componentItemId: ifu.id, quantityPer: '1', unit: 'ea' },
    { lineNo: 60, componentItemId: box.id, quantityPer: '1', unit: 'ea' },
  ]);
  await setRouting(tx, await revA(thermometer), [
    {
      sequence: 10,
      name: 'Assemble probe, board, battery and housing',
      workCenterId: electronics.id,
      setupMinutes: '15',
      runMinutesPerUnit: '4',
    },
    {
      sequence: 20,
      name: 'Accuracy test in reference bath',
      workCenterId: finalTest.id,
      setupMinutes: '20',
      runMinutesPerUnit: '2',
      inspectionPoints: ['Accuracy ±0.1 °C at 37.0 °C', 'Display and battery check'],
    },
    { sequence: 30, name: 'Pack with IFU', workCenterId: packaging.id, runMinutesPerUnit: '0.5' },
  ]);
  const all = [
    tubing,
    dripChamber,
    rollerClamp,
    luer,
    spike,
    pouch,
    label,
    carton,
    line,
    infusionSet,
    pcba,
    probe,
    housing,
    battery,
    ifu,
    box,
    thermometer,
  ];
  for (const i of all) await releaseAsDemo(tx, ctx, await revA(i));

  // A change under review: revision B of the thermometer, new housing seal ring.
  const revB = await createNextRevision(tx, thermometer.id, 'Add housing seal ring for IP22');
  const sealRing = await part('SEAL-RING-TH', 'Silicone seal ring for TH-300 housing', 'component');
  await releaseAsDemo(tx, ctx, await revA(sealRing));
  const bomB = (
    await tx.query<{
      lineNo: number;
      componentItemId: string;
      quantityPer: string;
      unit: string;
      scrapFactor: string;
      referenceDesignator: string | null;
    }>(
      sql`SELECT line_no AS "lineNo", component_item_id AS "componentItemId", quantity_per::text AS "quantityPer", unit,
      scrap_factor::text AS "scrapFactor", reference_designator AS "referenceDesignator" FROM bom_lines WHERE item_revision_id = ${revB.id}`,
    )
  ).rows;
  await setBom(tx, revB.id, [...bomB, { lineNo: 35, componentItemId: sealRing.id, quantityPer: '1', unit: 'ea', scrapFactor: '0.02' }]);
  await transitionRevision(tx, ctx, null, revB.id, { to: 'in_review' });

  // Suppliers and the approved supplier list; the battery trader failed its audit.
  const supplier = (code: string, name: string, city: string, contactName: string) =>
    createSupplier(tx, { code, name, contactName, addressLine1: 'Industrial Park Road 8', city, country: 'CN' });
  const polymers = await supplier('SUP-POLY', 'Jiangsu Medical Polymers Co., Ltd.', 'Changzhou', 'Wang Li');
  const moulding = await supplier('SUP-MOULD', 'Ningbo Precision Moulding Co., Ltd.', 'Ningbo', 'Chen Jie');
  const sterilePack = await supplier('SUP-PACK', 'Shanghai Sterile Packaging Co., Ltd.', 'Shanghai', 'Zhao Min');
  const ems = await supplier('SUP-EMS', 'Shenzhen EMS Electronics Co., Ltd.', 'Shenzhen', 'Liu Yang');
  const batteries = await supplier('SUP-BATT', 'Battery World Trading Co.', 'Guangzhou', 'Huang Wei');
  const approve = (
    s: { id: string },
    i: Item,
    status: 'approved' | 'conditional' | 'disqualified',
    evidence: string,
    expiresOn: string | null,
  ) => setSupplierApproval(tx, s.id, i.id, { status, evidence, expiresOn });
  await approve(polymers, tubing, 'approved', 'On-site audit 2026-03, ISO 13485 certificate, biocompatibility ISO 10993 report', due(300));
  for (const i of [dripChamber, rollerClamp, luer])
    await approve(moulding, i, 'approved', 'Audit 2026-01; PPAP and first-article inspection passed', due(400));
  await approve(moulding, spike, 'conditional', 'First article passed; 100% incoming inspection of vent until 3 lots accepted', due(90));
  for (const i of [pouch, carton, label, box, ifu])
    await approve(sterilePack, i, 'approved', 'ISO 11607 validation report and audit 2025-11', due(250));
  for (const i of [pcba, probe, housing, sealRing])
    await approve(ems, i, 'approved', 'Process audit 2026-02; IPC-A-610 class 2 capability', due(365));
  await approve(
    batteries,
    battery,
    'disqualified',
    'Supplier audit 2026-05 failed: no cell lot traceability, no IEC 60086 test reports',
    null,
  );

  // Customers with ship-to addresses.
  await createCustomer(tx, {
    code: 'CUST-EMHG',
    name: 'Eastern Medical Hospital Group',
    contactName: 'Procurement Dept.',
    shipTos: [
      {
        code: 'CENTRAL',
        name: 'Eastern Central Hospital, central sterile supply',
        addressLine1: 'Renmin Road 100',
        city: 'Shanghai',
        country: 'CN',
      },
      {
        code: 'PUDONG',
        name: 'Eastern Pudong Hospital, pharmacy store',
        addressLine1: 'Century Avenue 1200',
        city: 'Shanghai',
        country: 'CN',
      },
    ],
  });
  await createCustomer(tx, {
    code: 'CUST-MSD',
    name: 'MedSupply Distribution GmbH',
    contactName: 'Order desk',
    email: 'orders@medsupply.example',
    shipTos: [
      {
        code: 'HAM',
        name: 'MedSupply central warehouse',
        addressLine1: 'Hafenstraße 12',
        postalCode: '20457',
        city: 'Hamburg',
        country: 'DE',
      },
    ],
  });

  // Storage locations of the first site.
  for (const [warehouse, zone, bin, name, kind] of [
    ['WH1', 'RCV', null, 'Receiving quarantine', 'quarantine'],
    ['WH1', 'RM', 'A-01', 'Raw-material store, rack A', 'released'],
    ['WH1', 'RM', 'B-01', 'Raw-material store, rack B', 'released'],
    ['PROD', 'LINE1', null, 'Production line 1, clean room', 'production'],
    ['WH1', 'FG', null, 'Finished goods', 'released'],
    ['WH1', 'REJ', null, 'Rejected material cage (locked)', 'rejected'],
    ['WH1', 'SHIP', null, 'Shipping dock', 'shipping'],
  ] as const) {
    await createLocation(tx, { siteId: seed.siteId, warehouse, zone, bin, name, kind });
  }
  if (!(await getReleasedRevision(tx, infusionSet.id))) throw new Error('demo infusion set has no released revision');
}

const PACKS = [
  { code: 'carton', name: 'carton' },
  { code: 'box', name: 'box' },
];

/**
 * Demo history: revisions that were released before the tenant existed, recorded as such. Real
 * releases go through `transitionRevision` with the signer's credentials.
 */
async function releaseAsDemo(tx: Tx, ctx: ReturnType<typeof systemContext>, revisionId: string): Promise<void> {
  await transitionRevision(tx, ctx, null, revisionId, { to: 'in_review' });
  await tx.query(sql`UPDATE item_revisions SET status = 'released', released_at = now()
    WHERE id = ${revisionId} AND status = 'in_review'`);
}
