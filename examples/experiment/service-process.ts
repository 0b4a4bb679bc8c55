/**
 * The real services in a child process of their own, so that the client side (fetch and
 * the policies under test) and the server side do not share one event loop and one core.
 * Run by `startServiceProcess`; talks to its parent over the IPC channel:
 *
 *   parent → { start: Incident, count }     child → { ports: number[] }
 *   parent → { zero: t0 }  (absolute ms: performance.timeOrigin + performance.now())
 *   parent → { stop: true }                 child → { arrivals: number[][] }, then exits
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Clock, Timer } from '../../src/index.js';
import type { Incident } from './incident.js';
import { type Service, startHttpService } from './service.js';

/** ms on a scale shared by every process of this machine. */
export const absoluteNow = (): number => performance.timeOrigin + performance.now();

/** Real timers; `now()` is ms since the absolute time `t0` (the start of the run). */
export function realClock(): Clock & { zero(t0: number): void } {
  let t0 = absoluteNow();
  return {
    now: () => absoluteNow() - t0,
    setTimer(callback: (arg: unknown) => void, ms: number, arg?: unknown): Timer {
      const handle = setTimeout(callback, Math.max(0, ms), arg);
      return { cancel: () => clearTimeout(handle) };
    },
    zero(start: number) {
      t0 = start;
    },
  };
}

type Message =
  | { readonly start: Incident; readonly count: number }
  | { readonly zero: number }
  | { readonly stop: true };

export interface ServiceProcess {
  readonly urls: readonly string[];
  /** Starts the services' clock at `t0` (absolute ms), the same moment as the client's. */
  zero(t0: number): void;
  /** Stops the services; resolves with each one's arrival log. */
  stop(): Promise<number[][]>;
  /** Kills the child if it is still running. */
  kill(): void;
}

/** Forks the child and starts `count` services of `incident` in it. */
export async function startServiceProcess(
  incident: Incident,
  count: number,
): Promise<ServiceProcess> {
  const child = fork(fileURLToPath(import.meta.url), [], { serialization: 'advanced' });
  const reply = <T>(): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`service process exited (code ${code})`));
      child.once('exit', onExit);
      child.once('message', (message) => {
        child.off('exit', onExit);
        resolve(message as T);
      });
    });
  const ready = reply<{ ports: number[] }>();
  child.send({ start: incident, count } satisfies Message);
  const { ports } = await ready;
  return {
    urls: ports.map((port) => `http://127.0.0.1:${port}/price`),
    zero: (t0) => child.send({ zero: t0 } satisfies Message),
    async stop() {
      const done = reply<{ arrivals: number[][] }>();
      child.send({ stop: true } satisfies Message);
      return (await done).arrivals;
    },
    kill: () => {
      if (child.exitCode === null) child.kill();
    },
  };
}

/** The child's side. */
function serve(): void {
  const clock = realClock();
  let services: (Service & { readonly url: string })[] = [];
  process.on('message', (message: Message) => {
    if ('start' in message) {
      void (async () => {
        for (let i = 0; i < message.count; i++) {
          services.push(await startHttpService(message.start, clock, 'service'));
        }
        process.send?.({ ports: services.map((s) => Number(new URL(s.url).port)) });
      })();
    } else if ('zero' in message) {
      clock.zero(message.zero);
    } else {
      void Promise.all(services.map((s) => s.close())).then(() => {
        process.send?.({ arrivals: services.map((s) => [...s.arrivals]) }, () =>
          process.disconnect(),
        );
        services = [];
      });
    }
  });
}

if (process.send !== undefined && process.argv[1] === fileURLToPath(import.meta.url)) serve();
