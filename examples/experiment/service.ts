/**
 * The service under test, two ways: a real HTTP server on 127.0.0.1 (random port) for
 * `npm run demo`, and a simulated one on the experiment's clock for virtual runs. Both run
 * every request through the incident's chaos pipeline and log when each request arrived.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../src/index.js';
import { type Incident, incidentPolicy, isIncidentFault } from './incident.js';

/** A non-2xx answer, thrown so that policies see it as a failure. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

/** Sends one request; resolves on a 2xx answer, rejects with HttpError or a network error. */
export type Send = (signal: AbortSignal | undefined) => Promise<void>;

export interface Service {
  readonly send: Send;
  /** When each request reached the service, on the experiment clock (ms), in order. */
  readonly arrivals: readonly number[];
  /** Stops the service (drops whatever is still pending). */
  close(): Promise<void>;
}

/** Sends with `fetch` to `url`: a 2xx answer resolves, any other status throws HttpError. */
export function httpSend(url: string): Send {
  return async (signal) => {
    const res = await fetch(url, { signal: signal ?? null });
    await res.text();
    if (!res.ok) throw new HttpError(res.status);
  };
}

/** A service living on `clock` with no network in between: for virtual runs. */
export function simulatedService(incident: Incident, clock: Clock, stream: string): Service {
  const chaos = incidentPolicy(incident, clock, stream);
  const arrivals: number[] = [];
  const ok = (): void => undefined;
  // One 503 object for every failed call (as if parsed from the same answer), for speed.
  const unavailable = new HttpError(503);
  const send: Send = (signal) => {
    arrivals.push(clock.now());
    return chaos.execute(ok, signal === undefined ? undefined : { signal }).catch((error) => {
      throw isIncidentFault(error) ? unavailable : error;
    });
  };
  return { send, arrivals, close: async () => undefined };
}

/** Starts a real HTTP service on a random port of 127.0.0.1, answered through the incident. */
export async function startHttpService(
  incident: Incident,
  clock: Clock,
  stream: string,
): Promise<Service & { readonly url: string }> {
  const chaos = incidentPolicy(incident, clock, stream);
  const arrivals: number[] = [];
  const ok = (): void => undefined;
  const server = createServer((req, res) => {
    if (req.url === '/health') {
      res.end('ok');
      return;
    }
    arrivals.push(clock.now());
    // A client that gives up closes the connection: stop waiting on its behalf.
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    chaos.execute(ok, { signal: gone.signal }).then(
      () => {
        if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      },
      (error: unknown) => {
        if (res.destroyed) return;
        const status = isIncidentFault(error) ? 503 : 500;
        res.writeHead(status, { 'content-type': 'text/plain' }).end('unavailable');
      },
    );
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/price`;
  await (await fetch(`http://127.0.0.1:${port}/health`)).text(); // warm the client up
  const send = httpSend(url);
  const close = (): Promise<void> => {
    const closed = new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
    server.closeAllConnections();
    return closed;
  };
  return { url, send, arrivals, close };
}
