import { loadApp } from '../src/definition/loader';
import { mapWithModule } from '../src/mapping/map-event';

/** Bundles per second per core for each module, mapping its first sample in a tight loop (in-process). */
export function mappingThroughput(seconds = 0.8): Record<string, number> {
  const app = loadApp();
  const results: Record<string, number> = {};
  for (const module of app.modules) {
    const sample = module.samples[0];
    for (let i = 0; i < 500; i += 1) mapWithModule(module, sample.payload);
    let bundles = 0;
    const start = process.hrtime.bigint();
    const budget = BigInt(Math.round(seconds * 1e9));
    while (process.hrtime.bigint() - start < budget) {
      for (let i = 0; i < 200; i += 1) {
        const result = mapWithModule(module, sample.payload);
        if (result.ok) bundles += result.bundles.length;
      }
    }
    results[module.name] = Math.round(bundles / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  return results;
}
