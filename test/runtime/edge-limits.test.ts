import { expect } from 'chai';
import { Agent, request as httpRequest } from 'node:http';
import { connect, Socket } from 'node:net';
import { loadApp } from '../../src/definition/loader';
import { configFromEnv, ConfigError } from '../../src/runtime/config';
import { eventually } from '../helpers/eventually';
import { TestRuntime } from '../helpers/runtime';

const app = loadApp();
const sample = JSON.stringify(app.modules[0].samples[0].payload);
interface SilentConnection {
  socket: Socket;
  connected: boolean;
  closed: boolean;
  answer: string;
}

/** Opens `count` loopback connections that send nothing (or what `send` says), once each has connected. */
async function openSilent(port: number, count: number, send?: (socket: Socket) => void): Promise<SilentConnection[]> {
  const sockets = Array.from({ length: count }, () => {
    const entry: SilentConnection = { socket: connect(port, '127.0.0.1'), connected: false, closed: false, answer: '' };
    entry.socket.on('data', (chunk) => (entry.answer += String(chunk)));
    entry.socket.on('error', () => undefined);
    entry.socket.on('close', () => (entry.closed = true));
    entry.socket.on('connect', () => {
      entry.connected = true;
      send?.(entry.socket);
    });
    return entry;
  });
  await eventually('every connection to be made', () => sockets.every((entry) => entry.connected || entry.closed));
  return sockets;
}

/** POSTs a webhook body through `agent` (which may bind another local address); resolves to the status. */
function postFrom(agent: Agent, url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
    request.end(body);
  });
}

describe('the runtime under a connection flood', function () {
  this.timeout(120_000);
  let runtime: TestRuntime;
  let port: number;
  let flood: SilentConnection[] = [];
  const open = async () => new Promise<number>((resolve) => runtime.runtime.server.server.getConnections((_error, count) => resolve(count)));

  afterEach(async () => {
    for (const { socket } of flood) socket.destroy();
    flood = [];
    await runtime.destroy();
  });
  const start = async (options: { maxConnections: number; maxConnectionsPerAddress?: number; headersTimeoutMs?: number; requestTimeoutMs?: number }) => {
    runtime = await new TestRuntime(undefined, options).start();
    port = Number(new URL(runtime.url).port);
    return runtime.defaultWebhook();
  };

  it('holds open connections at the cap, closes silent ones after the headers timeout, then serves webhooks again', async () => {
    const hook = await start({ maxConnections: 20, headersTimeoutMs: 1000 });
    flood = await openSilent(port, 60);
    expect(await open()).to.be.at.most(20);
    // Those over the cap are closed unanswered at once; those held open get 408 when the headers timeout passes.
    await eventually('closing every silent connection', () => flood.every((entry) => entry.closed));
    const answers = flood.map((entry) => (entry.answer === '' ? 'none' : entry.answer.slice(0, 12)));
    expect(answers.filter((answer) => answer === 'none').length).to.be.at.least(40);
    expect(answers.filter((answer) => answer !== 'none').length).to.be.at.least(1);
    expect(answers.filter((answer) => answer !== 'none')).to.satisfy((held: string[]) => held.every((answer) => answer === 'HTTP/1.1 408'));
    expect((await runtime.post(hook.url, sample)).status).to.equal(200);
  });

  it('answers webhooks at once while a flood stays under the cap', async () => {
    // A headers timeout no test run comes near, so the flood stays open whatever the machine's speed.
    const hook = await start({ maxConnections: 50, headersTimeoutMs: 600_000, requestTimeoutMs: 600_000 });
    flood = await openSilent(port, 30);
    expect(flood.every((entry) => !entry.closed)).to.equal(true);
    const statuses = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await runtime.post(hook.url, JSON.stringify({ ...JSON.parse(sample), n: i }))).status);
    expect(statuses).to.deep.equal(Array(10).fill(200));
  });

  it('keeps one address from holding every slot: a burst from 127.0.0.2 is acknowledged while 127.0.0.1 holds its share and reconnects', async () => {
    // Headers and request timeouts no test run comes near: the attacker's slots stay held for the whole test.
    const hook = await start({ maxConnections: 40, maxConnectionsPerAddress: 20, headersTimeoutMs: 600_000, requestTimeoutMs: 600_000 });
    const trickle = (socket: Socket) => socket.write('POST /hooks/x HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    flood = await openSilent(port, 40, trickle);
    // 127.0.0.1 holds at most its 20 (the test's own API calls come from there too); the rest are closed at once.
    await eventually('the attacker holding at most 20 slots', async () => (await open()) <= 20 && flood.filter((entry) => !entry.closed).length <= 20);
    // The attacker opens a new connection whenever one of its own closes (bounded, so the test ends).
    let reconnects = 0;
    const reconnect = (entry: SilentConnection) =>
      entry.socket.once('close', () => {
        if (reconnects >= 200) return;
        reconnects += 1;
        const next: SilentConnection = { socket: connect(port, '127.0.0.1'), connected: false, closed: false, answer: '' };
        next.socket.on('error', () => undefined);
        next.socket.on('close', () => (next.closed = true));
        next.socket.on('connect', () => trickle(next.socket));
        flood.push(next);
        reconnect(next);
      });
    flood.forEach(reconnect);
    const agent = new Agent({ keepAlive: true, maxSockets: 10, localAddress: '127.0.0.2' });
    try {
      const statuses = await Promise.all(Array.from({ length: 100 }, (_, i) => postFrom(agent, hook.url, JSON.stringify({ ...JSON.parse(sample), burst: i }))));
      expect(statuses.filter((status) => status !== 200)).to.deep.equal([]);
    } finally {
      agent.destroy();
    }
    const stored = (await runtime.api('GET', '/api/events?limit=1000')).body.items;
    expect(stored).to.have.length(100);
  });

  it('answers 408 and closes a connection that trickles its body past the request timeout, storing nothing', async () => {
    const hook = await start({ maxConnections: 50, headersTimeoutMs: 1000, requestTimeoutMs: 1500 });
    const path = new URL(hook.url).pathname;
    flood = await openSilent(port, 1, (socket) => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`);
      const trickle = setInterval(() => socket.writable && socket.write(' '), 100);
      socket.on('close', () => clearInterval(trickle));
    });
    await eventually('closing the trickling connection', () => flood[0].closed);
    expect(flood[0].answer).to.match(/^HTTP\/1\.1 408/);
    expect((await runtime.api('GET', '/api/events')).body.items).to.deep.equal([]);
  });

  it('keeps the defaults far above the bench: 1000 connections, 5 s for headers, 15 s per request', async () => {
    runtime = await new TestRuntime().start();
    const server = runtime.runtime.server.server;
    expect({ max: server.maxConnections, headers: server.headersTimeout, request: server.requestTimeout }).to.deep.equal({ max: 1000, headers: 5000, request: 15000 });
  });
});

describe('the runtime when its event loop lags', function () {
  this.timeout(120_000);
  let runtime: TestRuntime;
  afterEach(async () => runtime.destroy());

  it('answers webhooks 503 with Retry-After while the lag lasts, stores nothing, and 200 once it is over', async () => {
    runtime = await new TestRuntime(undefined, { maxEventLoopDelayMs: 50 }).start();
    const hook = await runtime.defaultWebhook();
    // Blocks the loop 150 ms at a time (the server runs in this process): a mean delay far over 50 ms.
    const lag = setInterval(() => {
      const until = Date.now() + 150;
      while (Date.now() < until);
    }, 5);
    let refused: Response | undefined;
    let acknowledged = 0;
    try {
      for (let i = 0; i < 40 && !refused; i += 1) {
        const response = await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...JSON.parse(sample), n: i }) });
        if (response.status === 503) refused = response;
        else expect(response.status).to.equal(200);
        acknowledged += response.status === 200 ? 1 : 0;
      }
    } finally {
      clearInterval(lag);
    }
    expect(refused, 'no 503 while the event loop lagged').to.not.equal(undefined);
    expect(refused!.headers.get('retry-after')).to.equal('10');
    expect(((await refused!.json()) as { error: string }).error).to.match(/^the runtime is overloaded \(its event loop lags\); nothing was stored, retry in 10 s$/);
    await eventually('recovering from the lag', async () => (await fetch(`${runtime.url}/health`)).status === 200);
    expect((await runtime.api('GET', '/api/events?limit=1000')).body.items.length).to.equal(acknowledged);
    const answer = await runtime.post(hook.url, JSON.stringify({ ...JSON.parse(sample), after: 'lag' }));
    expect(answer.status).to.equal(200);
  });
});

describe('the limit settings', () => {
  it('reads every limit from its PLUGNPAID_* variable', () => {
    const env = {
      PLUGNPAID_MAX_CONNECTIONS: '64',
      PLUGNPAID_MAX_CONNECTIONS_PER_ADDRESS: '16',
      PLUGNPAID_HEADERS_TIMEOUT_MS: '2000',
      PLUGNPAID_REQUEST_TIMEOUT_MS: '9000',
      PLUGNPAID_MAX_EVENT_LOOP_DELAY_MS: '0',
      PLUGNPAID_ADMIN_RATE_LIMIT: '100',
      PLUGNPAID_FAILED_SIGNIN_LIMIT: '5',
    };
    expect(configFromEnv(env)).to.deep.equal({ maxConnections: 64, maxConnectionsPerAddress: 16, headersTimeoutMs: 2000, requestTimeoutMs: 9000, maxEventLoopDelayMs: 0, adminRequestsPerMinute: 100, failedSignInsPerMinute: 5 });
  });

  it('refuses a limit that is not a whole number, naming the variable', () => {
    expect(() => configFromEnv({ PLUGNPAID_MAX_CONNECTIONS: '0' })).to.throw(ConfigError, 'PLUGNPAID_MAX_CONNECTIONS must be a whole number ≥ 1, not "0"');
    expect(() => configFromEnv({ PLUGNPAID_FAILED_SIGNIN_LIMIT: 'lots' })).to.throw(ConfigError, 'PLUGNPAID_FAILED_SIGNIN_LIMIT must be a whole number ≥ 1, not "lots"');
  });
});
