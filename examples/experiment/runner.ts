/**
 * Runs every client configuration side by side against the same incident: each arrival
 * starts one request in every configuration at the same moment, each configuration talking
 * to its own service instance, so load on the service is counted per configuration.
 */
import type { Clock } from '../../src/index.js';
import { type ClientConfig, reasonOf } from './clients.js';
import { type Incident, phaseAt } from './incident.js';
import type { Service } from './service.js';

/** One request, as the caller saw it. Times are ms on the experiment clock. */
export interface RequestRecord {
  readonly start: number;
  readonly end: number;
  readonly outcome: 'ok' | 'fallback' | 'error';
  /** Why it was not a real answer (fallback or error): `timeout`, `circuit open`... */
  readonly reason: string | undefined;
  /** How many times it was sent to the service; 0: stopped before reaching it. */
  readonly attempts: number;
  /** The incident phase at `start`. */
  readonly phase: string;
}

/** One configuration and the service instance it talks to. */
export interface Lane {
  readonly config: ClientConfig;
  readonly service: Service;
}

/** What one configuration did: a record per arrival (in arrival order) and the service's log. */
export interface LaneResult {
  readonly name: string;
  readonly description: string;
  readonly records: readonly RequestRecord[];
  /** When requests reached this configuration's service (ms). */
  readonly serviceArrivals: readonly number[];
}

export interface Progress {
  /** ms since the start, on the experiment clock. */
  readonly now: number;
  readonly phase: string;
  /** Arrivals so far (each is one request per configuration). */
  readonly arrived: number;
  readonly total: number;
  /** Requests (over all configurations) not yet settled. */
  readonly inFlight: number;
}

export interface RunOptions {
  /** Its `now()` is ms since the start of the run. */
  readonly clock: Clock;
  readonly incident: Incident;
  /** Arrival times, ms, ascending. */
  readonly arrivals: readonly number[];
  readonly lanes: readonly Lane[];
  readonly onProgress?: (progress: Progress) => void;
}

/** Resolves once every request of every configuration has settled. */
export function runExperiment(options: RunOptions): Promise<LaneResult[]> {
  const { clock, incident, arrivals, lanes, onProgress } = options;
  const records = lanes.map(() => new Array<RequestRecord>(arrivals.length));
  let next = 0;
  let inFlight = 0;
  return new Promise<LaneResult[]>((resolve) => {
    const finish = (): void => {
      if (next < arrivals.length || inFlight > 0) return;
      resolve(
        lanes.map((lane, i) => ({
          name: lane.config.name,
          description: lane.config.description,
          records: records[i]!,
          serviceArrivals: lane.service.arrivals,
        })),
      );
    };
    const start = (index: number): void => {
      const begun = clock.now();
      const phase = phaseAt(incident, begun).name;
      lanes.forEach((lane, i) => {
        inFlight++;
        void lane.config.call(lane.service.send).then((result) => {
          inFlight--;
          records[i]![index] = {
            start: begun,
            end: clock.now(),
            outcome: result.outcome,
            reason: result.outcome === 'ok' ? undefined : reasonOf(result.cause),
            attempts: result.attempts,
            phase,
          };
          if (next === arrivals.length) report();
          finish();
        });
      });
    };
    const report = (): void =>
      onProgress?.({
        now: clock.now(),
        phase: phaseAt(incident, clock.now()).name,
        arrived: next,
        total: arrivals.length,
        inFlight,
      });
    const tick = (): void => {
      while (next < arrivals.length && arrivals[next]! <= clock.now() + 1e-6) start(next++);
      report();
      if (next < arrivals.length) clock.setTimer(tick, arrivals[next]! - clock.now());
      else finish();
    };
    tick();
  });
}
