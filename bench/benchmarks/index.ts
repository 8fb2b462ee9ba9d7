import type { Benchmark } from '../lib.js';
import { auditChain } from './audit-chain.js';
import { auditOverhead } from './audit-overhead.js';
import { authentication } from './authentication.js';
import { genealogyTrace } from './genealogy.js';
import { inventoryOnHand, inventoryWrites } from './inventory.js';
import { outboxDispatch } from './outbox.js';
import { productionExecution } from './production.js';
import { recallQuery } from './recall.js';
import { shipmentOfSerials } from './shipment.js';

/** Every benchmark `npm run bench` runs, in order. Add a file here to add a benchmark. */
export const benchmarks: Benchmark[] = [
  auditOverhead,
  auditChain,
  authentication,
  outboxDispatch,
  inventoryWrites,
  inventoryOnHand,
  shipmentOfSerials,
  productionExecution,
  genealogyTrace,
  recallQuery,
];
