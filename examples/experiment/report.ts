/**
 * The experiment's report: the per-configuration tables, three SVG charts and report.md.
 * Everything here is a pure function of the result, except `writeReport`; a virtual run's
 * result holds no wall-clock reading, so its report is the same bytes for the same seed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatMs, formatPercent, formatTable } from './format.js';
import { type Incident, outageWindows } from './incident.js';
import { bucketSize, type Summary, summarize, timeSeries } from './metrics.js';
import type { LaneResult } from './runner.js';
import { type ChartSeries, lineChart, PALETTE } from './svg.js';

export interface ExperimentResult {
  readonly mode: 'real' | 'virtual';
  readonly seed: string;
  /** Requests per second offered in all, split evenly over the configurations. */
  readonly rate: number;
  readonly incident: Incident;
  readonly lanes: readonly LaneResult[];
  /**
   * Real runs only: when it started (ISO), how long it took in wall time (ms), and the
   * client process's p99 event-loop delay (ms): when that is large, the machine, not the
   * service, made the calls slow.
   */
  readonly wall?: {
    readonly startedAt: string;
    readonly ms: number;
    readonly lagP99: number;
    /** Requests still in flight when the run was cut off, GRACE_MS after its end. */
    readonly cutOff: number;
  };
}

const seconds = (ms: number): string =>
  Number.isFinite(ms) ? `${(ms / 1_000).toFixed(1)} s` : 'never';

/** The main table: one column per configuration. */
export function summaryTable(summaries: readonly Summary[]): string {
  const row = (name: string, cell: (s: Summary) => string): string[] => [
    name,
    ...summaries.map(cell),
  ];
  return formatTable([
    row('', (s) => s.name),
    row('requests', (s) => String(s.requests)),
    row('real answers', (s) => String(s.ok)),
    row('fallback answers', (s) => String(s.fallback)),
    row('errors', (s) => String(s.errors)),
    row('success rate (real)', (s) => formatPercent(s.successRate)),
    row('success rate (incl. fallback)', (s) => formatPercent(s.answeredRate)),
    row('latency p50 (ms)', (s) => formatMs(s.p50)),
    row('latency p99 (ms)', (s) => formatMs(s.p99)),
    row('latency p99.9 (ms)', (s) => formatMs(s.p999)),
    row('calls reaching the service', (s) => String(s.serviceCalls)),
    row('  of which during the outage', (s) => String(s.outageCalls)),
    row('recovery (outage end → 95%)', (s) => seconds(s.recovery)),
  ]);
}

/** Failures (fallback or error) by reason, one column per configuration. */
export function reasonsTable(summaries: readonly Summary[]): string {
  const reasons = [...new Set(summaries.flatMap((s) => s.reasons.map(([r]) => r)))].sort();
  const count = (s: Summary, reason: string): string =>
    String(s.reasons.find(([r]) => r === reason)?.[1] ?? 0);
  return formatTable([
    ['reason', ...summaries.map((s) => s.name)],
    ...reasons.map((reason) => [reason, ...summaries.map((s) => count(s, reason))]),
  ]);
}

/** Success rate per phase: `real / incl. fallback` per configuration. */
export function phaseTable(summaries: readonly Summary[]): string {
  const phases = summaries[0]?.phases ?? [];
  const cell = (s: Summary, i: number): string => {
    const p = s.phases[i];
    if (p === undefined) return '-';
    const real = formatPercent(p.successRate);
    return p.answeredRate === p.successRate ? real : `${real} / ${formatPercent(p.answeredRate)}`;
  };
  return formatTable([
    ['phase', ...summaries.map((s) => s.name)],
    ...phases.map((p, i) => [p.phase, ...summaries.map((s) => cell(s, i))]),
  ]);
}

export interface Chart {
  readonly file: string;
  readonly title: string;
  readonly svg: string;
}

/** Success rate, p99 and service load over time, the outage shaded. */
export function charts(result: ExperimentResult): Chart[] {
  const { incident, lanes } = result;
  const bucket = bucketSize(incident.duration);
  const series = lanes.map((lane) => timeSeries(lane, incident.duration, bucket));
  const at = (values: readonly number[], scale = 1): ChartSeries['points'] =>
    values.map((v, k) => [((k + 0.5) * bucket) / 1_000, v * scale] as const);
  const shaded = outageWindows(incident).map((w) => ({
    from: w.from / 1_000,
    to: w.to / 1_000,
    label: w.name,
  }));
  const common = {
    xLabel: `time (s), ${bucket / 1_000} s buckets`,
    xMax: incident.duration / 1_000,
    shaded,
  };
  const chart = (file: string, title: string, svg: string): Chart => ({ file, title, svg });
  return [
    chart(
      'success-rate.svg',
      'Success rate over time (real answers; dashed: with fallback answers)',
      lineChart({
        ...common,
        title: 'Success rate over time (real answers; dashed: with fallback answers)',
        yLabel: 'answered (%)',
        yMax: 100,
        yFormat: (v) => `${v}%`,
        series: [
          ...series.map((s) => ({ name: s.name, points: at(s.success, 100) })),
          // A configuration whose fallback answered: its answered rate too, dashed, same colour.
          ...series.flatMap((s, i) =>
            lanes[i]!.records.some((r) => r.outcome === 'fallback')
              ? [
                  {
                    name: `${s.name} + fallback`,
                    points: at(s.answered, 100),
                    color: PALETTE[i % PALETTE.length]!,
                    dashed: true,
                  },
                ]
              : [],
          ),
        ],
      }),
    ),
    chart(
      'p99.svg',
      'p99 latency over time',
      lineChart({
        ...common,
        title: 'p99 latency over time',
        yLabel: 'p99 latency (ms)',
        series: series.map((s) => ({ name: s.name, points: at(s.p99) })),
      }),
    ),
    chart(
      'service-load.svg',
      'Load on the service over time',
      lineChart({
        ...common,
        title: 'Load on the service over time',
        yLabel: 'requests reaching the service (/s)',
        series: series.map((s) => ({ name: s.name, points: at(s.load) })),
      }),
    ),
  ];
}

function timeline(incident: Incident): string {
  const rows = incident.phases.map((p) => {
    const what: string[] = [];
    if (p.latency) what.push(`+${p.latency.min}-${p.latency.max} ms latency`);
    if (p.failRate !== undefined) what.push(`${formatPercent(p.failRate)} of calls answered 503`);
    if (p.flapping) what.push(`up ${p.flapping.up} ms / down (503) ${p.flapping.down} ms`);
    return [p.name, seconds(p.from), seconds(p.to), what.join('; ') || 'no extra fault'];
  });
  return formatTable([['phase', 'from', 'to', 'what the service does'], ...rows]);
}

/** A client whose event loop lags by this much (p99, ms) measures itself, not the service. */
export const LAG_WARNING_MS = 50;

function wallLines(wall: NonNullable<ExperimentResult['wall']>): string[] {
  const lines = [
    `- started: ${wall.startedAt}, took ${seconds(wall.ms)} wall time`,
    `- client event-loop delay, p99: ${wall.lagP99.toFixed(0)} ms`,
  ];
  if (wall.lagP99 > LAG_WARNING_MS) lines.push(`- **${overloadWarning(wall.lagP99)}**`);
  if (wall.cutOff > 0) lines.push(`- **${cutOffWarning(wall.cutOff)}**`);
  return lines;
}

/** The warning printed and written when the client process was overloaded. */
export function overloadWarning(lagP99: number): string {
  return `warning: the client's event loop lagged ${lagP99.toFixed(0)} ms (p99): this machine could not keep up with the request rate, so latencies and timeouts measure the machine more than the policies; try a lower --rate`;
}

/** The warning when the run had to stop the services to end. */
export function cutOffWarning(cutOff: number): string {
  return `warning: ${cutOff} requests were still in flight 8 s after the end of the run; the services were stopped, and those requests count as "network" errors`;
}

/** The whole report.md. */
export function reportMarkdown(
  result: ExperimentResult,
  summaries: readonly Summary[],
  list: readonly Chart[],
): string {
  const { incident } = result;
  const b = incident.baseline;
  const lines = [
    '# breakwater dependability experiment',
    '',
    `- mode: ${result.mode === 'virtual' ? 'virtual (VirtualClock, simulated service)' : 'real (HTTP service on 127.0.0.1)'}`,
    `- seed: ${result.seed}`,
    `- arrivals: Poisson, ${result.rate} requests/s in all (${result.rate / result.lanes.length}/s per configuration, at the same times), for ${seconds(incident.duration)}`,
    ...(result.wall ? wallLines(result.wall) : []),
    `- every call: ${b.latency.min}-${b.latency.max} ms latency, ${formatPercent(b.failRate)} answered 503`,
    '',
    '## Incident',
    '',
    '```',
    timeline(incident),
    '```',
    '',
    '## Configurations',
    '',
    ...result.lanes.map((l) => `- **${l.name}**: ${l.description}`),
    '',
    '## Results',
    '',
    '```',
    summaryTable(summaries),
    '```',
    '',
    'Success rate per phase (real answers; `real / incl. fallback` where a fallback answered):',
    '',
    '```',
    phaseTable(summaries),
    '```',
    '',
    'Failures by reason (for `pipeline`, the reason its fallback answered):',
    '',
    '```',
    reasonsTable(summaries),
    '```',
    '',
    'Every metric is defined in docs/experiments.md.',
    '',
    '## Charts',
    '',
    ...list.flatMap((c) => [`![${c.title}](${c.file})`, '']),
  ];
  return lines.join('\n');
}

/** Writes report.md and the charts into `dir`; returns the paths and the summaries. */
export async function writeReport(
  dir: string,
  result: ExperimentResult,
): Promise<{ report: string; charts: string[]; summaries: Summary[] }> {
  const summaries = result.lanes.map((lane) => summarize(lane, result.incident));
  const list = charts(result);
  await mkdir(dir, { recursive: true });
  const report = join(dir, 'report.md');
  await writeFile(report, reportMarkdown(result, summaries, list));
  const paths: string[] = [];
  for (const c of list) {
    const path = join(dir, c.file);
    await writeFile(path, c.svg);
    paths.push(path);
  }
  return { report, charts: paths, summaries };
}
