import { expect } from 'chai';
import { Webhook } from 'standardwebhooks';
import { examplePayload } from '../helpers/payloads';
import { Receiver, TestRuntime } from '../helpers/runtime';

interface Alert {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

describe('Operational alerts to PLUGNPAID_ALERT_URL, signed as Standard Webhooks', () => {
  let alerts: Receiver;
  let destination: Receiver;
  let runtime: TestRuntime;
  let hook: { id: string; url: string };

  /** Every alert received so far, each verified with the standardwebhooks library and the secret shown at start. */
  const received = (): Alert[] => {
    const verifier = new Webhook(runtime.runtime.alertSecretCreated!);
    return alerts.received.map(({ headers, body }) => verifier.verify(body, headers as Record<string, string>) as Alert);
  };
  const ofType = (type: string) => received().filter((alert) => alert.type === type);
  const settle = async () => {
    await runtime.runtime.engine.drain();
    await runtime.runtime.alerter!.settle();
  };

  beforeEach(async () => {
    alerts = await new Receiver().start();
    destination = await new Receiver().start();
    // Four attempts with no wait between them, so a failing destination is dead within one drain.
    runtime = await new TestRuntime(undefined, { alertUrl: alerts.url, retryScheduleMs: [0, 0, 0, 0], maxEventBundles: 1 }).start();
    hook = (await runtime.api('POST', '/api/webhooks', { name: 'alerting' })).body;
  });
  afterEach(async () => {
    await runtime.destroy();
    await alerts.stop();
    await destination.stop();
  });

  it('shows the alert secret once, at the first start', () => {
    expect(runtime.runtime.alertSecretCreated).to.match(/^whsec_/);
  });

  it('says a destination is failing, then that a delivery is dead, then that it recovered: once each, for many failures', async () => {
    const trigger = (await runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-order-refunded', destination: { url: destination.url } })).body;
    destination.answer = () => ({ status: 503 });
    for (const order of ['ord_1', 'ord_2', 'ord_3']) {
      const payload = examplePayload('refund');
      payload.data.order.id = order;
      await runtime.post(hook.url, JSON.stringify(payload));
    }
    await settle();
    const failing = ofType('delivery.failing');
    expect(failing).to.have.length(1);
    expect(failing[0].data).to.include({ trigger: trigger.id, module: 'watch-order-refunded', destination: destination.url, failuresInARow: 3, status: 503, error: 'HTTP 503: ok' });
    const dead = ofType('delivery.dead');
    expect(dead).to.have.length(1);
    expect(dead[0].data).to.include({ trigger: trigger.id, status: 503 });

    destination.answer = () => ({ status: 200 });
    await runtime.api('POST', '/api/deliveries/replay', { status: 'dead', trigger: trigger.id });
    await settle();
    const recovered = ofType('delivery.recovered');
    expect(recovered).to.have.length(1);
    expect(recovered[0].data).to.include({ trigger: trigger.id, failuresBefore: 12 });
    expect(destination.received).to.have.length(3);
  });

  it('says when an event type is seen for the first time, once per type', async () => {
    await runtime.post(hook.url, JSON.stringify({ type: 'order_sent', n: 1 }));
    await runtime.post(hook.url, JSON.stringify({ type: 'order_sent', n: 2 }));
    await runtime.post(hook.url, JSON.stringify({ type: 'order_returned', n: 3 }));
    await settle();
    expect(ofType('drift.unknown_type').map((alert) => alert.data.type)).to.deep.equal(['order_sent', 'order_returned']);
  });

  it('says an event failed, with its error', async () => {
    // Two order lines, one bundle each, past the limit of one bundle per event.
    await runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-order-refunded', parameters: { bundlePerOrderLine: true } });
    const event = (await runtime.post(hook.url, JSON.stringify(examplePayload('refund')))).body.event;
    await settle();
    const [failed] = ofType('event.failed');
    expect(failed.data).to.include({ webhook: hook.id, event, type: 'refund' });
    expect(failed.data.error).to.contain('PLUGNPAID_MAX_EVENT_BUNDLES');
  });

  it('refuses to start with an alert URL the destination policy refuses', async () => {
    let problem: unknown;
    try {
      await new TestRuntime(undefined, { alertUrl: 'http://10.0.0.7/alerts', allowPrivateDestinations: false }).start();
    } catch (error) {
      problem = error;
    }
    expect(String(problem)).to.contain('the alert URL (PLUGNPAID_ALERT_URL or --alert-url) cannot be used').and.contain('PLUGNPAID_ALLOW_PRIVATE_DESTINATIONS=1');
  });
});
