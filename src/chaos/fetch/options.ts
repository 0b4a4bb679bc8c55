import type { Clock } from '../../core/clock.js';
import { systemClock } from '../../core/system-clock.js';
import {
  checkClock,
  checkNumber,
  checkOptions,
  describe,
  given,
  MAX_DELAY,
} from '../../core/validate.js';
import { type RandomSource, randomStream } from '../stream.js';
import type { Trigger } from '../trigger.js';
import type { FaultBody, FaultHeaders } from './types.js';

/** A checked fault, ready to apply. @internal */
export type Fault =
  | { readonly kind: 'status'; readonly body: FaultBody | null; readonly init: ResponseInit }
  | { readonly kind: 'reset' }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'stallBody' };

/** @internal */
export interface Rule {
  readonly when: Trigger | undefined;
  readonly fault: Fault;
}

/** @internal */
export interface ChaosFetchSettings {
  readonly name: string;
  readonly clock: Clock;
  readonly random: () => number;
  readonly enabled: boolean;
  readonly rules: readonly Rule[];
}

const OPTIONS = ['when', 'fault', 'rules', 'name', 'clock', 'seed', 'random', 'enabled'];
const KINDS = ['status', 'reset', 'delay', 'stallBody'] as const;
const SHAPES = '{ status, headers?, body? }, { reset: true }, { delay: ms } or { stallBody: true }';
/** Statuses whose Response may not have a body. */
const NULL_BODY = [204, 205, 304];

const quoted = (keys: readonly string[]): string => keys.map((k) => `\`${k}\``).join(', ');

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKeys(path: string, value: Record<string, unknown>, known: readonly string[]): void {
  const unknown = Object.keys(value).find((key) => !known.includes(key));
  if (unknown !== undefined) {
    throw new TypeError(
      `chaosFetch: \`${path}\` has unknown key \`${unknown}\`; allowed: ${quoted(known)}`,
    );
  }
}

function isBody(body: unknown): boolean {
  const g = globalThis as { Blob?: Function; URLSearchParams?: Function; FormData?: Function };
  return (
    typeof body === 'string' ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    [g.Blob, g.URLSearchParams, g.FormData].some((C) => C !== undefined && body instanceof C)
  );
}

function checkStatusFault(path: string, f: Record<string, unknown>): Fault {
  const status = checkNumber('chaosFetch', `${path}.status`, f.status, {
    integer: true,
    min: 200,
    max: 599,
  });
  const body = given(f.body, null);
  if (body !== null && !isBody(body)) {
    throw new TypeError(
      `chaosFetch: \`${path}.body\` must be a string, an ArrayBuffer or view, a Blob, URLSearchParams or FormData, got ${describe(body)}`,
    );
  }
  if (body !== null && NULL_BODY.includes(status)) {
    throw new TypeError(
      `chaosFetch: \`${path}.body\` must be left out with status ${status}, got ${describe(body)}`,
    );
  }
  if (f.headers === undefined)
    return { kind: 'status', body: body as FaultBody | null, init: { status } };
  let headers: Headers;
  try {
    headers = new Headers(f.headers as FaultHeaders);
  } catch (error) {
    throw new TypeError(
      `chaosFetch: \`${path}.headers\` must be a Headers, a record or [name, value] pairs of valid header names and values, got ${describe(f.headers)}`,
      { cause: error },
    );
  }
  return { kind: 'status', body: body as FaultBody | null, init: { status, headers } };
}

/** Checks one fault given at `path` (`fault`, `rules[2].fault`). */
function checkFault(path: string, f: unknown): Fault {
  const kind = isObject(f) ? KINDS.find((k) => k in f) : undefined;
  if (!isObject(f) || kind === undefined) {
    const got = isObject(f)
      ? `an object with ${Object.keys(f).length === 0 ? 'no keys' : `keys ${quoted(Object.keys(f))}`}`
      : describe(f);
    throw new TypeError(`chaosFetch: \`${path}\` must be ${SHAPES}, got ${got}`);
  }
  const other = KINDS.find((k) => k !== kind && k in f);
  if (other !== undefined) {
    throw new TypeError(
      `chaosFetch: \`${path}\` must be one fault, got both \`${kind}\` and \`${other}\``,
    );
  }
  checkKeys(path, f, kind === 'status' ? ['status', 'headers', 'body'] : [kind]);
  if (kind === 'status') return checkStatusFault(path, f);
  if (kind === 'delay') {
    return {
      kind,
      ms: checkNumber('chaosFetch', `${path}.delay`, f.delay, { min: 0, max: MAX_DELAY }),
    };
  }
  if (f[kind] !== true) {
    throw new TypeError(`chaosFetch: \`${path}.${kind}\` must be true, got ${describe(f[kind])}`);
  }
  return { kind };
}

function checkWhen(path: string, when: unknown): Trigger | undefined {
  if (when === undefined || typeof when === 'function') return when as Trigger | undefined;
  throw new TypeError(
    `chaosFetch: \`${path}\` must be a trigger (a function such as rate(0.1)), got ${describe(when)}`,
  );
}

function checkRules(rules: unknown): Rule[] {
  if (!Array.isArray(rules) || rules.length === 0) {
    throw new TypeError(
      `chaosFetch: \`rules\` must be a non-empty array of { when?, fault }, got ${describe(rules)}`,
    );
  }
  return rules.map((rule: unknown, i) => {
    const path = `rules[${i}]`;
    if (!isObject(rule)) {
      throw new TypeError(
        `chaosFetch: \`${path}\` must be { when?, fault }, got ${describe(rule)}`,
      );
    }
    checkKeys(path, rule, ['when', 'fault']);
    return {
      when: checkWhen(`${path}.when`, rule.when),
      fault: checkFault(`${path}.fault`, rule.fault),
    };
  });
}

/** Checks chaosFetch's arguments, throwing a TypeError/RangeError that names the bad one. */
export function chaosFetchSettings(fetch: unknown, options: unknown): ChaosFetchSettings {
  if (typeof fetch !== 'function') {
    throw new TypeError(`chaosFetch: \`fetch\` must be a function, got ${describe(fetch)}`);
  }
  const o = checkOptions('chaosFetch', options, OPTIONS);
  if (o.fault !== undefined && o.rules !== undefined) {
    throw new TypeError('chaosFetch: give `fault` or `rules`, not both');
  }
  if (o.rules !== undefined && o.when !== undefined) {
    throw new TypeError(
      'chaosFetch: `when` goes with `fault`; with `rules`, give each rule its own',
    );
  }
  if (o.fault === undefined && o.rules === undefined) {
    throw new TypeError('chaosFetch: `fault` or `rules` is required');
  }
  const rules =
    o.rules !== undefined
      ? checkRules(o.rules)
      : [{ when: checkWhen('when', o.when), fault: checkFault('fault', o.fault) }];
  const name = given(o.name, 'fetch');
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(`chaosFetch: \`name\` must be a non-empty string, got ${describe(name)}`);
  }
  const enabled = given(o.enabled, true);
  if (typeof enabled !== 'boolean') {
    throw new TypeError(`chaosFetch: \`enabled\` must be a boolean, got ${describe(enabled)}`);
  }
  return {
    name,
    clock: checkClock('chaosFetch', o.clock, systemClock),
    random: randomStream('chaosFetch', name, o as RandomSource),
    enabled,
    rules,
  };
}
