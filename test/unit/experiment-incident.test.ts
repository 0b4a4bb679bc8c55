import { describe, expect, it } from 'vitest';
import { poissonArrivals } from '../../examples/experiment/arrivals.js';
import {
  incidentPolicy,
  isIncidentFault,
  phaseAt,
  scriptIncident,
} from '../../examples/experiment/incident.js';
import { seededRandom, VirtualClock } from '../../src/testing/index.js';

const NAMES = ['healthy', 'latency spike', 'outage', 'flapping', 'recovery'];

describe('scripted incident', () => {
  it('gives the same phase timeline for the same seed and another for another seed', () => {
    const a = scriptIncident({ seed: 's1', duration: 600_000 });
    expect(scriptIncident({ seed: 's1', duration: 600_000 })).toEqual(a);
    const b = scriptIncident({ seed: 's2', duration: 600_000 });
    expect(b.phases.map((p) => p.to)).not.toEqual(a.phases.map((p) => p.to));
  });

  it('puts the five phases in order, back to back, covering the whole run', () => {
    for (const seed of ['1', '2', '3', 'x']) {
      const { phases } = scriptIncident({ seed, duration: 36_000 });
      expect(phases.map((p) => p.name)).toEqual(NAMES);
      expect(phases[0]!.from).toBe(0);
      expect(phases[phases.length - 1]!.to).toBe(36_000);
      for (let i = 0; i < phases.length; i++) {
        expect(phases[i]!.to).toBeGreaterThan(phases[i]!.from);
        if (i > 0) expect(phases[i]!.from).toBe(phases[i - 1]!.to);
      }
      expect(phases.filter((p) => p.outage).map((p) => p.name)).toEqual(['outage']);
    }
  });

  it('scales each phase to its weight, moved at most by the jitter', () => {
    const { phases } = scriptIncident({ seed: 'w', duration: 100_000 });
    const expected = [0.2, 0.15, 0.2, 0.2, 0.25];
    phases.forEach((p, i) => {
      const share = (p.to - p.from) / 100_000;
      expect(share).toBeGreaterThan(expected[i]! * 0.6);
      expect(share).toBeLessThan(expected[i]! * 1.5);
    });
    const exact = scriptIncident({
      seed: 'w',
      duration: 10_000,
      jitter: 0,
      phases: [
        { name: 'a', weight: 1 },
        { name: 'b', weight: 3 },
      ],
    });
    expect(exact.phases.map((p) => [p.name, p.from, p.to])).toEqual([
      ['a', 0, 2_500],
      ['b', 2_500, 10_000],
    ]);
    expect(phaseAt(exact, 2_499).name).toBe('a');
    expect(phaseAt(exact, 2_500).name).toBe('b');
    expect(phaseAt(exact, 99_999).name).toBe('b');
  });

  it('rejects a bad duration and an empty phase list', () => {
    expect(() => scriptIncident({ seed: 'x', duration: 0 })).toThrow(
      new RangeError('scriptIncident: duration must be a finite number > 0, got 0'),
    );
    expect(() => scriptIncident({ seed: 'x', duration: 1_000, phases: [] })).toThrow(RangeError);
  });

  it('makes the service slow, down and flapping when the script says so', async () => {
    const incident = scriptIncident({
      seed: 'p',
      duration: 40_000,
      jitter: 0,
      baseline: { latency: { min: 10, max: 20 }, failRate: 0 },
      phases: [
        { name: 'ok', weight: 1 },
        { name: 'slow', weight: 1, latency: { min: 500, max: 600 } },
        { name: 'down', weight: 1, failRate: 1, outage: true },
        { name: 'flap', weight: 1, flapping: { up: 1_000, down: 1_000 } },
      ],
    });
    const clock = new VirtualClock();
    const policy = incidentPolicy(incident, clock);
    /** Calls the service at `at` ms: its latency, 'fault', or 'other' for any other error. */
    const callAt = async (at: number): Promise<number | 'fault' | 'other'> => {
      await clock.advanceTo(at);
      let result: number | 'fault' | 'other' | undefined;
      policy
        .execute(() => clock.now() - at)
        .then(
          (ms) => {
            result = ms;
          },
          (error: unknown) => {
            result = isIncidentFault(error) ? 'fault' : 'other';
          },
        );
      await clock.advance(1_000);
      return result!;
    };
    const healthy = await callAt(1_000);
    expect(healthy).toBeGreaterThanOrEqual(10);
    expect(healthy).toBeLessThan(20);
    const slow = await callAt(12_000);
    expect(slow).toBeGreaterThanOrEqual(510);
    expect(slow).toBeLessThan(620);
    expect(await callAt(25_000)).toBe('fault');
    expect(await callAt(30_100)).toBeTypeOf('number'); // flap: up for [30 s, 31 s)
    expect(await callAt(31_500)).toBe('fault'); // and down (503) for [31 s, 32 s)
    expect(await callAt(32_500)).toBeTypeOf('number');
    expect(clock.pending()).toBe(0);
  });
});

describe('Poisson arrivals', () => {
  it('are ascending, inside the run, about `rate` per second, and the same for the same seed', () => {
    const times = poissonArrivals(seededRandom('a'), 200, 60_000);
    expect(poissonArrivals(seededRandom('a'), 200, 60_000)).toEqual(times);
    expect(poissonArrivals(seededRandom('b'), 200, 60_000)).not.toEqual(times);
    expect(times.length).toBeGreaterThan(11_400); // 12,000 expected; sd ~110
    expect(times.length).toBeLessThan(12_600);
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThan(times[i - 1]!);
    expect(times[0]!).toBeGreaterThanOrEqual(0);
    expect(times[times.length - 1]!).toBeLessThan(60_000);
  });

  it('rejects a rate that is not a positive number', () => {
    expect(() => poissonArrivals(Math.random, 0, 1_000)).toThrow(
      new RangeError('poissonArrivals: rate must be a finite number > 0, got 0'),
    );
  });
});
