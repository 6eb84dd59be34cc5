import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { ChildProcess, execFileSync, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Load, pacedLoad } from './paced';
import { metricsMicrosPerEvent } from './metrics-calls';
import { pacedDelivery, PacedDelivery } from './paced-delivery';
import { parseSize, saleTemplate } from './payloads';

interface Options {
  duration: number;
  connections: number;
  body: number;
  sync: 'FULL' | 'NORMAL';
  /** Interleaved pairs of pipeline runs with drift bookkeeping on and off, and with metrics on and off. */
  driftPairs: number;
  /** `--only-drift`: run just the drift pairs (a quick A/B while changing the bookkeeping). */
  onlyDrift: boolean;
  /** `--only-metrics`: run just the metrics pairs. */
  onlyMetrics: boolean;
  /** `--only-paced`: run just the paced-delivery measurement. */
  onlyPaced: boolean;
  /** `--only-pipeline`: the SQLite floor and ours, interleaved `repeats` times: the acknowledgement ratio alone. */
  onlyPipeline: boolean;
  /** `--only-pull`: the pull floor and our pull over `events` posted sale events each, interleaved three times. */
  onlyPull: boolean;
  events: number;
  /** How many interleaved floor/ours pairs the pipeline ratio and the half-rate p99 take the median of. */
  repeats: number;
}

/** A part of the pipeline whose cost the bench measures by turning it off, with its goal. */
type Feature = { name: 'drift' | 'metrics'; label: string; goal: number };
const DRIFT: Feature = { name: 'drift', label: 'drift bookkeeping', goal: 0.05 };
const METRICS: Feature = { name: 'metrics', label: 'metrics collection', goal: 0.03 };

const ADMIN = 'bench-admin-token-000000000000';

function options(argv: string[]): Options {
  const value = (flag: string, fallback: string) => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : fallback;
  };
  const sync = value('--sync', 'full').toUpperCase() === 'NORMAL' ? 'NORMAL' : 'FULL';
  return {
    duration: Number(value('--duration', '8')),
    connections: Number(value('--connections', '50')),
    body: parseSize(value('--body', '5k')),
    sync,
    driftPairs: Number(value('--drift-pairs', '2')),
    onlyDrift: argv.includes('--only-drift'),
    onlyMetrics: argv.includes('--only-metrics'),
    onlyPaced: argv.includes('--only-paced'),
    onlyPipeline: argv.includes('--only-pipeline'),
    onlyPull: argv.includes('--only-pull'),
    events: Number(value('--events', '20000')),
    repeats: Math.max(1, Number(value('--repeats', '3'))),
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts one server file as its own process (TypeScript through ts-node) and waits until it listens. */
async function startServer(file: string, dir: string, extra: string[] = []): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const execArgv = file.endsWith('.ts') ? ['-r', 'ts-node/register/transpile-only'] : [];
  const child = fork(join(__dirname, 'servers', file), [String(port), dir, ...extra], { execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
  return { child, port };
}

/** The mapping micro-benchmark (bench/mapping.ts), in a process of its own: bundles/s per core per module. */
async function mappingInOwnProcess(): Promise<Record<string, number>> {
  const child = fork(join(__dirname, 'mapping-process.ts'), [], { execArgv: ['-r', 'ts-node/register/transpile-only'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (result) => resolve(result as Record<string, number>));
    child.once('exit', (code) => reject(new Error(`the mapping benchmark exited with ${code}`)));
  });
}

/** The peak resident memory of a process so far (Linux VmHWM), in MB; undefined where /proc does not tell. */
function peakRssMb(child: ChildProcess): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}

/** The SQLite floor, fresh, paced at `rate` (our half rate): the latency any durable receiver pays on this disk at that rate. */
async function floorAtRate(dir: string, template: string, rate: number, opts: Options): Promise<Load> {
  mkdirSync(dir, { recursive: true });
  const server = await startServer('floor-sqlite.ts', dir, [opts.sync]);
  try {
    return await pacedLoad(`http://127.0.0.1:${server.port}/`, (n) => template.replace('__N__', String(n)), rate, opts.duration, opts.connections);
  } finally {
    await stop(server.child);
  }
}

/** Ours, fresh, paced at `rate` after a warm-up at that rate (the first run's half rate follows a full load on a warm runtime). */
async function oursAtRate(dir: string, template: string, rate: number, opts: Options): Promise<Load> {
  const server = await startServer('ours.js', dir, [opts.sync]);
  try {
    const hook = (await api(server.port, '/api/webhooks')).items[0];
    await pacedLoad(hook.url, (n) => template.replace('__N__', `warm_${n}`), rate, 2, opts.connections);
    await backgroundDrained(server.port);
    return await pacedLoad(hook.url, (n) => template.replace('__N__', String(n)), rate, opts.duration, opts.connections);
  } finally {
    await stop(server.child);
  }
}

/** The middle value (the upper middle of an even count). */
function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

/** Starts a server, drives it at full load, stops it. */
async function measure(file: string, dir: string, path: string, template: string, opts: Options, extra: string[] = []): Promise<Load> {
  mkdirSync(dir, { recursive: true });
  const server = await startServer(file, dir, extra);
  const load = await drive(`http://127.0.0.1:${server.port}${path}`, template, opts);
  await stop(server.child);
  return load;
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Drives a URL with autocannon; every request carries a different order id (no dedupe hits). */
async function drive(url: string, template: string, opts: Options): Promise<Load> {
  let counter = 0;
  const result = await autocannon({
    url,
    method: 'POST',
    connections: opts.connections,
    duration: opts.duration,
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (request) => ({ ...request, body: template.replace('__N__', String(counter++)) }) }],
  });
  return {
    rps: Math.round(result.requests.average),
    ok: result['2xx'],
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

async function api(port: number, path: string, method = 'GET', body?: unknown): Promise<any> {
  const headers = { authorization: `Bearer ${ADMIN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok && path !== '/health') throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

/** Paced triggers (a slow and a fast maxPerSecond) on a fresh runtime: their delivery rates against their settings. */
async function pacedDeliveries(dir: string, opts: Options): Promise<PacedDelivery[]> {
  const server = await startServer('ours.js', dir, [opts.sync, 'allow-private']);
  try {
    const call = (method: string, path: string, body?: unknown) => api(server.port, path, method, body);
    const runs = [await pacedDelivery(call, 5, 27), await pacedDelivery(call, 20, 102)];
    for (const run of runs) console.log(`paced delivery: ${run.perSecond} deliveries/s against maxPerSecond ${run.maxPerSecond} (${run.deliveries} deliveries), ratio ${run.ratio} (goal: ≥ 0.9, and ≤ 1 but for a few ms of arrival jitter over the run)`);
    return runs;
  } finally {
    await stop(server.child);
  }
}

/** Follows a cursor from the start to the last page (1000 a page): the items, how many came twice, their events. */
async function pullPages(port: number, pagePath: (after: string) => string): Promise<{ bundles: number; duplicated: number; events: number }> {
  const seen = new Set<number>();
  let bundles = 0;
  let duplicated = 0;
  for (let after = '0'; ; ) {
    const page = await api(port, pagePath(after));
    for (const bundle of page.items) {
      if (seen.has(bundle.eventId)) duplicated += 1;
      seen.add(bundle.eventId);
    }
    bundles += page.items.length;
    if (!page.hasMore) break;
    after = page.next;
  }
  return { bundles, duplicated, events: seen.size };
}

/**
 * Pulls every bundle of the sale and customer triggers (cursor paging, 1000 a page): counts and timing, and each
 * trigger's bundles per second (a sale's bundle is about its body's size, a customer's an eighth of it).
 */
async function pullAll(port: number): Promise<{ bundles: number; duplicated: number; ms: number; perSecond: Record<string, number> }> {
  const hook = (await api(port, '/api/webhooks')).items[0];
  const triggers = (await api(port, `/api/webhooks/${hook.id}/triggers`)).items.filter((t: { module: string }) => ['watch-one-time-sale', 'watch-customers'].includes(t.module));
  let bundles = 0;
  let duplicated = 0;
  const perSecond: Record<string, number> = {};
  const started = process.hrtime.bigint();
  for (const trigger of triggers) {
    const triggerStarted = process.hrtime.bigint();
    const pulled = await pullPages(port, (after) => `/api/triggers/${trigger.id}/bundles?after=${after}&limit=1000`);
    bundles += pulled.bundles;
    duplicated += pulled.duplicated;
    perSecond[trigger.module] = Math.round(pulled.bundles / (Number(process.hrtime.bigint() - triggerStarted) / 1e9));
  }
  return { bundles, duplicated, ms: Number(process.hrtime.bigint() - started) / 1e6, perSecond };
}

/** A pull's figures: the events read, the bundles (or raw bodies) pulled, and how many per second. */
interface PullRate {
  events: number;
  bundles: number;
  bundlesPerSecond: number;
}

/**
 * The pull floor (bench/servers/pull-floor.ts) over the SQLite floor's store in `dir`, pulled by the same client
 * loop: twice through, as ours pulls the sale and the customer trigger of each event.
 */
async function pullFloorRate(dir: string): Promise<PullRate> {
  const server = await startServer('pull-floor.ts', dir);
  try {
    let bundles = 0;
    let events = 0;
    const started = process.hrtime.bigint();
    for (let pass = 0; pass < 2; pass += 1) {
      const pulled = await pullPages(server.port, (after) => `/pull?after=${after}&limit=1000`);
      bundles += pulled.bundles;
      events = pulled.events;
    }
    return { events, bundles, bundlesPerSecond: Math.round(bundles / (Number(process.hrtime.bigint() - started) / 1e9)) };
  } finally {
    await stop(server.child);
  }
}

/** Posts `count` sale events (each a different order) to a URL. */
async function postEvents(url: string, template: string, count: number, opts: Options): Promise<void> {
  let counter = 0;
  const result = await autocannon({
    url,
    method: 'POST',
    connections: opts.connections,
    amount: count,
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (request) => ({ ...request, body: template.replace('__N__', String(counter++)) }) }],
  });
  if (result.non2xx + result.errors + result.timeouts > 0) throw new Error(`posting ${count} events: ${result.non2xx} answers not 2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
}

/** `--only-pull`: the SQLite floor's store and ours filled with the same number of sales, then both pulled, interleaved. */
async function pullOnly(root: string, template: string, opts: Options): Promise<void> {
  const floorDir = join(root, 'floor-sqlite');
  mkdirSync(floorDir, { recursive: true });
  const floor = await startServer('floor-sqlite.ts', floorDir, [opts.sync]);
  await postEvents(`http://127.0.0.1:${floor.port}/`, template, opts.events, opts);
  await stop(floor.child);
  const ours = await startServer('ours.js', join(root, 'ours'), [opts.sync]);
  try {
    await postEvents((await api(ours.port, '/api/webhooks')).items[0].url, template, opts.events, opts);
    await backgroundDrained(ours.port);
    for (let turn = 0; turn < 3; turn += 1) {
      const floorRate = await pullFloorRate(floorDir);
      const pulled = await pullAll(ours.port);
      const rate = Math.round(pulled.bundles / (pulled.ms / 1000));
      const sale = pulled.perSecond['watch-one-time-sale'];
      console.log(`pull: ${pulled.bundles} bundles at ${rate} bundles/s (${round1(1e6 / rate)} µs each; sales alone ${sale}/s, ${round1(1e6 / sale)} µs); pull floor ${floorRate.bundles} raw bodies at ${floorRate.bundlesPerSecond}/s (${round1(1e6 / floorRate.bundlesPerSecond)} µs each); ratio ${round(rate / floorRate.bundlesPerSecond)}, sales alone ${round(sale / floorRate.bundlesPerSecond)}`);
    }
  } finally {
    await stop(ours.child);
  }
}

/** Waits until the background pass has processed everything; when that happened. */
async function backgroundDrained(port: number): Promise<number> {
  for (;;) {
    const pending = await api(port, '/api/events?status=pending&limit=1');
    if (pending.items.length === 0) return Date.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Counts stored events and pullable bundles right after the load: bundles are derived, so all are there at the 200. */
async function pipelineOutcome(port: number): Promise<{ events: number; bundles: number; duplicated: number; pullMs: number; perSecond: Record<string, number> }> {
  const events = (await api(port, '/health')).events as number;
  const pulled = await pullAll(port);
  return { events, bundles: pulled.bundles, duplicated: pulled.duplicated, pullMs: pulled.ms, perSecond: pulled.perSecond };
}

/** The bytes a store keeps per event once its log is checkpointed (pages in use / events), read after its server stopped. */
function storedBytesPerEvent(file: string): number {
  const db = new Database(file);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pages = (db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number);
    const events = (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    return Math.round((pages * (db.pragma('page_size', { simple: true }) as number)) / Math.max(1, events));
  } finally {
    db.close();
  }
}

/** The pipeline's rate (acknowledged per second, bundles pullable at the 200) of a fresh runtime with `off` turned off; background work included, as the run waits for it. */
async function pipelineRate(dir: string, template: string, opts: Options, off?: Feature): Promise<number> {
  const server = await startServer('ours.js', dir, [opts.sync, ...(off ? [`no-${off.name}`] : [])]);
  const hook = (await api(server.port, '/api/webhooks')).items[0];
  const load = await drive(hook.url, template, opts);
  await backgroundDrained(server.port);
  await stop(server.child);
  return load.rps;
}

/** A feature's cost: pipeline runs with it off and on, interleaved so drifting machine load hits both alike. */
async function featureCost(feature: Feature, root: string, template: string, opts: Options): Promise<{ on: number[]; off: number[]; cost: number }> {
  const on: number[] = [];
  const off: number[] = [];
  for (let pair = 0; pair < opts.driftPairs; pair += 1) {
    off.push(await pipelineRate(join(root, `${feature.name}-off-${pair}`), template, opts, feature));
    on.push(await pipelineRate(join(root, `${feature.name}-on-${pair}`), template, opts));
  }
  return { on, off, cost: round(1 - median(on) / median(off)) };
}

function printCost(feature: Feature, cost: { on: number[]; off: number[]; cost: number }): void {
  console.log(`${feature.label}: pipeline ${cost.on.join(', ')} req/s on vs ${cost.off.join(', ')} off (interleaved); cost ${Math.round(cost.cost * 100)} % of the median (goal < ${feature.goal * 100} %)`);
}

/** The metrics calls' time per event as a share of one event's time at the pipeline's rate: a ratio the machine's load swings move far less. */
function metricsShare(pipelineRps: number): { microsPerEvent: number; share: number } {
  const microsPerEvent = round(metricsMicrosPerEvent());
  const share = Math.round((microsPerEvent / (1_000_000 / pipelineRps)) * 10_000) / 10_000;
  console.log(`metrics calls: ${microsPerEvent} µs per event, ${(share * 100).toFixed(2)} % of an event's time at ${pipelineRps} req/s (goal < ${METRICS.goal * 100} %)`);
  return { microsPerEvent, share };
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const template = saleTemplate(opts.body);
  const root = mkdtempSync(join(tmpdir(), 'plugnpaid-bench-'));
  console.log(`bench: ${opts.duration}s per run, ${opts.connections} connections, ${template.length}-byte sale payloads, ours with synchronous=${opts.sync}\n`);
  try {
    // Ours runs compiled, as `npm start` does; build first so the bench never measures a stale dist/.
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(__dirname, '..', 'tsconfig.build.json')], { stdio: 'inherit' });
    if (opts.onlyPaced) {
      await pacedDeliveries(join(root, 'paced'), opts);
      return;
    }
    if (opts.onlyPipeline) {
      const ratios: number[] = [];
      for (let pair = 0; pair < opts.repeats; pair += 1) {
        const floor = await measure('floor-sqlite.ts', join(root, `floor-${pair}`), '/', template, opts, [opts.sync]);
        const ours = await pipelineRate(join(root, `ours-${pair}`), template, opts);
        ratios.push(ours / floor.rps);
        console.log(`pipeline ${ours} req/s, SQLite floor ${floor.rps} req/s: ratio ${round(ours / floor.rps)}`);
      }
      console.log(`pipeline / SQLite floor, median of ${ratios.length} pairs: ${round(median(ratios))} (goal ≥ 0.8)`);
      return;
    }
    if (opts.onlyPull) {
      await pullOnly(root, template, opts);
      return;
    }
    if (opts.onlyDrift || opts.onlyMetrics) {
      const feature = opts.onlyDrift ? DRIFT : METRICS;
      const cost = await featureCost(feature, root, template, opts);
      printCost(feature, cost);
      if (opts.onlyMetrics) metricsShare(Math.max(...cost.on));
      return;
    }
    const limit = await measure('limit.ts', join(root, 'limit'), '/', template, opts);
    const floorFile = await measure('floor-file.ts', join(root, 'floor-file'), '/', template, opts);
    const floorSqlite = await measure('floor-sqlite.ts', join(root, 'floor-sqlite'), '/', template, opts, [opts.sync]);
    const peer = await measure('peer.ts', join(root, 'peer'), '/hook', template, opts);

    const floorBytes = storedBytesPerEvent(join(root, 'floor-sqlite', 'floor.sqlite'));

    const ours = await startServer('ours.js', join(root, 'ours'), [opts.sync]);
    const hook = (await api(ours.port, '/api/webhooks')).items[0];
    const started = Date.now();
    const ack = await drive(hook.url, template, opts);
    const atAck = await pipelineOutcome(ours.port);
    const drainedAt = await backgroundDrained(ours.port);
    // Acknowledged means stored with its bundles pullable, so the pipeline's rate is the acknowledgement's.
    const pipelineRps = ack.rps;
    const backgroundCatchUpMs = Math.max(0, drainedAt - started - opts.duration * 1000);
    const halfTemplate = template.replace('ord___N__', 'half___N__');
    const half = await pacedLoad(hook.url, (n) => halfTemplate.replace('__N__', String(n)), Math.max(1, Math.round(ack.rps / 2)), opts.duration, opts.connections);
    await backgroundDrained(ours.port);
    const after = await pipelineOutcome(ours.port);
    const pull = { events: after.events, bundles: after.bundles, bundlesPerSecond: Math.round(after.bundles / (after.pullMs / 1000)), perSecondByModule: after.perSecond };
    const peakRss = peakRssMb(ours.child);
    await stop(ours.child);
    const oursBytes = storedBytesPerEvent(join(root, 'ours', 'plugnpaid.sqlite'));
    const pullFloor = await pullFloorRate(join(root, 'floor-sqlite'));
    const floorHalf = await floorAtRate(join(root, 'floor-half'), halfTemplate, half.rps, opts);
    const storedBytes = { ours: oursBytes, floor: floorBytes, ratio: round(oursBytes / floorBytes) };

    // The machine's speed swings between runs (another tenant's load): the pipeline ratio and the half-rate p99
    // are medians over interleaved pairs of ours and the floor, the first pair being the runs above.
    const pipelinePairs = [{ ours: pipelineRps, floor: floorSqlite.rps }];
    const halfPairs = [{ ours: half.p99, floor: floorHalf.p99 }];
    for (let pair = 1; pair < opts.repeats; pair += 1) {
      const floorAgain = await measure('floor-sqlite.ts', join(root, `floor-sqlite-${pair}`), '/', template, opts, [opts.sync]);
      pipelinePairs.push({ ours: await pipelineRate(join(root, `ours-${pair}`), template, opts), floor: floorAgain.rps });
      const oursHalf = await oursAtRate(join(root, `half-${pair}`), halfTemplate, half.rps, opts);
      halfPairs.push({ ours: oursHalf.p99, floor: (await floorAtRate(join(root, `floor-half-${pair}`), halfTemplate, half.rps, opts)).p99 });
    }
    const p99AckMs = median(halfPairs.map((pair) => pair.ours));
    const floorP99AckMs = median(halfPairs.map((pair) => pair.floor));

    // Requests still in flight when autocannon stops may be stored without their 200 being counted,
    // so stored ≥ acknowledged; fewer stored than acknowledged would be a loss.
    const acknowledged = ack.ok + half.ok;
    const lost = Math.max(0, acknowledged - after.events);
    const drift = opts.driftPairs > 0 ? await featureCost(DRIFT, root, template, opts) : undefined;
    const metrics = opts.driftPairs > 0 ? await featureCost(METRICS, root, template, opts) : undefined;
    const paced = await pacedDeliveries(join(root, 'paced'), opts);
    const mapping = await mappingInOwnProcess();
    const slowestMapping = Math.min(...Object.values(mapping));
    const ratios = {
      ackVsLimit: round(ack.rps / limit.rps),
      pipelineVsLimit: round(pipelineRps / limit.rps),
      ackVsPeer: round(ack.rps / peer.rps),
      pipelineVsSqliteFloor: round(median(pipelinePairs.map((pair) => pair.ours / pair.floor))),
      pipelineVsPeer: round(median(pipelinePairs.map((pair) => pair.ours)) / peer.rps),
      pullVsFloor: round(pull.bundlesPerSecond / pullFloor.bundlesPerSecond),
      salePullVsFloor: round(pull.perSecondByModule['watch-one-time-sale'] / pullFloor.bundlesPerSecond),
    };
    const rows: Array<[string, Load | { rps: number }]> = [
      ['limit (node:http)', limit],
      ['floor: file + fdatasync', floorFile],
      ['floor: sqlite insert', floorSqlite],
      ['peer (express + sqlite)', peer],
      ['ours, ack path', ack],
      ['ours, full pipeline', { rps: pipelineRps }],
      ['ours, at half max rate', half],
      ['floor: sqlite, same rate', floorHalf],
    ];
    console.log('server                     req/s    p50 ms  p99 ms  max ms  errors');
    for (const [name, load] of rows) {
      const l = load as Partial<Load>;
      console.log(`${name.padEnd(25)} ${String(load.rps).padStart(7)} ${fmt(l.p50)} ${fmt(l.p99)} ${fmt(l.max)} ${fmt(l.errors)}`);
    }
    console.log(`\npipeline pairs (ours/floor req/s): ${pipelinePairs.map((pair) => `${pair.ours}/${pair.floor}`).join(', ')}; half-rate p99 pairs (ours/floor ms): ${halfPairs.map((pair) => `${pair.ours}/${pair.floor}`).join(', ')}`);
    console.log(`ratios (medians of the pairs): pipeline/sqlite floor ${ratios.pipelineVsSqliteFloor} (goal ≥ 0.8), pipeline/peer ${ratios.pipelineVsPeer} (goal ≥ 8), ack/limit ${ratios.ackVsLimit}, pipeline/limit ${ratios.pipelineVsLimit}`);
    console.log(`bundles at the 200: ${atAck.bundles} of ${atAck.events * 2} pullable right after the load; the background pass caught up ${backgroundCatchUpMs} ms after it`);
    console.log(`pull: ${pull.bundles} bundles of ${pull.events} events in ${Math.round(after.pullMs)} ms, ${pull.bundlesPerSecond} bundles/s (goal ≥ 50000); pull floor (parse and serialise the raw bodies) ${pullFloor.bundlesPerSecond}/s over ${pullFloor.events} events, ratio ${ratios.pullVsFloor}; sale bundles alone ${pull.perSecondByModule['watch-one-time-sale']}/s, ratio ${ratios.salePullVsFloor}`);
    console.log(`stored bytes per event: ours ${storedBytes.ours}, SQLite floor ${storedBytes.floor}, ratio ${storedBytes.ratio} (goal ≤ 1.3)`);
    console.log(`p99 ack at half of our max rate (median of the pairs): ${p99AckMs} ms (goal ≤ 20); the SQLite floor at the same ${half.rps} req/s: ${floorP99AckMs} ms; our peak RSS ${peakRss ?? '?'} MB (goal ≤ 256)`);
    const expectedBundles = after.events * 2;
    const complete = after.bundles === expectedBundles && atAck.bundles === atAck.events * 2;
    console.log(`integrity: ${acknowledged} acknowledged, ${after.events} stored (${after.events - acknowledged} more were in flight at the end), lost ${lost}; ${after.bundles} of ${expectedBundles} bundles, duplicated ${after.duplicated}` + (lost === 0 && after.duplicated === 0 && complete ? ' — OK' : ' — FAILED'));
    if (drift) printCost(DRIFT, drift);
    if (metrics) printCost(METRICS, metrics);
    const metricsCalls = metricsShare(pipelineRps);
    console.log(`mapping: slowest module ${slowestMapping} bundles/s per core (goal ≥ 100000)`);
    for (const [module, rate] of Object.entries(mapping)) console.log(`  ${module.padEnd(40)} ${rate}`);

    const results = { options: opts, bodyBytes: template.length, ratios, p99AckMs, floorP99AckMs, lost, duplicated: after.duplicated, peakRssMb: peakRss ?? null, drift: drift ?? null, metrics: metrics ?? null, metricsCalls, pacedDelivery: paced, mappingPerSecond: mapping, storedBytesPerEvent: storedBytes, backgroundCatchUpMs, runs: { limit, floorFile, floorSqlite, peer, ack, pipelineRps, half, floorHalf, pipelinePairs, halfPairs, pull, pullFloor } };
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(join(__dirname, 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log('\nwrote bench/results/latest.json');
    if (lost !== 0 || after.duplicated !== 0 || !complete) process.exitCode = 1;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function fmt(value: number | undefined): string {
  return String(value ?? '').padStart(7);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
