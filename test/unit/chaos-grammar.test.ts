import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/chaos/failpoints/config.js';
import { parseSpec } from '../../src/chaos/failpoints/grammar.js';
import { thrownBy } from '../helpers/common.js';

const ACTIONS = 'an action (throw, delay, hang, return, off)';
const DELAY = 'a delay in ms (a number from 0 to 2147483647)';

describe('failpoint spec grammar: valid specs', () => {
  it.each([
    ['throw', [{ action: { type: 'throw' } }]],
    ['throw()', [{ action: { type: 'throw' } }]],
    ['throw(connection reset)', [{ action: { type: 'throw', message: 'connection reset' } }]],
    ['delay(200)', [{ action: { type: 'delay', ms: 200 } }]],
    ['delay( 0.5 )', [{ action: { type: 'delay', ms: 0.5 } }]],
    ['delay(2147483647)', [{ action: { type: 'delay', ms: 2_147_483_647 } }]],
    ['hang', [{ action: { type: 'hang' } }]],
    ['return', [{ action: { type: 'return', value: '' } }]],
    ['return()', [{ action: { type: 'return', value: '' } }]],
    ['return( 42 )', [{ action: { type: 'return', value: ' 42 ' } }]],
    ['return(a->b;c%d*)', [{ action: { type: 'return', value: 'a->b;c%d*' } }]],
    ['off', [{ action: { type: 'off' } }]],
    ['10%throw(boom)', [{ percent: 10, action: { type: 'throw', message: 'boom' } }]],
    ['0.5%off', [{ percent: 0.5, action: { type: 'off' } }]],
    ['.5%off', [{ percent: 0.5, action: { type: 'off' } }]],
    ['0%throw', [{ percent: 0, action: { type: 'throw' } }]],
    ['100%throw', [{ percent: 100, action: { type: 'throw' } }]],
    ['3*hang', [{ count: 3, action: { type: 'hang' } }]],
    ['20%3*return(x)', [{ percent: 20, count: 3, action: { type: 'return', value: 'x' } }]],
    [
      '3*delay(200)->off',
      [{ count: 3, action: { type: 'delay', ms: 200 } }, { action: { type: 'off' } }],
    ],
    [
      '  50 % 2 * throw ( x )  ->  hang  ',
      [
        { percent: 50, count: 2, action: { type: 'throw', message: ' x ' } },
        { action: { type: 'hang' } },
      ],
    ],
    [
      '1*off->2*throw->return(z)',
      [
        { count: 1, action: { type: 'off' } },
        { count: 2, action: { type: 'throw' } },
        { action: { type: 'return', value: 'z' } },
      ],
    ],
  ])('%j parses', (spec, terms) => {
    expect(parseSpec('db.query', spec)).toEqual(terms);
  });
});

describe('failpoint spec grammar: malformed specs throw a SyntaxError', () => {
  const at = (position: number, expected: string, got: string) =>
    `failpoints: bad spec for \`db.query\` at position ${position}: expected ${expected}, got ${got}`;

  it.each([
    ['empty spec', '', at(0, ACTIONS, 'end of spec')],
    ['blank spec', '   ', at(3, ACTIONS, 'end of spec')],
    ['unknown action', 'thro(x)', at(0, ACTIONS, '"thro(x)"')],
    ['unknown action after a count', '1*thro(x)->off', at(2, ACTIONS, '"thro(x)"')],
    ['action in capitals', 'THROW', at(0, ACTIONS, '"THROW"')],
    ['negative percentage', '-5%throw', at(0, ACTIONS, '"-5%throw"')],
    ['pct > 100', '150%throw', at(0, 'a percentage from 0 to 100', '"150%throw"')],
    ['pct 100.5', '100.5%throw', at(0, 'a percentage from 0 to 100', '"100.5%throw"')],
    ['bad number', '1.2.3%throw', at(0, 'a number', '"1.2.3%throw"')],
    ['number ending in a dot', '1.%throw', at(0, 'a number', '"1.%throw"')],
    ['percent without action', '10%', at(3, ACTIONS, 'end of spec')],
    ['count 0', '0*throw', at(0, 'a count (an integer >= 1)', '"0*throw"')],
    ['fractional count', '1.5*throw', at(0, 'a count (an integer >= 1)', '"1.5*throw"')],
    ['count written as a decimal', '3.0*throw', at(0, 'a count (an integer >= 1)', '"3.0*throw"')],
    ['count 0 after a percentage', '50%0*throw', at(3, 'a count (an integer >= 1)', '"0*throw"')],
    ['number without % or *', '10throw', at(2, '`%` or `*` after the number 10', '"throw"')],
    ['two percentages', '10%50%throw', at(5, '`*` after a count', '"%throw"')],
    ['count before percentage', '3*10%throw', at(2, ACTIONS, '"10%throw"')],
    ['unclosed paren', 'throw(boom', at(5, '`)` to close the argument of throw', '"(boom"')],
    [
      'unclosed paren before ->',
      'return(x->off',
      at(6, '`)` to close the argument of return', '"(x"'),
    ],
    ['missing delay arg', 'delay', at(5, '`(ms)` after delay', 'end of spec')],
    ['missing delay arg before ->', 'delay->off', at(5, '`(ms)` after delay', '"->"')],
    ['empty delay arg', 'delay()', at(6, DELAY, '""')],
    ['non-number delay', 'delay(abc)', at(6, DELAY, '"abc"')],
    ['negative delay', 'delay(-5)', at(6, DELAY, '"-5"')],
    ['delay in exponent form', 'delay(1e3)', at(6, DELAY, '"1e3"')],
    ['delay above 2^31-1', 'delay(2147483648)', at(6, DELAY, '"2147483648"')],
    ['argument to hang', 'hang(5)', at(4, 'no argument for hang', '"(5)"')],
    ['argument to off', 'off()', at(3, 'no argument for off', '"()"')],
    ['trailing ->', 'throw->', at(7, ACTIONS, 'end of spec')],
    ['trailing -> and blanks', 'throw->  ', at(9, ACTIONS, 'end of spec')],
    ['two arrows', 'throw->->off', at(7, ACTIONS, '"->"')],
    ['junk after a term', 'throw x', at(6, '`->` or the end of the spec', '"x"')],
    ['junk after an argument', 'throw(a)b->off', at(8, '`->` or the end of the spec', '"b"')],
    ['single arrow char', 'throw-off', at(5, '`->` or the end of the spec', '"-off"')],
  ])('%s: %j', (_kind, spec, message) => {
    const error = thrownBy(() => parseSpec('db.query', spec));
    expect(error).toBeInstanceOf(SyntaxError);
    expect(error.message).toBe(message);
  });
});

describe('failpoint configuration text', () => {
  it('configures nothing for undefined, an empty or a blank text, or bare semicolons', () => {
    for (const text of [undefined, '', '   ', ';', ' ; ; ']) expect(parseConfig(text)).toEqual([]);
  });

  it('reads name=spec entries separated by semicolons, blanks around tokens ignored', () => {
    const text = 'db.query=10%throw(connection reset);cache.get = 3*delay(200)->off ; auth=hang;';
    expect(parseConfig(text)).toEqual([
      {
        name: 'db.query',
        spec: '10%throw(connection reset)',
        terms: [{ percent: 10, action: { type: 'throw', message: 'connection reset' } }],
      },
      {
        name: 'cache.get',
        spec: '3*delay(200)->off',
        terms: [{ count: 3, action: { type: 'delay', ms: 200 } }, { action: { type: 'off' } }],
      },
      { name: 'auth', spec: 'hang', terms: [{ action: { type: 'hang' } }] },
    ]);
  });

  it('keeps everything after the first = in the spec (an argument may contain =)', () => {
    expect(parseConfig('a=return(k=v)')).toEqual([
      { name: 'a', spec: 'return(k=v)', terms: [{ action: { type: 'return', value: 'k=v' } }] },
    ]);
  });

  it.each([
    [
      'missing =',
      'db.query',
      'failpoints: bad config at position 0: expected `name=spec`, got "db.query"',
    ],
    [
      'missing = in a later entry',
      'a=off; b',
      'failpoints: bad config at position 7: expected `name=spec`, got "b"',
    ],
    [
      'empty name',
      ' =throw',
      'failpoints: bad config at position 1: expected a failpoint name before `=`, got "=throw"',
    ],
    [
      'blank name',
      'a=off;  = off',
      'failpoints: bad config at position 8: expected a failpoint name before `=`, got "= off"',
    ],
    [
      'duplicate name',
      'a=off; a =throw',
      'failpoints: bad config at position 7: `a` is configured twice',
    ],
    [
      'bad spec (position counted from after =)',
      'a=off;b= 10%thro',
      `failpoints: bad spec for \`b\` at position 4: expected ${ACTIONS}, got "thro"`,
    ],
    [
      'semicolon inside an argument splits the entry',
      'a=throw(x;y)',
      'failpoints: bad spec for `a` at position 5: expected `)` to close the argument of throw, got "(x"',
    ],
    [
      'empty spec',
      'a=',
      `failpoints: bad spec for \`a\` at position 0: expected ${ACTIONS}, got end of spec`,
    ],
  ])('%s: %j throws a SyntaxError', (_kind, text, message) => {
    const error = thrownBy(() => parseConfig(text));
    expect(error).toBeInstanceOf(SyntaxError);
    expect(error.message).toBe(message);
  });

  it('refuses a text that is not a string with a TypeError', () => {
    const error = thrownBy(() => parseConfig(42 as never));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe(
      'failpoints.configure: `text` must be a string or undefined, got 42',
    );
  });
});
