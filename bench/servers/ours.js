'use strict';
// Our runtime as `npm start` runs it: the compiled code in dist/ (run.ts builds it first), not ts-node, so its
// memory and start-up are the product's. Default limits (but the admin API's, below), at the sync level the bench asks for (FULL by default).
const { createRuntime } = require('../../dist/runtime/server');

// Drift bookkeeping and metrics stay on unless told `no-drift` or `no-metrics` (for the A/B of their cost);
// `allow-private` lets triggers forward to the bench's receiver on 127.0.0.1 (the paced-delivery run).
const [port, dir, sync] = [Number(process.argv[2]), process.argv[3], process.argv[4] === 'NORMAL' ? 'NORMAL' : 'FULL'];
const off = new Set(process.argv.slice(5));
// The bench polls the admin API every 50 ms until the pipeline drains, which can take minutes on a loaded machine.
const runtime = createRuntime({
  host: '127.0.0.1', port, dataDir: dir, adminToken: 'bench-admin-token-000000000000', logLevel: 'warn', sync,
  adminRequestsPerMinute: 1_000_000, drift: !off.has('no-drift'), metrics: !off.has('no-metrics'), allowPrivateDestinations: off.has('allow-private'),
});
runtime.listen().then(() => process.send?.('ready'));
process.on('SIGTERM', () => runtime.close().then(() => process.exit(0)));
