/**
 * The dependability experiment: four client configurations against one scripted incident.
 *
 *   npm run demo                                  # real HTTP services, about 36 s
 *   npm run demo -- --seed 7 --rate 100 --duration 20
 *   npm run experiment -- --virtual               # a 10-minute incident on a VirtualClock
 *   npm run experiment -- --virtual --duration 3600 --out reports/hour
 *
 * Flags and the report are described in docs/experiments.md.
 */
import { parseArgs } from 'node:util';
import { runReal, runVirtual } from './experiment.js';
import {
  cutOffWarning,
  LAG_WARNING_MS,
  overloadWarning,
  phaseTable,
  reasonsTable,
  summaryTable,
  writeReport,
} from './report.js';
import type { Progress } from './runner.js';

const USAGE =
  'usage: npm run demo -- [--seed <text>] [--rate <req/s>] [--duration <s>] [--out <dir>] [--virtual]';

interface Flags {
  readonly seed: string;
  readonly rate: number;
  readonly duration: number;
  readonly out: string;
  readonly virtual: boolean;
}

function positive(name: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new RangeError(`--${name} must be a number > 0, got ${JSON.stringify(text)}`);
  }
  return n;
}

function parseFlags(args: string[]): Flags {
  const { values } = parseArgs({
    args,
    options: {
      seed: { type: 'string', default: '42' },
      rate: { type: 'string', default: '200' },
      duration: { type: 'string' },
      out: { type: 'string' },
      virtual: { type: 'boolean', default: false },
    },
  });
  const virtual = values.virtual;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return {
    seed: values.seed,
    rate: positive('rate', values.rate),
    duration: positive('duration', values.duration ?? (virtual ? '600' : '30')),
    out: values.out ?? `reports/${stamp}`,
    virtual,
  };
}

/** Progress on stderr: one rewritten line on a terminal, a line every 5 s of run time otherwise. */
function progressPrinter(duration: number): (p: Progress) => void {
  let lastWall = Number.NEGATIVE_INFINITY;
  let lastRun = Number.NEGATIVE_INFINITY;
  let ended = false;
  const tty = process.stderr.isTTY === true;
  return (p) => {
    const wall = performance.now();
    const final = p.arrived === p.total && p.inFlight === 0;
    const due = tty ? wall - lastWall >= 200 : p.now - lastRun >= 5_000;
    if (ended || (!due && !final)) return;
    ended = final;
    lastWall = wall;
    lastRun = p.now;
    const line = `  [${p.phase}] ${(p.now / 1_000).toFixed(1)} s of ${duration} s, ${p.arrived}/${p.total} arrivals, ${p.inFlight} requests in flight`;
    process.stderr.write(tty ? `\r${line.padEnd(90)}${final ? '\n' : ''}` : `${line}\n`);
  };
}

async function main(): Promise<void> {
  let flags: Flags;
  try {
    flags = parseFlags(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const { seed, rate, duration, out, virtual } = flags;
  const mode = virtual ? 'virtual (VirtualClock, simulated service)' : 'real (HTTP on 127.0.0.1)';
  console.log(
    `breakwater experiment: ${mode}, seed ${seed}, ${rate} req/s in all (${rate / 4}/s per configuration), ${duration} s`,
  );
  const wallStart = performance.now();
  if (!virtual) {
    // If anything ever hangs, say so instead of keeping a newcomer waiting.
    setTimeout(
      () => {
        console.error(`experiment: still running ${duration + 25} s after the start; giving up`);
        process.exit(1);
      },
      (duration + 20) * 1_000,
    ).unref();
  }
  const options = { seed, rate, duration: duration * 1_000, onProgress: progressPrinter(duration) };
  const result = virtual ? await runVirtual(options) : await runReal(options);
  const written = await writeReport(out, result);
  console.log(`\n${summaryTable(written.summaries)}\n`);
  console.log(
    `Success rate per phase (real / incl. fallback):\n${phaseTable(written.summaries)}\n`,
  );
  console.log(`Failures by reason:\n${reasonsTable(written.summaries)}\n`);
  if (result.wall !== undefined && result.wall.lagP99 > LAG_WARNING_MS) {
    console.log(`${overloadWarning(result.wall.lagP99)}\n`);
  }
  if (result.wall !== undefined && result.wall.cutOff > 0) {
    console.log(`${cutOffWarning(result.wall.cutOff)}\n`);
  }
  console.log(`report: ${written.report}`);
  for (const path of written.charts) console.log(`chart:  ${path}`);
  console.log(`took ${((performance.now() - wallStart) / 1_000).toFixed(1)} s wall time`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
