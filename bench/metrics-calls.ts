import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadApp } from '../src/definition/loader';
import { RuntimeMetrics } from '../src/runtime/api/metrics';
import { Store } from '../src/runtime/store/store';

/**
 * What metrics add to one event, measured in-process and so apart from the machine's load swings: the
 * acknowledgement's counter and histogram and the processing outcome's counter, in microseconds per event.
 */
export function metricsMicrosPerEvent(events = 200_000): number {
  const dir = mkdtempSync(join(tmpdir(), 'plugnpaid-metrics-'));
  const store = new Store(dir, 'NORMAL');
  try {
    const metrics = new RuntimeMetrics(store, loadApp(), () => Date.now(), false);
    const types = ['new_simple_sale', 'refund', 'order_sent', null];
    const once = (n: number) => {
      const type = types[n % types.length];
      metrics.acknowledged('wh_bench', type, false, 3 + (n % 20));
      metrics.processedAs('wh_bench', type, 'processed');
    };
    for (let n = 0; n < 20_000; n += 1) once(n);
    const started = process.hrtime.bigint();
    for (let n = 0; n < events; n += 1) once(n);
    return Number(process.hrtime.bigint() - started) / 1000 / events;
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
