/**
 * A small HTTP price service on 127.0.0.1 that misbehaves on purpose. Whether a request
 * fails, stalls or answers is drawn from `seededRandom(seed)` in order of arrival, so the
 * n-th request after a `reset(seed)` meets the same fault on every run.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from '../src/testing/index.js';

/** What share of requests fail or stall, and how long the others take. */
export interface FaultMix {
  /** Share answered `503 Service Unavailable`, after the usual latency. */
  readonly failRate: number;
  /** Share that never answer: the connection hangs until the client gives up. */
  readonly stallRate: number;
  /** Latency of every answered request, drawn uniformly from [min, max) ms. */
  readonly minLatencyMs: number;
  readonly maxLatencyMs: number;
}

export const defaultMix: FaultMix = {
  failRate: 0.25,
  stallRate: 0.08,
  minLatencyMs: 5,
  maxLatencyMs: 30,
};

/** Requests received since the last reset, by what the service did with them. */
export interface ServiceCounts {
  received: number;
  answered: number;
  failed: number;
  stalled: number;
}

export interface FlakyService {
  /** The endpoint to call, e.g. `http://127.0.0.1:41234/price`. */
  readonly url: string;
  /** A path that always answers at once and is not counted, for warming up the client. */
  readonly healthUrl: string;
  /** Counters since the last reset (warm-up calls to `/health` are not counted). */
  readonly counts: Readonly<ServiceCounts>;
  /** Zeroes the counters and restarts the fault sequence from `seed`. */
  reset(seed: number | string): void;
  /** Drops stalled and pending requests, closes every connection and stops listening. */
  close(): Promise<void>;
}

/** One line describing the mix, e.g. `25% 503, 8% stall (never answer), 67% 200 after 5-30 ms`. */
export function describeMix(mix: FaultMix): string {
  const pct = (share: number): string => `${Math.round(share * 100)}%`;
  const ok = 1 - mix.failRate - mix.stallRate;
  return `${pct(mix.failRate)} -> 503, ${pct(mix.stallRate)} -> stall (no answer until the client gives up), ${pct(ok)} -> 200; answers take ${mix.minLatencyMs}-${mix.maxLatencyMs} ms`;
}

/** Starts the service on a random free port of 127.0.0.1. */
export async function startFlakyService(
  seed: number | string,
  mix: FaultMix = defaultMix,
): Promise<FlakyService> {
  let random = seededRandom(seed);
  let counts: ServiceCounts = { received: 0, answered: 0, failed: 0, stalled: 0 };
  /** Requests not yet answered, with the timer that will answer them (none for a stall). */
  const pending = new Map<ServerResponse, NodeJS.Timeout | undefined>();

  const server = createServer((req, res) => {
    if (req.url === '/health') {
      res.end('ok');
      return;
    }
    const index = counts.received++;
    // Always two draws per request, so request n's fate does not depend on earlier fates.
    const fate = random();
    const latency = mix.minLatencyMs + random() * (mix.maxLatencyMs - mix.minLatencyMs);
    res.on('close', () => {
      clearTimeout(pending.get(res));
      pending.delete(res);
    });
    if (fate < mix.failRate + mix.stallRate && fate >= mix.failRate) {
      counts.stalled++;
      pending.set(res, undefined);
      return;
    }
    const fail = fate < mix.failRate;
    if (fail) counts.failed++;
    else counts.answered++;
    const timer = setTimeout(() => {
      pending.delete(res);
      if (fail) {
        res.writeHead(503, { 'content-type': 'text/plain' }).end('service unavailable');
      } else {
        const price = 100 + (index % 7) * 0.25;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ price, index }));
      }
    }, latency);
    pending.set(res, timer);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/price`,
    healthUrl: `http://127.0.0.1:${port}/health`,
    get counts() {
      return counts;
    },
    reset(next) {
      random = seededRandom(next);
      counts = { received: 0, answered: 0, failed: 0, stalled: 0 };
    },
    close() {
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
      const closed = new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      server.closeAllConnections();
      return closed;
    },
  };
}
