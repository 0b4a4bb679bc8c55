/**
 * Pure formatting for the demo: the side-by-side table and the plain-English lines that read
 * it. Every word that depends on a result is computed from the numbers, never assumed.
 */
import { formatMs, formatPercent, type RunSummary } from './stats.js';

/** One configuration's results: the caller's view plus counters from the service and events. */
export interface RunReport extends RunSummary {
  readonly label: string;
  /** Calls the service received (its own counter). */
  readonly reached: number;
  /** Retries announced by `onRetry`; undefined when the configuration has no retry. */
  readonly retries: number | undefined;
  /** Calls or attempts cut off by a deadline. */
  readonly timeouts: number;
  /** That deadline, ms. */
  readonly deadlineMs: number;
}

/**
 * Lays out rows as aligned columns: the first row is the header, followed by a rule; the
 * first column is left-aligned, the others right-aligned; columns are 3 spaces apart.
 */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const columns = Math.max(0, ...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) =>
    Math.max(0, ...rows.map((r) => (r[c] ?? '').length)),
  );
  const line = (row: readonly string[]): string =>
    widths
      .map((w, c) => {
        const cell = row[c] ?? '';
        return c === 0 ? cell.padEnd(w) : cell.padStart(w);
      })
      .join('   ')
      .trimEnd();
  const [header, ...body] = rows;
  if (header === undefined) return '';
  const total = widths.reduce((sum, w) => sum + w, 0) + 3 * Math.max(0, columns - 1);
  return [line(header), '-'.repeat(total), ...body.map(line)].join('\n');
}

const count = (n: number | undefined): string => (n === undefined ? '-' : String(n));

/** The side-by-side table of several runs, one column per run. */
export function reportTable(runs: readonly RunReport[]): string {
  const row = (name: string, cell: (r: RunReport) => string): string[] => [name, ...runs.map(cell)];
  return formatTable([
    row('', (r) => r.label),
    row('requests', (r) => count(r.requests)),
    row('succeeded (real answers)', (r) => count(r.succeeded)),
    row('answered by fallback', (r) => count(r.fallback)),
    row('failed', (r) => count(r.failed)),
    row('success rate, real', (r) => formatPercent(r.realRate)),
    row('success rate, incl. fallback', (r) => formatPercent(r.answeredRate)),
    row('latency p50 (ms)', (r) => formatMs(r.p50)),
    row('latency p99 (ms)', (r) => formatMs(r.p99)),
    row('latency max (ms)', (r) => formatMs(r.max)),
    row('calls that reached the service', (r) => count(r.reached)),
    row('retries', (r) => count(r.retries)),
    row('timeouts', (r) => `${r.timeouts} (at ${r.deadlineMs} ms)`),
  ]);
}

/** "rose from A to B" / "fell from A to B" / "stayed at A", comparing the raw numbers. */
export function change(from: number, to: number, show: (n: number) => string): string {
  const a = show(from);
  const b = show(to);
  if (a === b) return `stayed at ${a}`;
  return `${to > from ? 'rose' : 'fell'} from ${a} to ${b}`;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Two or three sentences reading the table: `before` is the baseline, `after` the policy. */
export function narrate(before: RunReport, after: RunReport): string[] {
  const lines: string[] = [];

  let answers = `Real answers ${change(before.realRate, after.realRate, formatPercent)} (${before.label} → ${after.label})`;
  if (after.fallback > 0) {
    answers += `; with ${plural(after.fallback, 'cached fallback answer')}, ${formatPercent(after.answeredRate)} of callers got a usable answer`;
  }
  if (after.failed > 0) answers += `; ${plural(after.failed, 'call')} still failed`;
  lines.push(`${answers}.`);

  const ms = (n: number): string => `${formatMs(n)} ms`;
  let latency = `p99 latency ${change(before.p99, after.p99, ms)} (max ${ms(before.max)} → ${ms(after.max)})`;
  const cuts: string[] = [];
  if (before.timeouts > 0) {
    cuts.push(
      `${before.label} waited the full ${ms(before.deadlineMs)} on ${plural(before.timeouts, 'stalled call')}`,
    );
  }
  if (after.timeouts > 0) {
    cuts.push(`${after.label} cut ${plural(after.timeouts, 'attempt')} at ${ms(after.deadlineMs)}`);
  }
  if (cuts.length > 0) latency += `: ${cuts.join(', while ')}`;
  lines.push(`${latency}.`);

  const extra = after.reached - after.requests;
  const load = after.requests > 0 ? formatPercent(extra / after.requests) : '-';
  if (after.retries !== undefined && after.retries > 0) {
    lines.push(
      `The cost: the service received ${after.reached} calls for ${after.requests} requests (${extra >= 0 ? '+' : ''}${load} load) because of ${plural(after.retries, 'retry', 'retries')}.`,
    );
  } else {
    lines.push(
      `${after.label} made no retries; the service received ${after.reached} calls for ${after.requests} requests.`,
    );
  }
  return lines;
}
