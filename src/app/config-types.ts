import { z } from 'zod';
import { checkStoreSpec, STORE_FORMS } from '../store/open-store.js';

/**
 * Value shapes of configuration variables (zod): each parses the variable's text (after `NAME_FILE`) into its typed
 * value, and its message is the accepted form ("PORT must be a whole number from 0 to 65535").
 */
export type Group = 'opsgate' | 'http' | 'huawei' | 'yunxiao' | 'slack' | 'dingtalk';

export interface Variable<T = unknown> {
  group: Group;
  /** Parses the text; the first issue's message names the accepted form. */
  schema: z.ZodType<T, string>;
  /** The value used when the variable is unset (parsed by `schema` too); omit when there is none. */
  default?: string;
  /** README text of the default when it is not one literal value (e.g. "(Slack off)"). */
  defaultNote?: string;
  example?: string;
  description: string;
  /** Credentials: never printed, and the Kubernetes example keeps them in a Secret. */
  secret?: boolean;
}

export function text(): z.ZodType<string, string> {
  return z.string().min(1, 'not empty');
}

/** 1-256 visible ASCII characters (IDs and keys that go into headers and JSON). */
export function token(): z.ZodType<string, string> {
  return z.string().regex(/^[\x21-\x7e]{1,256}$/, '1-256 visible ASCII characters');
}

export function pattern(re: RegExp, expected: string): z.ZodType<string, string> {
  return z.string().regex(re, expected);
}

export function int(min: number, max: number): z.ZodType<number, string> {
  const expected = `a whole number from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\d{1,10}$/, expected)
    .transform(Number)
    .refine((n) => n >= min && n <= max, expected);
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T): z.ZodType<T[number], string> {
  const expected = values.length === 2 ? `${values[0]} or ${values[1]}` : `one of ${values.join(', ')}`;
  return z.enum(values, { error: expected }) as unknown as z.ZodType<T[number], string>;
}

/** An http(s) URL, trailing slashes removed. */
export function httpUrl(): z.ZodType<string, string> {
  return z
    .string()
    .refine((value) => {
      try {
        const protocol = new URL(value).protocol;
        return protocol === 'https:' || protocol === 'http:';
      } catch {
        return false;
      }
    }, 'an http(s) URL such as https://host.example.com')
    .transform((value) => value.replace(/\/+$/, ''));
}

/** A comma-separated list; blanks dropped. */
export function list(item: RegExp, expected: string): z.ZodType<string[], string> {
  return z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((items) => items.every((s) => item.test(s)), `a comma-separated list of ${expected}`);
}

/** An OPSGATE_STORE value: the same check the store opener makes, so check-config and start agree. */
export function storeSpec(): z.ZodType<string, string> {
  return z.string().superRefine((value, ctx) => {
    const problem = checkStoreSpec(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `${STORE_FORMS} (this is ${problem})` });
  });
}

export function secretMin(min: number): z.ZodType<string, string> {
  return z.string().min(min, `at least ${min} characters`);
}

const REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$/;

/** `region:project-id` pairs separated by commas (HUAWEI_PROJECT_IDS). */
export function projectIdMap(): z.ZodType<Record<string, string>, string> {
  const expected = 'region:project-id pairs separated by commas (e.g. cn-north-4:0123…,ap-southeast-1:4567…)';
  return z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)
        .map((pair) => pair.split(':')),
    )
    .refine(
      (pairs) =>
        pairs.every((p) => p.length === 2 && REGION.test(p[0] ?? '') && /^[A-Za-z0-9]{1,64}$/.test(p[1] ?? '')),
      expected,
    )
    .transform((pairs) => Object.fromEntries(pairs.map(([region, id]) => [region!, id!])));
}

/** An IANA time zone the runtime knows (Intl), such as Asia/Shanghai or UTC. */
export function timeZone(): z.ZodType<string, string> {
  return z.string().refine((name) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: name });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone such as Asia/Shanghai or UTC');
}
