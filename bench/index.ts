/**
 * `npm run bench`: breakwater vs a bare call vs cockatiel, interleaved in one process.
 * Flags: --rounds N (default 5), --ms N per sample (default 150), --out FILE
 * (default bench/results/latest.md), --filter TEXT (only scenarios whose name contains it).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { breakerScenarios, breakerTargets } from './breaker.js';
import { bulkheadScenarios, bulkheadTargets } from './bulkhead.js';
import { runScenarios, table } from './harness.js';
import { pipelineScenarios, pipelineTargets } from './pipeline.js';
import { scenarios, targets } from './scenarios.js';

// Measure what users run: the built package, never the source through tsx.
const resolved = import.meta.resolve('breakwater');
if (!resolved.includes('/dist/')) {
  console.error(`bench: 'breakwater' resolves to ${resolved}; run it with npm run bench`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    ms: { type: 'string', default: '150' },
    out: { type: 'string', default: 'bench/results/latest.md' },
    filter: { type: 'string', default: '' },
  },
});
const rounds = Number(values.rounds);
const msPerSample = Number(values.ms);

const list = [
  ...scenarios(),
  ...(await breakerScenarios()),
  ...bulkheadScenarios(),
  ...pipelineScenarios(),
].filter((s) => s.name.includes(values.filter));
const allTargets = new Map([...targets, ...breakerTargets, ...bulkheadTargets, ...pipelineTargets]);
const started = Date.now();
const rows = await runScenarios(list, {
  rounds,
  msPerSample,
  onProgress: (text) => process.stderr.write(`\r\x1b[K${text}`),
});
process.stderr.write('\r\x1b[K');

const machine = `${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length}, Node ${process.version}`;
const notes = list.filter((s) => s.note).map((s) => `- ${s.name}: ${s.note}`);
const report = [
  `# breakwater benchmark, ${new Date().toISOString()}`,
  '',
  `${machine}. ${rounds} interleaved rounds, ${msPerSample} ms per sample, median of per-round averages;`,
  'ratios are taken within this run (× bare = ÷ the bare call of the same scenario).',
  '',
  table(rows, allTargets),
  '',
  ...notes,
  '',
  `Took ${((Date.now() - started) / 1000).toFixed(1)} s.`,
].join('\n');
console.log(report);
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, `${report}\n`);
console.log(`\nwritten to ${values.out}`);
