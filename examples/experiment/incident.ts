/**
 * The scripted incident: a list of phases (healthy, latency spike, outage, flapping,
 * recovery by default), each a share of the run, turned into a `breakwater/chaos` pipeline
 * that the service runs every request through. One seed fixes the phase boundaries, the
 * flapping periods and every latency and fault draw.
 */

import {
  all,
  during,
  flapping,
  InjectedFaultError,
  type InjectorPolicy,
  injectFault,
  injectLatency,
  isInjectedFaultError,
  rate,
} from '../../src/chaos/index.js';
import { type Clock, type Policy, pipeline } from '../../src/index.js';
import { seededRandom } from '../../src/testing/index.js';

/** A latency range: each affected call waits a uniform draw from [min, max) ms. */
export interface LatencyRange {
  readonly min: number;
  readonly max: number;
}

/** What the service does during one phase. Phases with no fault options are healthy. */
export interface PhaseSpec {
  readonly name: string;
  /** The phase's share of the run, relative to the other phases' weights. */
  readonly weight: number;
  /** Extra latency on every call that arrives during the phase. */
  readonly latency?: LatencyRange;
  /** Share of calls (0..1) answered 503 at once; 1 is a full outage. */
  readonly failRate?: number;
  /** Healthy for `up` ms, then 503 for `down` ms, repeating from the phase's start. */
  readonly flapping?: { readonly up: number; readonly down: number };
  /** The window shaded on the charts and used for "load during outage" and "recovery". */
  readonly outage?: boolean;
}

/** A phase placed on the timeline: `from` inclusive, `to` exclusive, ms from the start. */
export interface Phase extends PhaseSpec {
  readonly from: number;
  readonly to: number;
}

/** What the service does on every call, whatever the phase. */
export interface Baseline {
  readonly latency: LatencyRange;
  /** Share of calls answered 503 even when healthy. */
  readonly failRate: number;
}

/** A fully placed incident: everything the service and the report need. */
export interface Incident {
  readonly seed: string;
  /** ms. */
  readonly duration: number;
  readonly baseline: Baseline;
  readonly phases: readonly Phase[];
}

export interface IncidentOptions {
  readonly seed: string;
  /** Length of the whole run, ms. */
  readonly duration: number;
  /** @default {@link defaultPhases} drawn from the seed */
  readonly phases?: readonly PhaseSpec[];
  /** @default 5-25 ms latency, 1% of calls fail */
  readonly baseline?: Baseline;
  /**
   * How far each phase's weight may move, drawn from the seed: 0.2 means ±20%.
   * @default 0.2
   */
  readonly jitter?: number;
}

export const defaultBaseline: Baseline = { latency: { min: 5, max: 25 }, failRate: 0.01 };

/** The default five phases; the flapping periods are drawn from `random`. */
export function defaultPhases(random: () => number): PhaseSpec[] {
  const up = 1_500 + Math.round(random() * 15) * 100; // 1.5-3 s
  const down = 500 + Math.round(random() * 10) * 100; // 0.5-1.5 s
  return [
    { name: 'healthy', weight: 0.2 },
    { name: 'latency spike', weight: 0.15, latency: { min: 100, max: 700 } },
    { name: 'outage', weight: 0.2, failRate: 1, outage: true },
    { name: 'flapping', weight: 0.2, flapping: { up, down } },
    { name: 'recovery', weight: 0.25 },
  ];
}

/** Places the phases on a timeline of `duration` ms, each weight jittered from the seed. */
export function scriptIncident(options: IncidentOptions): Incident {
  const { seed, duration } = options;
  if (!(Number.isFinite(duration) && duration > 0)) {
    throw new RangeError(`scriptIncident: duration must be a finite number > 0, got ${duration}`);
  }
  const random = seededRandom(`${seed}/incident`);
  const specs = options.phases ?? defaultPhases(random);
  if (specs.length === 0) throw new RangeError('scriptIncident: phases must not be empty');
  const jitter = options.jitter ?? 0.2;
  const weights = specs.map((p) => p.weight * (1 + jitter * (2 * random() - 1)));
  const total = weights.reduce((sum, w) => sum + w, 0);
  const phases: Phase[] = [];
  let from = 0;
  let acc = 0;
  specs.forEach((spec, i) => {
    acc += weights[i]!;
    const to = i === specs.length - 1 ? duration : Math.round((acc / total) * duration);
    phases.push({ ...spec, from, to });
    from = to;
  });
  return { seed, duration, baseline: options.baseline ?? defaultBaseline, phases };
}

/** The phase a time falls in (the last one for times at or after the end). */
export function phaseAt(incident: Incident, time: number): Phase {
  const { phases } = incident;
  for (const phase of phases) if (time < phase.to) return phase;
  return phases[phases.length - 1]!;
}

/** The outage windows (phases marked `outage`). */
export function outageWindows(incident: Incident): Phase[] {
  return incident.phases.filter((p) => p.outage === true);
}

/**
 * One error object per injector, thrown on every call it picks: the service only needs to
 * know that the incident failed the call, and a shared error spares a stack trace per call.
 */
const fault = (name: string): InjectedFaultError => new InjectedFaultError(name);

const draw = (random: () => number, range: LatencyRange) => () =>
  range.min + random() * (range.max - range.min);

/**
 * The chaos pipeline a service runs each request through, on `clock` (whose `now()` is ms
 * since the start of the run). Injected faults reject with `InjectedFaultError`, which the
 * service answers with 503. `stream` names this service's random streams, so two services
 * of the same incident draw alike.
 */
export function incidentPolicy(incident: Incident, clock: Clock, stream = 'service'): Policy {
  const seed = `${incident.seed}/${stream}`;
  const random = seededRandom(`${seed}/latency`);
  const injectors: InjectorPolicy[] = [
    injectLatency({ name: 'baseline', delay: draw(random, incident.baseline.latency), clock }),
  ];
  for (const phase of incident.phases) {
    if (phase.to <= phase.from) continue; // rounded away in a very short run
    const window = during({ from: phase.from, to: phase.to });
    if (phase.latency !== undefined) {
      injectors.push(
        injectLatency({
          name: phase.name,
          when: window,
          delay: draw(random, phase.latency),
          clock,
        }),
      );
    }
    if (phase.failRate !== undefined) {
      const when = phase.failRate >= 1 ? window : all(window, rate(phase.failRate));
      const name = `${phase.name} faults`;
      injectors.push(injectFault({ name, when, seed, clock, error: fault(name) }));
    }
    if (phase.flapping !== undefined) {
      const flaps = flapping({ ...phase.flapping, start: phase.from });
      const name = `${phase.name} flaps`;
      injectors.push(
        injectFault({ name, when: all(window, flaps), seed, clock, error: fault(name) }),
      );
    }
  }
  if (incident.baseline.failRate > 0) {
    const name = 'baseline faults';
    const when = rate(incident.baseline.failRate);
    injectors.push(injectFault({ name, when, seed, clock, error: fault(name) }));
  }
  return pipeline(...injectors);
}

/** Whether an error is one the incident injected (the service answers it with 503). */
export const isIncidentFault = (error: unknown): boolean => isInjectedFaultError(error);
