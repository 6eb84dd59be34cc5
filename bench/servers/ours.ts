import { createRuntime } from '../../src/runtime/server';

// Our runtime as `npm start` runs it (default synchronous=FULL, default limits), logging only warnings.
const [port, dir] = [Number(process.argv[2]), process.argv[3]];
const runtime = createRuntime({ host: '127.0.0.1', port, dataDir: dir, adminToken: 'bench-admin-token-000000000000', logLevel: 'warn' });
runtime.listen().then(() => process.send?.('ready'));
process.on('SIGTERM', () => runtime.close().then(() => process.exit(0)));
