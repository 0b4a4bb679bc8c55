import { describe, expect, it } from 'vitest';
import { chaosFetch } from '../../src/chaos/fetch/chaos-fetch.js';
import { thrownBy } from '../helpers/common.js';

const fetch = () => Promise.resolve(new Response('ok'));
const SHAPES = '{ status, headers?, body? }, { reset: true }, { delay: ms } or { stallBody: true }';
const TRIGGER = 'a trigger (a function such as rate(0.1))';
const BODY = 'a string, an ArrayBuffer or view, a Blob, URLSearchParams or FormData';
const HEADERS = 'a Headers, a record or [name, value] pairs of valid header names and values';

type Case = readonly [string, unknown, 'TypeError' | 'RangeError', string];

function expectThrows(fetchArg: unknown, options: unknown, kind: string, message: string): void {
  const error = thrownBy(() => chaosFetch(fetchArg as never, options as never));
  expect(error.constructor.name).toBe(kind);
  expect(error.message).toBe(message);
}

describe('chaosFetch checks its arguments when built', () => {
  it('refuses a fetch that is not a function', () => {
    expectThrows(
      undefined,
      { fault: { status: 503 } },
      'TypeError',
      'chaosFetch: `fetch` must be a function, got undefined',
    );
  });

  it.each<Case>([
    ['options missing', undefined, 'TypeError', 'chaosFetch: `fault` or `rules` is required'],
    ['options not an object', 5, 'TypeError', 'chaosFetch: options must be an object, got 5'],
    ['neither fault nor rules', {}, 'TypeError', 'chaosFetch: `fault` or `rules` is required'],
    [
      'both fault and rules',
      { fault: { status: 503 }, rules: [] },
      'TypeError',
      'chaosFetch: give `fault` or `rules`, not both',
    ],
    [
      'when with rules',
      { rules: [{ fault: { reset: true } }], when: () => true },
      'TypeError',
      'chaosFetch: `when` goes with `fault`; with `rules`, give each rule its own',
    ],
    [
      'unknown option',
      { fault: { status: 503 }, retries: 1 },
      'TypeError',
      'chaosFetch: unknown option `retries`; allowed: `when`, `fault`, `rules`, `name`, `clock`, `seed`, `random`, `enabled`',
    ],
    [
      'when not a function',
      { when: 5, fault: { status: 503 } },
      'TypeError',
      `chaosFetch: \`when\` must be ${TRIGGER}, got 5`,
    ],
    [
      'empty name',
      { fault: { status: 503 }, name: '' },
      'TypeError',
      'chaosFetch: `name` must be a non-empty string, got ""',
    ],
    [
      'enabled not a boolean',
      { fault: { status: 503 }, enabled: 1 },
      'TypeError',
      'chaosFetch: `enabled` must be a boolean, got 1',
    ],
    [
      'bad clock',
      { fault: { status: 503 }, clock: {} },
      'TypeError',
      'chaosFetch: `clock` must be a Clock (an object with now() and setTimer()), got an object',
    ],
    [
      'seed and random',
      { fault: { status: 503 }, seed: 1, random: Math.random },
      'TypeError',
      'chaosFetch: give `seed` or `random`, not both',
    ],
    [
      'bad seed',
      { fault: { status: 503 }, seed: {} },
      'TypeError',
      'chaosFetch: `seed` must be a finite number or a string, got an object',
    ],
  ])('options: %s', (_, options, kind, message) => expectThrows(fetch, options, kind, message));

  it.each<Case>([
    [
      'not an object',
      { fault: 503 },
      'TypeError',
      `chaosFetch: \`fault\` must be ${SHAPES}, got 503`,
    ],
    [
      'no keys',
      { fault: {} },
      'TypeError',
      `chaosFetch: \`fault\` must be ${SHAPES}, got an object with no keys`,
    ],
    [
      'no known key',
      { fault: { foo: 1, bar: 2 } },
      'TypeError',
      `chaosFetch: \`fault\` must be ${SHAPES}, got an object with keys \`foo\`, \`bar\``,
    ],
    [
      'two kinds',
      { fault: { status: 503, delay: 5 } },
      'TypeError',
      'chaosFetch: `fault` must be one fault, got both `status` and `delay`',
    ],
    [
      'unknown key of reset',
      { fault: { reset: true, body: 'x' } },
      'TypeError',
      'chaosFetch: `fault` has unknown key `body`; allowed: `reset`',
    ],
    [
      'unknown key of status',
      { fault: { status: 503, statusText: 'x' } },
      'TypeError',
      'chaosFetch: `fault` has unknown key `statusText`; allowed: `status`, `headers`, `body`',
    ],
    [
      'status above 599',
      { fault: { status: 600 } },
      'RangeError',
      'chaosFetch: `fault.status` must be an integer >= 200 and <= 599, got 600',
    ],
    [
      'status below 200',
      { fault: { status: 199 } },
      'RangeError',
      'chaosFetch: `fault.status` must be an integer >= 200 and <= 599, got 199',
    ],
    [
      'fractional status',
      { fault: { status: 503.5 } },
      'RangeError',
      'chaosFetch: `fault.status` must be an integer >= 200 and <= 599, got 503.5',
    ],
    [
      'status as text',
      { fault: { status: '503' } },
      'TypeError',
      'chaosFetch: `fault.status` must be an integer >= 200 and <= 599, got "503"',
    ],
    [
      'body of the wrong type',
      { fault: { status: 503, body: 5 } },
      'TypeError',
      `chaosFetch: \`fault.body\` must be ${BODY}, got 5`,
    ],
    [
      'a one-shot stream body',
      { fault: { status: 503, body: new ReadableStream() } },
      'TypeError',
      `chaosFetch: \`fault.body\` must be ${BODY}, got an instance of ReadableStream`,
    ],
    [
      'body with 204',
      { fault: { status: 204, body: 'x' } },
      'TypeError',
      'chaosFetch: `fault.body` must be left out with status 204, got "x"',
    ],
    [
      'bad header name',
      { fault: { status: 503, headers: { 'bad name': 'x' } } },
      'TypeError',
      `chaosFetch: \`fault.headers\` must be ${HEADERS}, got an object`,
    ],
    [
      'headers of the wrong type',
      { fault: { status: 503, headers: 5 } },
      'TypeError',
      `chaosFetch: \`fault.headers\` must be ${HEADERS}, got 5`,
    ],
    [
      'reset false',
      { fault: { reset: false } },
      'TypeError',
      'chaosFetch: `fault.reset` must be true, got false',
    ],
    [
      'stallBody 1',
      { fault: { stallBody: 1 } },
      'TypeError',
      'chaosFetch: `fault.stallBody` must be true, got 1',
    ],
    [
      'negative delay',
      { fault: { delay: -1 } },
      'RangeError',
      'chaosFetch: `fault.delay` must be a finite number >= 0 and <= 2147483647, got -1',
    ],
    [
      'delay as text',
      { fault: { delay: '5' } },
      'TypeError',
      'chaosFetch: `fault.delay` must be a finite number >= 0 and <= 2147483647, got "5"',
    ],
    [
      'delay above 2^31-1',
      { fault: { delay: 2 ** 31 } },
      'RangeError',
      'chaosFetch: `fault.delay` must be a finite number >= 0 and <= 2147483647, got 2147483648',
    ],
  ])('fault: %s', (_, options, kind, message) => expectThrows(fetch, options, kind, message));

  it.each<Case>([
    [
      'empty',
      { rules: [] },
      'TypeError',
      'chaosFetch: `rules` must be a non-empty array of { when?, fault }, got an array of length 0',
    ],
    [
      'not an array',
      { rules: 'x' },
      'TypeError',
      'chaosFetch: `rules` must be a non-empty array of { when?, fault }, got "x"',
    ],
    [
      'rule not an object',
      { rules: [5] },
      'TypeError',
      'chaosFetch: `rules[0]` must be { when?, fault }, got 5',
    ],
    [
      'unknown key in a rule',
      { rules: [{ fault: { status: 503 }, wen: 1 }] },
      'TypeError',
      'chaosFetch: `rules[0]` has unknown key `wen`; allowed: `when`, `fault`',
    ],
    [
      'bad when in a rule',
      { rules: [{ fault: { status: 503 } }, { when: 1, fault: { status: 503 } }] },
      'TypeError',
      `chaosFetch: \`rules[1].when\` must be ${TRIGGER}, got 1`,
    ],
    [
      'bad fault in a rule',
      { rules: [{ fault: { status: 503 } }, { fault: { status: 700 } }] },
      'RangeError',
      'chaosFetch: `rules[1].fault.status` must be an integer >= 200 and <= 599, got 700',
    ],
    [
      'rule without fault',
      { rules: [{ when: () => true }] },
      'TypeError',
      `chaosFetch: \`rules[0].fault\` must be ${SHAPES}, got undefined`,
    ],
  ])('rules: %s', (_, options, kind, message) => expectThrows(fetch, options, kind, message));

  it('accepts every fault shape, with bodies of every kind', () => {
    const bodies = [
      'x',
      new ArrayBuffer(2),
      new Uint8Array(2),
      new Blob(['x']),
      new URLSearchParams('a=1'),
      new FormData(),
      null,
    ];
    for (const body of bodies)
      expect(() => chaosFetch(fetch, { fault: { status: 503, body } })).not.toThrow();
    expect(() =>
      chaosFetch(fetch, {
        rules: [
          {
            when: () => true,
            fault: { status: 429, headers: new Headers({ 'retry-after': '1' }) },
          },
          { fault: { reset: true } },
          { fault: { delay: 0 } },
          { fault: { stallBody: true } },
        ],
        name: 'api',
        seed: 'x',
        enabled: false,
      }),
    ).not.toThrow();
  });
});
