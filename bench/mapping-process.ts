import { mappingThroughput } from './mapping';

// Run by bench/run.ts as its own process, so the load generator's heap and timers do not share its core.
process.send?.(mappingThroughput());
