import { expect } from 'chai';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { examplePayload } from '../helpers/payloads';
import { Receiver, TestRuntime } from '../helpers/runtime';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** A destination that reads requests and never answers them. */
class HangingDestination {
  readonly requests: IncomingMessage[] = [];
  private readonly open: ServerResponse[] = [];
  private readonly sockets = new Set<Socket>();
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      this.requests.push(request);
      this.open.push(response);
      request.resume();
    });
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/hang`;
    return this;
  }

  async stop(): Promise<void> {
    this.sockets.forEach((socket) => socket.destroy());
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

describe('Isolated deliveries', function () {
  this.timeout(30_000);
  const TIMEOUT_MS = 3_000;
  let runtime: TestRuntime;
  let healthy: Receiver;
  let hanging: HangingDestination;
  let hook: { id: string; url: string };

  const order = (id: string) => {
    const payload = examplePayload('refund');
    payload.data.order.id = id;
    return JSON.stringify(payload);
  };
  const attach = async (url: string) =>
    (await runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-order-refunded', destination: { url } })).body as { id: string };

  beforeEach(async () => {
    healthy = await new Receiver().start();
    hanging = await new HangingDestination().start();
  });
  afterEach(async () => {
    await hanging.stop();
    await runtime.destroy();
    await healthy.stop();
  });

  async function start(options: { deliveryConcurrency?: number } = {}) {
    // The real clock: the engine runs in the background as under `npm start`, nothing is drained by hand.
    runtime = await new TestRuntime(undefined, { deliveryTimeoutMs: TIMEOUT_MS, ...options }).start();
    hook = (await runtime.api('POST', '/api/webhooks', { name: 'isolation' })).body;
  }

  it('delivers to a healthy destination and keeps processing new events while another destination hangs', async () => {
    await start();
    const hangingTrigger = await attach(hanging.url);
    await attach(healthy.url);
    const began = Date.now();

    const first = await runtime.post(hook.url, order('ord_first'));
    await until('the healthy destination to get the first bundle', () => healthy.received.length === 1);
    await until('the hanging destination to get its request', () => hanging.requests.length === 1);

    const second = await runtime.post(hook.url, order('ord_second'));
    await until('the second event to be processed', async () => (await runtime.api('GET', `/api/events/${second.body.event}`)).body.status === 'processed');
    await until('the healthy destination to get the second bundle', () => healthy.received.length === 2);
    const elapsed = Date.now() - began;

    expect(elapsed, 'both bundles went out before the hanging attempt timed out').to.be.below(TIMEOUT_MS);
    expect(healthy.received.map((copy) => JSON.parse(copy.body).order.id)).to.deep.equal(['ord_first', 'ord_second']);
    // One attempt in flight per trigger: the hanging trigger's second bundle waits behind its first.
    expect(hanging.requests).to.have.length(1);
    const deliveries = (await runtime.api('GET', `/api/events/${first.body.event}`)).body.deliveries;
    expect(deliveries.find((d: { triggerId: string }) => d.triggerId === hangingTrigger.id)).to.include({ status: 'pending', attempts: 0 });

    // Once the attempt times out, the hanging trigger's delivery is scheduled for a retry, with the reason.
    const retried = await until(
      'the hanging attempt to time out',
      async () => (await runtime.api('GET', `/api/events/${first.body.event}`)).body.deliveries.find((d: { triggerId: string; attempts: number }) => d.triggerId === hangingTrigger.id && d.attempts === 1),
      TIMEOUT_MS * 3,
    );
    expect(retried).to.include({ status: 'pending', lastError: `no answer within ${TIMEOUT_MS} ms` });
  });

  it('caps the attempts in flight over all triggers', async () => {
    await start({ deliveryConcurrency: 2 });
    for (let i = 0; i < 3; i += 1) await attach(hanging.url);
    await runtime.post(hook.url, order('ord_capped'));
    await until('two hanging requests', () => hanging.requests.length === 2);
    await sleep(300);
    expect(hanging.requests).to.have.length(2);
  });
});
