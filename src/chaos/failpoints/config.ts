import { describe } from '../../core/validate.js';
import { type FailpointTerm, parseSpec } from './grammar.js';

/** One `name=spec` entry of a configuration text. */
export interface ConfigEntry {
  readonly name: string;
  /** The spec text as written (blanks around it trimmed). */
  readonly spec: string;
  readonly terms: readonly FailpointTerm[];
}

function bad(position: number, expected: string, got: string): never {
  throw new SyntaxError(
    `failpoints: bad config at position ${position}: expected ${expected}, got ${JSON.stringify(got)}`,
  );
}

/**
 * Parses a configuration text `name=spec;name=spec` (the form of `BREAKWATER_FAILPOINTS`).
 * Entries are split at every `;` (so an argument cannot contain one); blank entries are
 * skipped, so `''`, `undefined`, `' '` and a trailing `;` configure nothing.
 *
 * @throws TypeError when `text` is neither a string nor undefined.
 * @throws SyntaxError for an entry without `=`, an empty name, a name given twice (position
 *   in the whole text), or a bad spec (position counted from the character after `=`).
 */
export function parseConfig(text: string | undefined): ConfigEntry[] {
  if (text === undefined) return [];
  if (typeof text !== 'string') {
    throw new TypeError(
      `failpoints.configure: \`text\` must be a string or undefined, got ${describe(text)}`,
    );
  }
  const entries: ConfigEntry[] = [];
  const seen = new Set<string>();
  let offset = 0;
  for (const entry of text.split(';')) {
    const start = offset;
    offset += entry.length + 1;
    const lead = entry.length - entry.trimStart().length;
    if (entry.trim() === '') continue;
    const equals = entry.indexOf('=');
    if (equals === -1) bad(start + lead, '`name=spec`', entry.trim());
    const name = entry.slice(0, equals).trim();
    if (name === '') bad(start + lead, 'a failpoint name before `=`', entry.trim());
    if (seen.has(name)) {
      throw new SyntaxError(
        `failpoints: bad config at position ${start + lead}: \`${name}\` is configured twice`,
      );
    }
    seen.add(name);
    const spec = entry.slice(equals + 1);
    entries.push({ name, spec: spec.trim(), terms: parseSpec(name, spec) });
  }
  return entries;
}
