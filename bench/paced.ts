import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** What one load run measured (paced here, or autocannon's in run.ts). */
export interface Load {
  rps: number;
  ok: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
}

function percentile(sorted: number[], fraction: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

function post(agent: Agent, url: URL, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/**
 * Sends `rate` requests per second, evenly spaced (open loop), for `seconds`. autocannon's rate limit sends
 * each second's requests back to back and then idles, which measures a burst, not a rate. Latency counts from
 * when a request was due, so a server that falls behind is not flattered by the client waiting for it.
 */
export async function pacedLoad(target: string, bodyFor: (n: number) => string, rate: number, seconds: number, connections: number): Promise<Load> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const url = new URL(target);
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  const inFlight: Array<Promise<void>> = [];
  const start = performance.now();
  for (let n = 0; n < total; n += 1) {
    const due = start + (n * 1000) / rate;
    const wait = due - performance.now();
    if (wait >= 1) await sleep(wait);
    inFlight.push(
      post(agent, url, bodyFor(n)).then((status) => {
        latencies.push(performance.now() - due);
        if (status === 200) ok += 1;
        else errors += 1;
      }),
    );
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms);
  return { rps: Math.round(total / elapsed), ok, p50: round(percentile(latencies, 0.5)), p99: round(percentile(latencies, 0.99)), max: round(latencies[latencies.length - 1] ?? 0), errors };
}
