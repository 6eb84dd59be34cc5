import { expect } from 'chai';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { ConfigError, configFromEnv } from '../../src/runtime/config';
import { examplePayload } from '../helpers/payloads';
import { FakeClock, Receiver, TestRuntime } from '../helpers/runtime';

const SCRAPE_TOKEN = 'scrape-token-0123456789abcdef';

describe('Prometheus metrics: GET /metrics', () => {
  let clock: FakeClock;
  let runtime: TestRuntime;
  let healthy: Receiver;
  let refusing: Receiver;
  let hook: { id: string; url: string };
  let healthyTrigger: string;
  let refusingTrigger: string;

  async function scrape(token = SCRAPE_TOKEN) {
    const response = await fetch(`${runtime.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
  }
  const family = (families: ReturnType<typeof parsePrometheusTextFormat>, name: string) => {
    const found = families.find((candidate) => candidate.name === name);
    if (!found) throw new Error(`${name} is not in the scrape`);
    return found;
  };
  const value = (families: ReturnType<typeof parsePrometheusTextFormat>, name: string, labels: Record<string, string>) =>
    Number(family(families, name).metrics.find((sample) => Object.entries(labels).every(([key, wanted]) => sample.labels?.[key] === wanted))?.value ?? NaN);

  before(async () => {
    clock = new FakeClock();
    healthy = await new Receiver().start();
    refusing = await new Receiver().start();
    refusing.answer = () => ({ status: 422 });
    runtime = await new TestRuntime(undefined, { clock, metricsToken: SCRAPE_TOKEN }).start();
    hook = (await runtime.api('POST', '/api/webhooks', { name: 'measured' })).body;
    const add = async (url: string) => (await runtime.api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-order-refunded', destination: { url } })).body.id;
    healthyTrigger = await add(healthy.url);
    refusingTrigger = await add(refusing.url);
    await runtime.post(hook.url, JSON.stringify(examplePayload('refund')));
    await runtime.post(hook.url, JSON.stringify(examplePayload('refund')));
    // Invented types share one series: a sender cannot grow the label values.
    for (let n = 0; n < 20; n += 1) await runtime.post(hook.url, JSON.stringify({ type: `invented_${n}`, data: {} }));
    await runtime.runtime.engine.drain();
  });
  after(async () => {
    await runtime.destroy();
    await healthy.stop();
    await refusing.stop();
  });

  it('answers in the Prometheus text format, which a Prometheus parser reads', async () => {
    const answer = await scrape();
    expect(answer.status).to.equal(200);
    expect(answer.type).to.match(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusTextFormat(answer.text);
    expect(families.map((candidate) => candidate.name)).to.include.members([
      'plugnpaid_events_received_total',
      'plugnpaid_events_processed_total',
      'plugnpaid_ack_duration_seconds',
      'plugnpaid_processing_lag_seconds',
      'plugnpaid_delivery_attempts_total',
      'plugnpaid_deliveries_open',
      'plugnpaid_delivery_oldest_pending_seconds',
      'plugnpaid_drift_findings',
    ]);
  });

  it('counts events received and duplicates by webhook and type, invented types as unknown', async () => {
    const families = parsePrometheusTextFormat((await scrape()).text);
    expect(value(families, 'plugnpaid_events_received_total', { webhook: hook.id, type: 'refund', duplicate: 'false' })).to.equal(1);
    expect(value(families, 'plugnpaid_events_received_total', { webhook: hook.id, type: 'refund', duplicate: 'true' })).to.equal(1);
    expect(value(families, 'plugnpaid_events_received_total', { webhook: hook.id, type: 'unknown', duplicate: 'false' })).to.equal(20);
    const types = new Set(family(families, 'plugnpaid_events_received_total').metrics.map((sample) => sample.labels?.type));
    expect([...types].sort()).to.deep.equal(['refund', 'unknown']);
  });

  it('counts processing outcomes, the acknowledgement latency, and drift', async () => {
    const families = parsePrometheusTextFormat((await scrape()).text);
    expect(value(families, 'plugnpaid_events_processed_total', { webhook: hook.id, type: 'refund', status: 'processed' })).to.equal(1);
    expect(value(families, 'plugnpaid_events_processed_total', { webhook: hook.id, type: 'unknown', status: 'unrouted' })).to.equal(20);
    const [latency] = family(families, 'plugnpaid_ack_duration_seconds').metrics;
    expect(Number(latency.count)).to.equal(22);
    expect(Number(latency.buckets?.['+Inf'])).to.equal(22);
    expect(value(families, 'plugnpaid_processing_lag_seconds', {})).to.equal(0);
    expect(value(families, 'plugnpaid_drift_findings', { kind: 'unknown_types' })).to.equal(20);
  });

  it('counts delivery attempts by trigger and outcome, and the deliveries still open', async () => {
    const families = parsePrometheusTextFormat((await scrape()).text);
    expect(value(families, 'plugnpaid_delivery_attempts_total', { trigger: healthyTrigger, outcome: 'delivered' })).to.equal(1);
    expect(value(families, 'plugnpaid_delivery_attempts_total', { trigger: refusingTrigger, outcome: 'dead' })).to.equal(1);
    expect(value(families, 'plugnpaid_deliveries_open', { trigger: refusingTrigger, status: 'dead' })).to.equal(1);
    expect(value(families, 'plugnpaid_delivery_oldest_pending_seconds', {})).to.equal(0);
  });

  it('measures the age of the oldest delivery still waiting', async () => {
    refusing.answer = () => ({ status: 503 });
    const payload = examplePayload('refund');
    payload.data.order.id = 'ord_waiting';
    await runtime.post(hook.url, JSON.stringify(payload));
    await runtime.runtime.engine.drain();
    clock.advance(90_000);
    const families = parsePrometheusTextFormat((await scrape()).text);
    expect(value(families, 'plugnpaid_delivery_oldest_pending_seconds', {})).to.equal(90);
    expect(value(families, 'plugnpaid_deliveries_open', { trigger: refusingTrigger, status: 'pending' })).to.equal(1);
    expect(value(families, 'plugnpaid_delivery_attempts_total', { trigger: refusingTrigger, outcome: 'retry' })).to.equal(1);
  });

  it('opens to the admin token and the scrape token; the scrape token opens nothing else', async () => {
    expect((await scrape(runtime.runtime.adminToken)).status).to.equal(200);
    expect((await scrape('wrong-token-wrong-token')).status).to.equal(401);
    expect((await fetch(`${runtime.url}/metrics`)).status).to.equal(401);
    expect((await runtime.api('GET', '/api/webhooks', undefined, SCRAPE_TOKEN)).status).to.equal(401);
  });

  it('is not served when metrics are off (PLUGNPAID_METRICS=off)', async () => {
    const off = await new TestRuntime(undefined, { metrics: false }).start();
    try {
      const response = await fetch(`${off.url}/metrics`, { headers: { authorization: `Bearer ${off.runtime.adminToken}` } });
      expect(response.status).to.equal(404);
    } finally {
      await off.destroy();
    }
  });
});

describe('metrics settings', () => {
  it('turns collection off with PLUGNPAID_METRICS=off and takes a scrape token of 16 characters or more', () => {
    expect(configFromEnv({ PLUGNPAID_METRICS: 'off', PLUGNPAID_METRICS_TOKEN: SCRAPE_TOKEN })).to.include({ metrics: false, metricsToken: SCRAPE_TOKEN });
    expect(() => configFromEnv({ PLUGNPAID_METRICS_TOKEN: 'short' })).to.throw(ConfigError, 'PLUGNPAID_METRICS_TOKEN must be at least 16 characters');
  });
});
