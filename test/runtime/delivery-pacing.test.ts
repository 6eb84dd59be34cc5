import { expect } from 'chai';
import { examplePayload } from '../helpers/payloads';
import { cli } from '../helpers/cli';
import { FakeClock, Receiver, TestRuntime } from '../helpers/runtime';

describe('A trigger paced by maxPerSecond', () => {
  let clock: FakeClock;
  let runtime: TestRuntime;
  let paced: Receiver;
  let free: Receiver;
  let hook: { id: string; url: string };

  beforeEach(async () => {
    clock = new FakeClock();
    paced = await new Receiver().start();
    free = await new Receiver().start();
    runtime = await new TestRuntime(undefined, { clock }).start();
    hook = (await runtime.api('POST', '/api/webhooks', { name: 'paced' })).body;
  });
  afterEach(async () => {
    await runtime.destroy();
    await paced.stop();
    await free.stop();
  });

  it('starts one delivery per 1/maxPerSecond, while an unpaced trigger sends all of its own at once', async () => {
    const add = (url: string, destination: Record<string, unknown>) =>
      runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-order-refunded', parameters: { bundlePerOrderLine: true }, destination: { url, ...destination } });
    const trigger = (await add(paced.url, { maxPerSecond: 2 })).body;
    expect(trigger.destination).to.deep.equal({ url: paced.url, maxPerSecond: 2 });
    await add(free.url, {});
    for (const order of ['ord_1', 'ord_2', 'ord_3']) {
      const payload = examplePayload('refund');
      payload.data.order.id = order;
      await runtime.post(hook.url, JSON.stringify(payload));
    }
    await runtime.runtime.engine.drain();
    // Two order lines each: six bundles per trigger. The clock has not moved: the paced one sent its first only.
    expect(free.received).to.have.length(6);
    expect(paced.received).to.have.length(1);
    clock.advance(499);
    await runtime.runtime.engine.drain();
    expect(paced.received).to.have.length(1);
    for (let sent = 2; sent <= 6; sent += 1) {
      clock.advance(500);
      await runtime.runtime.engine.drain();
      expect(paced.received).to.have.length(sent);
    }
    expect(paced.received.map((request) => JSON.parse(request.body).order.id)).to.deep.equal(['ord_1', 'ord_1', 'ord_2', 'ord_2', 'ord_3', 'ord_3']);
  });

  it('refuses a rate that is not a number above 0, and a rate without a destination in the CLI', async () => {
    for (const maxPerSecond of [0, -1, 'fast', 5000]) {
      const answer = await runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-order-refunded', destination: { url: paced.url, maxPerSecond } });
      expect(answer.status, String(maxPerSecond)).to.equal(400);
      expect(answer.body.error).to.contain('destination.maxPerSecond must be a number of deliveries per second above 0');
    }
    const client = ['--url', runtime.url, '--admin-token', runtime.runtime.adminToken];
    const withoutDestination = await cli(['triggers', 'add', hook.id, 'watch-order-refunded', '--max-per-second', '2', ...client]);
    expect(withoutDestination.code).to.equal(2);
    expect(withoutDestination.stderr).to.contain('--max-per-second paces forwarding: give the destination with --forward-to <url>');
    const added = await cli(['triggers', 'add', hook.id, 'watch-order-refunded', '--forward-to', paced.url, '--max-per-second', '0.5', ...client]);
    expect(JSON.parse(added.stdout).destination).to.deep.equal({ url: paced.url, maxPerSecond: 0.5 });
  });
});
