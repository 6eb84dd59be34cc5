import { loadApp } from '../src/definition/loader';
import { mapWithModule } from '../src/mapping/map-event';

/**
 * Bundles per second per core for each module, mapping its first sample in a tight loop. Every module is
 * warmed up first, round-robin, as a running server maps them all: the JIT then sees the same mix of shapes
 * before any module is timed, and no module is timed while still being compiled.
 */
export function mappingThroughput(seconds = 0.8, warmupRounds = 5000): Record<string, number> {
  const app = loadApp();
  const results: Record<string, number> = {};
  for (let round = 0; round < warmupRounds; round += 1) app.modules.forEach((module) => mapWithModule(module, module.samples[0].payload));
  for (const module of app.modules) {
    const sample = module.samples[0];
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
