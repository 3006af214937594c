import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Command, parseCommand } from '../../src/core/grammar/commands.js';
import type { OpsError } from '../../src/core/errors.js';
import { parseRunUrl, type RunRef, runUrl } from '../../src/core/targets.js';
import { tokenize } from '../../src/core/grammar/tokenize.js';
import {
  commandText,
  expectInputError,
  expectSafeRef,
  expectValidCommand,
  huaweiId,
  idsTarget,
  numericId,
  orgId,
  runs,
  runUrlText,
} from './arbitraries.js';

/** parseCommand returns a valid command or throws a coded INPUT.* error; returns the op, or the error code. */
function parseOutcome(text: string): string {
  let command: Command;
  try {
    command = parseCommand(text);
  } catch (err) {
    expectInputError(err);
    return (err as OpsError).code;
  }
  expectValidCommand(command);
  return command.op;
}

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ maxLength: 300 }),
);

describe('command grammar (property)', () => {
  it('arbitrary text: a valid command or a coded INPUT.* error, nothing else', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        parseOutcome(text);
      }),
      runs(),
    );
  });

  it('near-valid commands (mutated IDs, hostile URLs, quotes, long words): valid IDs only, or INPUT.*', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(commandText, (text) => {
        seen.add(parseOutcome(text));
      }),
      runs(3000),
    );
    // The generator reaches every operation and the main refusals (otherwise the property proves little).
    for (const op of ['review.reject', 'review.approve', 'review.pending', 'approval.watch', 'help']) {
      expect(seen).toContain(op);
    }
    for (const op of ['notice.disable', 'notice.update', 'notice.show']) expect(seen).toContain(op);
    for (const code of ['INPUT.BAD_ID', 'INPUT.BAD_TARGET', 'INPUT.BAD_ARGUMENT', 'INPUT.UNKNOWN_COMMAND']) {
      expect(seen).toContain(code);
    }
  });

  it('inputs over 4000 characters are refused before tokenizing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4001, max: 20_000 }), fc.constantFrom('a ', '"', 'reject '), (n, unit) => {
        const error = (() => {
          try {
            parseCommand(unit.repeat(Math.ceil(n / unit.length)));
          } catch (err) {
            return err;
          }
        })();
        expectInputError(error);
        expect((error as OpsError).code).toBe('INPUT.INVALID');
      }),
      runs(50),
    );
  });

  it('object-prototype words are unknown commands and unknown notice types, not verbs', () => {
    for (const word of ['constructor', '__proto__', 'tostring', 'hasownproperty']) {
      expect(() => parseCommand(`${word} x`)).toThrowError(expect.objectContaining({ code: 'INPUT.UNKNOWN_COMMAND' }));
      expect(() => parseCommand(`notify disable ${'a'.repeat(32)} ${word}`)).toThrowError(
        expect.objectContaining({
          code: 'INPUT.BAD_ARGUMENT',
          meta: expect.objectContaining({ field: 'notice-type' }),
        }),
      );
    }
  });
});

describe('parseRunUrl (property)', () => {
  const urlOutcome = (text: string): RunRef | undefined => {
    let ref: RunRef | undefined;
    try {
      ref = parseRunUrl(text);
    } catch (err) {
      expectInputError(err);
      return undefined;
    }
    if (ref) expectSafeRef(ref);
    return ref;
  };

  it('arbitrary text and hostile run URLs: undefined, a ref with well-formed IDs, or INPUT.*', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, runUrlText), (text) => void urlOutcome(text)),
      runs(),
    );
  });

  it('text that is not an http(s) URL is not a URL (undefined), never an error', () => {
    const notUrl = fc.string({ maxLength: 100 }).filter((t) => !/^\s*<?https?:\/\//i.test(t));
    fc.assert(
      fc.property(notUrl, (text) => {
        expect(parseRunUrl(text)).toBeUndefined();
      }),
      runs(),
    );
  });

  it('round-trips every well-formed ref through runUrl', () => {
    const ref = fc.oneof(
      fc
        .tuple(huaweiId, huaweiId, huaweiId, fc.option(fc.constantFrom('cn-north-4', 'ap-southeast-1', 'cn-south-1')))
        .map(([projectId, pipelineId, runId, region]): RunRef => ({
          cloud: 'huawei',
          projectId,
          pipelineId,
          runId,
          ...(region ? { region } : {}),
        })),
      fc.tuple(numericId, numericId, fc.option(orgId)).map(([pipelineId, runId, org]): RunRef => ({
        cloud: 'yunxiao',
        pipelineId,
        runId,
        ...(org ? { organizationId: org } : {}),
      })),
    );
    fc.assert(
      fc.property(ref, (r) => {
        const expected = r.cloud === 'huawei' ? { ...r, region: r.region ?? 'cn-north-4' } : r;
        expect(parseRunUrl(runUrl(r))).toEqual(expected);
      }),
      runs(500),
    );
  });
});

describe('ID targets (property)', () => {
  it('explicit `huawei …`/`yunxiao …` IDs reach a RunRef only when well formed', () => {
    fc.assert(
      fc.property(idsTarget, (target) => {
        try {
          const command = parseCommand(`pending ${target}`);
          expectValidCommand(command);
        } catch (err) {
          expectInputError(err);
        }
      }),
      runs(),
    );
  });
});

describe('tokenize (property)', () => {
  const QUOTES = /["'\u201c\u201d\u300c\u300d\u2018\u2019]/;

  it('arbitrary text: words, or INPUT.INVALID for an unclosed quote', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        try {
          const words = tokenize(text);
          expect(words.every((w) => typeof w === 'string')).toBe(true);
        } catch (err) {
          expectInputError(err);
          expect((err as OpsError).code).toBe('INPUT.INVALID');
        }
      }),
      runs(),
    );
  });

  it('without quotes or link markup: splitting on whitespace, never an empty word', () => {
    const plain = anyText.filter((t) => !QUOTES.test(t) && !t.includes('<'));
    fc.assert(
      fc.property(plain, (text) => {
        const words = tokenize(text);
        expect(words).toEqual(text.split(/\s+/).filter((w) => w.length > 0));
      }),
      runs(),
    );
  });

  it('quoting any word without quote characters gives that word back whole', () => {
    const word = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
      .filter((w) => !QUOTES.test(w) && !w.includes('<'));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), (words) => {
        const text = words.map((w) => `"${w}"`).join(' ');
        expect(tokenize(text)).toEqual(words.map((w) => w.replace(/\u00a0/g, ' ')));
      }),
      runs(500),
    );
  });
});
