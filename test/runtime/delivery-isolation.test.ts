import { expect } from 'chai';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { eventually as until } from '../helpers/eventually';
import { examplePayload } from '../helpers/payloads';
import { Receiver, TestRuntime } from '../helpers/runtime';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  this.timeout(120_000);
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

  // An attempt timeout no test run comes near unless a test means to reach it.
  async function start(options: { deliveryConcurrency?: number; deliveryTimeoutMs?: number } = {}) {
    // The real clock: the engine runs in the background as under `npm start`, nothing is drained by hand.
    runtime = await new TestRuntime(undefined, { deliveryTimeoutMs: 600_000, ...options }).start();
    hook = (await runtime.api('POST', '/api/webhooks', { name: 'isolation' })).body;
  }

  it('delivers to a healthy destination and keeps processing new events while another destination hangs', async () => {
    await start();
    const hangingTrigger = await attach(hanging.url);
    await attach(healthy.url);

    const first = await runtime.post(hook.url, order('ord_first'));
    await until('the healthy destination to get the first bundle', () => healthy.received.length === 1);
    await until('the hanging destination to get its request', () => hanging.requests.length === 1);

    const second = await runtime.post(hook.url, order('ord_second'));
    await until('the second event to be processed', async () => (await runtime.api('GET', `/api/events/${second.body.event}`)).body.status === 'processed');
    await until('the healthy destination to get the second bundle', () => healthy.received.length === 2);

    expect(healthy.received.map((copy) => JSON.parse(copy.body).order.id)).to.deep.equal(['ord_first', 'ord_second']);
    // One attempt in flight per trigger: the hanging trigger's second bundle waits behind its first, still unanswered.
    expect(hanging.requests).to.have.length(1);
    const deliveries = (await runtime.api('GET', `/api/events/${first.body.event}`)).body.deliveries;
    expect(deliveries.find((d: { triggerId: string }) => d.triggerId === hangingTrigger.id)).to.include({ status: 'pending', attempts: 0 });
  });

  it('ends an attempt that gets no answer within the timeout and schedules a retry with the reason', async () => {
    await start({ deliveryTimeoutMs: 500 });
    const hangingTrigger = await attach(hanging.url);
    const first = await runtime.post(hook.url, order('ord_first'));
    const retried = await until('the hanging attempt to time out', async () =>
      (await runtime.api('GET', `/api/events/${first.body.event}`)).body.deliveries.find((d: { triggerId: string; attempts: number }) => d.triggerId === hangingTrigger.id && d.attempts === 1),
    );
    expect(retried).to.include({ status: 'pending', lastError: 'no answer within 500 ms' });
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
