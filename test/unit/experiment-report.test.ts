import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { runVirtual } from '../../examples/experiment/experiment.js';
import { charts, type ExperimentResult, writeReport } from '../../examples/experiment/report.js';

/** A short virtual run: 4 s of incident, 600 req/s in all (150/s for each configuration). */
const run = (seed: string): Promise<ExperimentResult> =>
  runVirtual({ seed, rate: 600, duration: 4_000 });

let shared: Promise<ExperimentResult> | undefined;
/** One run for the tests that only read a result. */
const sharedRun = (): Promise<ExperimentResult> => {
  shared ??= run('gamma');
  return shared;
};

const dirs: string[] = [];
async function written(result: ExperimentResult): Promise<Map<string, Buffer>> {
  const dir = await mkdtemp(join(tmpdir(), 'breakwater-experiment-'));
  dirs.push(dir);
  await writeReport(dir, result);
  const files = new Map<string, Buffer>();
  for (const name of (await readdir(dir)).sort()) {
    files.set(name, await readFile(join(dir, name)));
  }
  return files;
}

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('virtual experiment report', () => {
  it('is byte-identical for the same seed (report.md and every SVG) and differs for another seed', async () => {
    const first = await written(await run('alpha'));
    const second = await written(await run('alpha'));
    expect([...first.keys()]).toEqual([
      'p99.svg',
      'report.md',
      'service-load.svg',
      'success-rate.svg',
    ]);
    for (const [name, bytes] of first) expect(second.get(name)?.equals(bytes), name).toBe(true);

    const other = await written(await run('beta'));
    expect(other.get('report.md')?.equals(first.get('report.md')!)).toBe(false);
    expect(other.get('success-rate.svg')?.equals(first.get('success-rate.svg')!)).toBe(false);
  });

  it('holds every request of every configuration, each settled, and no wall-clock reading', async () => {
    const result = await sharedRun();
    expect(result.wall).toBeUndefined();
    expect(result.lanes.map((l) => l.name)).toEqual(['bare', 'retry', 'timeout+retry', 'pipeline']);
    const counts = result.lanes.map((l) => l.records.filter((r) => r !== undefined).length);
    expect(new Set(counts).size).toBe(1);
    expect(counts[0]).toBeGreaterThan(500); // ~600 Poisson arrivals in 4 s at 150/s
    for (const lane of result.lanes) {
      for (const r of lane.records) expect(r.end).toBeGreaterThanOrEqual(r.start);
      // Every request that was sent counts once per attempt at the service.
      const attempts = lane.records.reduce((sum, r) => sum + r.attempts, 0);
      expect(lane.serviceArrivals.length).toBe(attempts);
    }
    const bare = result.lanes[0]!;
    expect(bare.records.every((r) => r.attempts === 1)).toBe(true);
    const pipeline = result.lanes[3]!;
    expect(pipeline.records.some((r) => r.outcome === 'fallback')).toBe(true);
    expect(pipeline.records.some((r) => r.outcome === 'error')).toBe(false);
  });
});

describe('experiment charts', () => {
  it('are well-formed SVG with one line per configuration and the outage shaded', async () => {
    const result = await sharedRun();
    const list = charts(result);
    expect(list.map((c) => c.file)).toEqual(['success-rate.svg', 'p99.svg', 'service-load.svg']);
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });
    const outage = result.incident.phases.find((p) => p.outage)!;
    for (const chart of list) {
      expect(XMLValidator.validate(chart.svg), chart.file).toBe(true);
      const svg = parser.parse(chart.svg).svg as {
        xmlns: string;
        path: { class: string; 'data-series': string; d: string; 'stroke-dasharray'?: string }[];
        rect: { class?: string; 'data-label'?: string; x: string; width: string }[];
      };
      expect(svg.xmlns).toBe('http://www.w3.org/2000/svg');
      // Solid lines: one per configuration; dashed: a fallback's answered rate.
      const series = svg.path.filter((p) => p.class === 'series' && !p['stroke-dasharray']);
      expect(series.map((p) => p['data-series'])).toEqual(result.lanes.map((l) => l.name));
      const dashed = svg.path.filter((p) => p['stroke-dasharray'] !== undefined);
      expect(dashed.map((p) => p['data-series'])).toEqual(
        chart.file === 'success-rate.svg' ? ['pipeline + fallback'] : [],
      );
      for (const p of series) expect(p.d).toMatch(/^M[\d.]+ [\d.]+( [ML][\d.]+ [\d.]+)+$/);
      const shaded = svg.rect.filter((r) => r.class === 'shaded');
      expect(shaded.map((r) => r['data-label'])).toEqual([outage.name]);
      expect(Number(shaded[0]!.width)).toBeGreaterThan(0);
    }
  });
});
