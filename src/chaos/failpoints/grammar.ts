/**
 * The failpoint spec grammar (fail-rs style):
 *
 * ```text
 * spec   = term *( "->" term )
 * term   = [ pct "%" ] [ count "*" ] action [ "(" arg ")" ]
 * pct    = number from 0 to 100, decimals allowed (10, 0.5, 99.9)
 * count  = integer >= 1
 * action = "throw" | "delay" | "hang" | "return" | "off"
 * arg    = any characters but ")"
 * ```
 *
 * Blanks around tokens are ignored. `delay` needs its argument (ms, a number >= 0); `hang`
 * and `off` take none; the `throw` and `return` arguments are kept verbatim.
 */

/**
 * What a failpoint does when one of its terms fires: the parsed form of the `action(arg)`
 * part of a spec.
 *
 * @example
 * ```ts
 * // 'delay(200)' parses to:
 * const action: FailpointAction = { type: 'delay', ms: 200 };
 * ```
 */
export type FailpointAction =
  /** Reject with an `InjectedFaultError` (default message `Fault injected by <name>`). */
  | {
      /** `throw(message)`. */
      readonly type: 'throw';
      /** The argument, verbatim; left out for a bare `throw`. */
      readonly message?: string;
    }
  /** Wait `ms` on the registry clock, then go on. */
  | {
      /** `delay(ms)`. */
      readonly type: 'delay';
      /** How long to wait, ms. */
      readonly ms: number;
    }
  /** Stay pending until the caller's signal aborts or the failpoint is reconfigured. */
  | {
      /** `hang`. */
      readonly type: 'hang';
    }
  /** Resolve with `value` (`''` when no argument is given). */
  | {
      /** `return(value)`. */
      readonly type: 'return';
      /** The argument, verbatim. */
      readonly value: string;
    }
  /** Do nothing (still counts down a count). */
  | {
      /** `off`. */
      readonly type: 'off';
    };

/**
 * One `[pct%][count*]action[(arg)]` term of a spec.
 *
 * @example
 * ```ts
 * // '10%3*throw(boom)' parses to:
 * const term: FailpointTerm = { percent: 10, count: 3, action: { type: 'throw', message: 'boom' } };
 * ```
 */
export interface FailpointTerm {
  /** Chance, 0..100, that the term fires when tried. Left out: always. */
  readonly percent?: number;
  /** How many times the term fires before the next term takes over. Left out: forever. */
  readonly count?: number;
  /** What the term does when it fires. */
  readonly action: FailpointAction;
}

const ACTIONS = ['throw', 'delay', 'hang', 'return', 'off'] as const;
const NUMBER = /^(?:\d+(?:\.\d+)?|\.\d+)$/;
const MAX_DELAY = 2_147_483_647;

/** Reads one spec; positions in its errors are 0-based indexes into `text`. */
class SpecParser {
  private pos = 0;

  constructor(
    private readonly name: string,
    private readonly text: string,
  ) {}

  parse(): readonly FailpointTerm[] {
    const terms: FailpointTerm[] = [];
    for (;;) {
      terms.push(this.term());
      if (this.pos >= this.text.length) return terms;
      if (!this.text.startsWith('->', this.pos)) this.fail('`->` or the end of the spec');
      this.pos += 2;
    }
  }

  private term(): FailpointTerm {
    let percent: number | undefined;
    let count: number | undefined;
    this.blanks();
    if (this.atNumber()) {
      const at = this.pos;
      const value = this.number();
      if (this.text[this.pos] === '%') {
        if (value > 100) this.fail('a percentage from 0 to 100', at);
        percent = value;
        this.pos++;
        this.blanks();
        if (this.atNumber()) count = this.count(this.pos, this.number(), '`*` after a count');
      } else {
        count = this.count(at, value, `\`%\` or \`*\` after the number ${value}`);
      }
    }
    const action = this.action();
    this.blanks();
    return {
      ...(percent === undefined ? {} : { percent }),
      ...(count === undefined ? {} : { count }),
      action,
    };
  }

  /** A count read at `at`: needs a `*` after it and a whole number >= 1. */
  private count(at: number, value: number, expectedStar: string): number {
    if (this.text[this.pos] !== '*') this.fail(expectedStar);
    const text = this.text.slice(at, this.pos).trim();
    if (!/^\d+$/.test(text) || !Number.isInteger(value) || value < 1) {
      this.fail('a count (an integer >= 1)', at);
    }
    this.pos++;
    this.blanks();
    return value;
  }

  private number(): number {
    const at = this.pos;
    while (this.atNumber()) this.pos++;
    const digits = this.text.slice(at, this.pos);
    if (!NUMBER.test(digits)) this.fail('a number', at);
    this.blanks();
    return Number(digits);
  }

  private action(): FailpointAction {
    const at = this.pos;
    while (/[a-z]/i.test(this.text[this.pos] ?? '')) this.pos++;
    const word = this.text.slice(at, this.pos);
    if (!(ACTIONS as readonly string[]).includes(word)) {
      this.fail(`an action (${ACTIONS.join(', ')})`, at);
    }
    this.blanks();
    const arg = this.argument(word);
    switch (word as (typeof ACTIONS)[number]) {
      case 'throw':
        return arg === undefined || arg.text === ''
          ? { type: 'throw' }
          : { type: 'throw', message: arg.text };
      case 'return':
        return { type: 'return', value: arg?.text ?? '' };
      case 'delay':
        if (arg === undefined) this.fail('`(ms)` after delay');
        return { type: 'delay', ms: this.delay(arg.text, arg.at) };
      default:
        if (arg !== undefined) this.fail(`no argument for ${word}`, arg.at - 1);
        return { type: word as 'hang' | 'off' };
    }
  }

  /** The `(arg)` after an action, if any: its text and the position of its first character. */
  private argument(action: string): { text: string; at: number } | undefined {
    if (this.text[this.pos] !== '(') return undefined;
    const open = this.pos;
    const close = this.text.indexOf(')', open + 1);
    if (close === -1) this.fail(`\`)\` to close the argument of ${action}`, open);
    this.pos = close + 1;
    return { text: this.text.slice(open + 1, close), at: open + 1 };
  }

  private delay(text: string, at: number): number {
    const trimmed = text.trim();
    const ms = Number(trimmed);
    if (!NUMBER.test(trimmed) || ms > MAX_DELAY) {
      this.fail(`a delay in ms (a number from 0 to ${MAX_DELAY})`, at, JSON.stringify(text));
    }
    return ms;
  }

  private blanks(): void {
    while (/\s/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  private atNumber(): boolean {
    return /[\d.]/.test(this.text[this.pos] ?? '');
  }

  /** Throws the SyntaxError for "expected `expected` at `at`", quoting what is there. */
  private fail(expected: string, at = this.pos, got = this.found(at)): never {
    throw new SyntaxError(
      `failpoints: bad spec for \`${this.name}\` at position ${at}: expected ${expected}, got ${got}`,
    );
  }

  /** The rest of the term at `at` (up to the next `->` or the end), quoted. */
  private found(at: number): string {
    const arrow = this.text.indexOf('->', at);
    const rest = this.text.slice(at, arrow === -1 ? undefined : arrow).trim();
    if (rest !== '') return JSON.stringify(rest);
    return arrow === -1 ? 'end of spec' : '"->"';
  }
}

/**
 * Parses one failpoint spec (`'10%throw(boom)'`, `'3*delay(200)->off'`).
 *
 * @param name - the failpoint's name, for error messages.
 * @throws SyntaxError naming the failpoint, the 0-based position in `spec` and what was
 *   expected there.
 */
export function parseSpec(name: string, spec: string): readonly FailpointTerm[] {
  return new SpecParser(name, spec).parse();
}
