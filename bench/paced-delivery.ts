import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { saleTemplate } from './payloads';

/** A paced trigger's measured delivery rate against its `maxPerSecond`. */
export interface PacedDelivery {
  maxPerSecond: number;
  deliveries: number;
  perSecond: number;
  /** perSecond / maxPerSecond: at most 1 (never faster than set), and near 1 when the deliverer keeps up. */
  ratio: number;
}

type Api = (method: string, path: string, body?: unknown) => Promise<any>;

// However slow the machine, a run that has not delivered everything by then is reported, not waited for.
const DEADLINE_MS = 120_000;

/**
 * Attaches a forwarding trigger paced at `maxPerSecond` to a new webhook of a running runtime, posts `count` sales
 * at once and times their arrival at a local receiver from the second one on (the first also opens the
 * connection, and its lateness would flatter the rate): (arrivals - 2) / (last - second), the pace itself.
 */
export async function pacedDelivery(api: Api, maxPerSecond: number, count: number): Promise<PacedDelivery> {
  const arrivals: number[] = [];
  const receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      arrivals.push(performance.now());
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    const destination = { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/paced`, maxPerSecond };
    const hook = await api('POST', '/api/webhooks', { name: `paced at ${maxPerSecond}/s` });
    await api('POST', `/api/webhooks/${hook.id}/triggers`, { module: 'watch-one-time-sale', destination });
    const template = saleTemplate(1024).replace('ord___N__', `paced_${maxPerSecond}___N__`);
    await Promise.all(Array.from({ length: count }, (_, n) => fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: template.replace('__N__', String(n)) })));
    const deadline = performance.now() + DEADLINE_MS;
    while (arrivals.length < count && performance.now() < deadline) await sleep(50);
    if (arrivals.length < 3) throw new Error(`the paced trigger delivered ${arrivals.length} of ${count} sales in ${DEADLINE_MS / 1000} s`);
    const perSecond = (arrivals.length - 2) / ((arrivals[arrivals.length - 1] - arrivals[1]) / 1000);
    return { maxPerSecond, deliveries: arrivals.length, perSecond: Math.round(perSecond * 100) / 100, ratio: Math.round((perSecond / maxPerSecond) * 1000) / 1000 };
  } finally {
    receiver.close();
  }
}
