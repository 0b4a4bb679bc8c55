/**
 * The two ways to run the experiment: real (HTTP services on 127.0.0.1, real timers, the
 * policies on the system clock) and virtual (simulated services, every timer on one
 * VirtualClock, so a 10-minute incident takes seconds and replays exactly).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { seededRandom, VirtualClock } from '../../src/testing/index.js';
import { poissonArrivals } from './arrivals.js';
import { clientConfigs } from './clients.js';
import { type IncidentOptions, scriptIncident } from './incident.js';
import type { ExperimentResult } from './report.js';
import { type Lane, type Progress, runExperiment } from './runner.js';
import { httpSend, simulatedService } from './service.js';
import { absoluteNow, realClock, startServiceProcess } from './service-process.js';

export interface ExperimentOptions {
  readonly seed: string;
  /**
   * Requests per second offered in all, split evenly over the configurations: with four,
   * each gets `rate / 4` per second, all four at the same (Poisson) arrival times.
   */
  readonly rate: number;
  /** ms. */
  readonly duration: number;
  /** Your own incident phases (see docs/experiments.md); default: the five-phase incident. */
  readonly phases?: IncidentOptions['phases'];
  readonly onProgress?: (progress: Progress) => void;
}

/** Real runs: how long after the last arrival requests may still finish, ms. */
export const GRACE_MS = 8_000;

/** How far the virtual clock moves between two checks for the end of the run, ms. */
const STEP = 1_000;

function setup(options: ExperimentOptions, configurations: number) {
  const { seed, rate, duration } = options;
  const incident = scriptIncident({
    seed,
    duration,
    ...(options.phases === undefined ? {} : { phases: options.phases }),
  });
  const arrivals = poissonArrivals(
    seededRandom(`${seed}/arrivals`),
    rate / configurations,
    duration,
  );
  return { incident, arrivals };
}

/** Runs on a VirtualClock against simulated services; the result depends only on the options. */
export async function runVirtual(options: ExperimentOptions): Promise<ExperimentResult> {
  const clock = new VirtualClock();
  const configs = clientConfigs({ clock, seed: options.seed });
  const { incident, arrivals } = setup(options, configs.length);
  const lanes: Lane[] = configs.map((config) => ({
    config,
    service: simulatedService(incident, clock, 'service'),
  }));
  let done = false;
  const run = runExperiment({
    clock,
    incident,
    arrivals,
    lanes,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  }).finally(() => {
    done = true;
  });
  // advanceTo lets promise callbacks run once between two timers (clock.next() does twice).
  while (!done) {
    const next = clock.nextDeadline();
    if (next === undefined) {
      await clock.flush();
      if (done) break;
      throw new Error(
        `virtual run stuck at ${clock.now()} ms: no timer is pending but some requests never settled`,
      );
    }
    await clock.advanceTo(Math.max(next, clock.now() + STEP));
  }
  return { mode: 'virtual', seed: options.seed, rate: options.rate, incident, lanes: await run };
}

/**
 * Runs against real HTTP services on 127.0.0.1, one per configuration, served from a child
 * process so that clients and services do not share one event loop.
 */
export async function runReal(options: ExperimentOptions): Promise<ExperimentResult> {
  const configs = clientConfigs({ clock: undefined, seed: options.seed });
  const { incident, arrivals } = setup(options, configs.length);
  const child = await startServiceProcess(incident, configs.length);
  try {
    const lanes: Lane[] = configs.map((config, i) => ({
      config,
      service: { send: httpSend(child.urls[i]!), arrivals: [], close: async () => undefined },
    }));
    for (const url of child.urls) await (await fetch(url.replace(/price$/, 'health'))).text();
    const clock = realClock();
    const lag = monitorEventLoopDelay({ resolution: 10 });
    const startedAt = new Date().toISOString();
    const t0 = absoluteNow();
    clock.zero(t0);
    child.zero(t0);
    lag.enable();
    // An overloaded machine can fall far behind; past the grace period, stop the services so
    // that every request still waiting fails at once (as "network") and the run ends. (One
    // AbortSignal shared by every request would do it too, but Node removes an AbortSignal
    // listener in O(listeners): with 20,000 requests in flight that alone takes seconds.)
    let inFlight = 0;
    let cutOff = 0;
    let stopping: Promise<number[][]> | undefined;
    const cut = setTimeout(() => {
      cutOff = inFlight;
      stopping = child.stop();
    }, incident.duration + GRACE_MS);
    const results = await runExperiment({
      clock,
      incident,
      arrivals,
      lanes,
      onProgress: (p) => {
        inFlight = p.inFlight;
        options.onProgress?.(p);
      },
    });
    clearTimeout(cut);
    lag.disable();
    const wallMs = absoluteNow() - t0;
    const logs = await (stopping ?? child.stop());
    return {
      mode: 'real',
      seed: options.seed,
      rate: options.rate,
      incident,
      lanes: results.map((lane, i) => ({ ...lane, serviceArrivals: logs[i] ?? [] })),
      wall: { startedAt, ms: wallMs, lagP99: lag.percentile(99) / 1e6, cutOff },
    };
  } finally {
    child.kill();
  }
}
