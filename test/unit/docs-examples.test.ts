/**
 * The examples in README.md and docs/*.md are code: every ```ts block is type-checked against
 * the source (strict tsconfig), and every ```ts runnable block is also run. Imports of
 * 'breakwater', 'breakwater/testing' and 'breakwater/chaos' are rewritten to the source; a runnable block must not
 * use real timers (checked by spying on `systemClock.setTimer`).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const tmp = join(root, 'test/.docs-tmp');

/** Pages that must carry at least one ```ts block (README) or one runnable block (docs). */
const README = 'README.md';
const RUNNABLE_REQUIRED = [
  'docs/retry.md',
  'docs/timeout.md',
  'docs/fallback.md',
  'docs/pipeline.md',
  'docs/testing.md',
  'docs/circuit-breaker.md',
  'docs/bulkhead.md',
  'docs/chaos.md',
];

const IMPORTS: Readonly<Record<string, string>> = {
  breakwater: '../../src/index.js',
  'breakwater/testing': '../../src/testing/index.js',
  'breakwater/chaos': '../../src/chaos/index.js',
};

interface Snippet {
  /** `docs/retry.md:42`, the line of the opening fence. */
  readonly where: string;
  readonly runnable: boolean;
  /** Line of the first code line in the page (1-based). */
  readonly firstLine: number;
  readonly code: string;
  readonly path: string;
}

function pages(): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs].filter((page) => existsSync(join(root, page)));
}

/** Every ```ts block of `page`, in order. */
function extract(page: string): Snippet[] {
  const lines = readFileSync(join(root, page), 'utf8').split('\n');
  const found: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^\s*```ts( runnable)?\s*$/.exec(lines[i] ?? '');
    if (fence === null) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i] ?? ''); i++)
      body.push(lines[i] ?? '');
    const slug = page.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    found.push({
      where: `${page}:${start + 1}`,
      runnable: fence[1] !== undefined,
      firstLine: start + 2,
      code: body.join('\n'),
      path: join(tmp, `${slug}-L${start + 1}.ts`),
    });
  }
  return found;
}

/** Test tools an illustrative (type-checked only) block may import. */
const TEST_TOOLS = ['vitest', '@fast-check/vitest', 'fast-check'];

/**
 * Rewrites package imports to the source. Runnable blocks may import only breakwater and
 * `node:` modules; illustrative ones also test tools. Other imports are reported as problems.
 */
function rewrite(code: string, runnable: boolean): { code: string; problems: string[] } {
  const problems: string[] = [];
  const out = code.replace(/(from\s+|import\s+)'([^']+)'/g, (match, head: string, spec: string) => {
    const target = IMPORTS[spec];
    if (target !== undefined) return `${head}'${target}'`;
    if (!spec.startsWith('node:') && (runnable || !TEST_TOOLS.includes(spec))) {
      problems.push(`imports '${spec}'`);
    }
    return match;
  });
  // `export {}` keeps each block a module, so names in two blocks never clash.
  return { code: `${out}\nexport {};\n`, problems };
}

const snippets = pages().flatMap(extract);

function typeErrors(files: readonly string[]): Map<string, string[]> {
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const program = ts.createProgram(files, { ...parsed.options, noEmit: true });
  const byFile = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const list = d.file === undefined ? undefined : byFile.get(resolve(d.file.fileName));
    if (list === undefined || d.file === undefined || d.start === undefined) continue;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    list.push(`line ${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  }
  return byFile;
}

let errors = new Map<string, string[]>();
const setTimer = vi.spyOn(systemClock, 'setTimer');

beforeAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  for (const s of snippets) writeFileSync(s.path, rewrite(s.code, s.runnable).code);
  errors = typeErrors(snippets.map((s) => s.path));
}, 60_000);

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  setTimer.mockRestore();
});

const of = (page: string): Snippet[] => snippets.filter((s) => s.where.startsWith(`${page}:`));

describe('docs pages', () => {
  it(`${README} has a type-checked example`, () => {
    expect(of(README).length).toBeGreaterThan(0);
  });
  it.each(RUNNABLE_REQUIRED)('%s has at least one runnable example', (page) => {
    expect(of(page).filter((s) => s.runnable).length).toBeGreaterThan(0);
  });
});

describe.each(pages().filter((page) => of(page).length > 0))('examples in %s', (page) => {
  it.each(of(page).map((s) => [s.where, s] as const))('%s', async (_where, s) => {
    expect(rewrite(s.code, s.runnable).problems, 'allowed imports').toEqual([]);
    // Positions are in the page: the block's first code line is line `firstLine`.
    const found = (errors.get(s.path) ?? []).map((e) =>
      e.replace(/^line (\d+)/, (_m, n: string) => `${page}:${Number(n) + s.firstLine - 1}`),
    );
    if (s.runnable) {
      expect(s.code, 'runnable examples use VirtualClock, not real timers').not.toMatch(
        /\bset(Timeout|Interval|Immediate)\s*\(/,
      );
      setTimer.mockClear();
      await import(pathToFileURL(s.path).href);
      expect(setTimer, 'a runnable example scheduled a real timer').not.toHaveBeenCalled();
    }
    expect(found, 'type errors').toEqual([]);
  });
});
