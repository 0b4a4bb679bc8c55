/**
 * Interleaved measurement on top of mitata's `measure`: every subject of every scenario is
 * measured once per round, rounds repeat, and each subject's figure is the median of its
 * per-round averages. Interleaving spreads machine noise (other processes, thermal drift)
 * over all subjects instead of penalising whichever ran during a noisy stretch.
 */
import { measure } from 'mitata';
import { bytesPerCall } from './bytes.js';

export interface Subject {
  readonly name: string;
  /** One awaited operation; its cost is what is reported (ns per call). */
  readonly run: () => Promise<unknown>;
}

export interface Scenario {
  readonly name: string;
  /** The bare subject every other one is compared with. */
  readonly bare: Subject;
  readonly subjects: readonly Subject[];
  /** Optional note printed under the table (what "bare" means here). */
  readonly note?: string;
}

export interface Row {
  readonly scenario: string;
  readonly subject: string;
  readonly ns: number;
  readonly xBare: number;
  readonly xCockatiel: number | undefined;
  /** Bytes allocated per call (undefined: could not be measured without a GC in between). */
  readonly bytes: number | undefined;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export async function runScenarios(
  scenarios: readonly Scenario[],
  options: { rounds: number; msPerSample: number; onProgress?: (text: string) => void },
): Promise<Row[]> {
  const samples = new Map<string, number[]>();
  const key = (scenario: Scenario, subject: Subject): string =>
    `${scenario.name}\u0000${subject.name}`;
  for (let round = 1; round <= options.rounds; round++) {
    for (const scenario of scenarios) {
      options.onProgress?.(`round ${round}/${options.rounds}: ${scenario.name}`);
      for (const subject of [scenario.bare, ...scenario.subjects]) {
        const stats = await measure(subject.run, { min_cpu_time: options.msPerSample * 1e6 });
        const list = samples.get(key(scenario, subject)) ?? [];
        list.push(stats.avg);
        samples.set(key(scenario, subject), list);
      }
    }
  }
  // Bytes per call, after the timing rounds (so everything is warm): about 20 ms of calls per
  // sample, at most 1,000.
  const bytes = new Map<string, number | undefined>();
  for (const scenario of scenarios) {
    options.onProgress?.(`bytes per call: ${scenario.name}`);
    for (const subject of [scenario.bare, ...scenario.subjects]) {
      const ns = median(samples.get(key(scenario, subject))!);
      const calls = Math.max(5, Math.min(1_000, Math.round(2e7 / ns)));
      bytes.set(key(scenario, subject), await bytesPerCall(subject.run, { calls }));
    }
  }
  const rows: Row[] = [];
  for (const scenario of scenarios) {
    const bare = median(samples.get(key(scenario, scenario.bare))!);
    const cockatiel = scenario.subjects.find((s) => s.name.startsWith('cockatiel'));
    const cockatielNs = cockatiel ? median(samples.get(key(scenario, cockatiel))!) : undefined;
    for (const subject of [scenario.bare, ...scenario.subjects]) {
      const ns = median(samples.get(key(scenario, subject))!);
      rows.push({
        scenario: scenario.name,
        subject: subject.name,
        ns,
        xBare: ns / bare,
        xCockatiel: cockatielNs === undefined ? undefined : ns / cockatielNs,
        bytes: bytes.get(key(scenario, subject)),
      });
    }
  }
  return rows;
}

const fmt = (n: number, digits: number): string =>
  n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(Math.min(digits, 1)) : n.toFixed(digits);

/** A Markdown table of the rows; `targets` maps "scenario/subject" to a "≤ N× bare" text. */
export function table(rows: readonly Row[], targets: ReadonlyMap<string, string>): string {
  const lines = [
    '| scenario | subject | ns/call | × bare | × cockatiel | bytes/call | target |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const r of rows) {
    const x = r.xCockatiel === undefined ? '' : fmt(r.xCockatiel, 3);
    const target = targets.get(`${r.scenario}/${r.subject}`) ?? '';
    const bytes = r.bytes === undefined ? 'n/a' : Number.isNaN(r.bytes) ? '?' : fmt(r.bytes, 0);
    lines.push(
      `| ${r.scenario} | ${r.subject} | ${fmt(r.ns, 0)} | ${fmt(r.xBare, 2)} | ${x} | ${bytes} | ${target} |`,
    );
  }
  return lines.join('\n');
}
