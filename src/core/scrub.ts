/**
 * The one scrubber every text leaving opsgate passes (chat messages, card data, HTTP answers, CLI output, log lines):
 * it replaces every configured secret value, registered at start from the validated configuration, and anything
 * shaped like a credential, whatever produced the text (a cloud echoing a parameter in its error, a library's
 * error message, a URL with a password). Redacting at the source stays the rule; this is the net under it.
 *
 * Process-wide on purpose: the secrets are the process's own configuration, and a text must not escape the net
 * because a caller forgot to pass a scrubber along.
 * @example
 * registerSecrets([config.huawei.auth.sk]);
 * scrub(`bad sk ${sk}`); // 'bad sk [redacted]'
 */
export const REDACTED = '[redacted]';

/** Shorter values are not registered: replacing every "abc" would garble text and hide nothing worth hiding. */
export const MIN_SECRET_LENGTH = 8;

/** Credential shapes, each with the part to keep in group 1 (if any) and the value after it replaced. */
const SHAPES: RegExp[] = [
  // Slack tokens: bot, user, app-level, configuration (https://docs.slack.dev/authentication/tokens).
  /()\bx(?:ox[abpeors]|app)-[A-Za-z0-9-]{6,}/g,
  // Yunxiao personal access tokens start with `pt-` (reference/aliyun-yunxiao.md).
  /()\bpt-[A-Za-z0-9_-]{16,}/g,
  // Huawei IAM tokens (X-Subject-Token) are long base64 starting with MII (reference/huawei-codearts.md).
  /()\bMII[A-Za-z0-9+/=_-]{20,}/g,
  // Aliyun AccessKey IDs start with LTAI.
  /()\bLTAI[A-Za-z0-9]{12,30}\b/g,
  // Header-like `name: value` / `name=value` pairs whose value is a credential.
  /(\b(?:authorization|x-auth-token|x-subject-token|x-security-token|x-yunxiao-token|x-acs-dingtalk-access-token|access[_-]?token|access[_-]?key(?:[_-]?(?:id|secret))?|accesskey(?:id|secret)|secret[_-]?access[_-]?key|client[_-]?secret|password|passwd)["']?\s*[:=]\s*["']?(?:(?:Bearer|Basic|SDK-HMAC-SHA256|ACS3-HMAC-SHA256)\s+)?)[^\s"',;&}]+/gi,
  // Signatures: AK/SK and ACS3 `Signature=`, Slack `v0=`, opsgate webhook `v1=`.
  /(\bsignature=)[^\s"',;&}]+/gi,
  /(\bv[01]=)[0-9a-f]{32,}/g,
  // DingTalk session webhooks: the `session` query parameter is a bearer capability.
  /([?&]session=)[^\s"'&<>]+/g,
  // Slack response URLs and incoming webhooks carry their capability in the path.
  /(\bhooks\.slack\.com\/(?:commands|actions|services|triggers)\/)[^\s"'<>]+/g,
  // Credentials in a URL: scheme://user:password@host.
  /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@"'<>]*:[^\s/@"'<>]*(?=@)/gi,
];

const values = new Set<string>();
let valuesPattern: RegExp | undefined;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Adds secret values (undefined and short ones are skipped), with their JSON- and URL-encoded spellings. */
export function registerSecrets(list: Iterable<string | undefined>): void {
  let added = false;
  for (const value of list) {
    if (value === undefined || value.length < MIN_SECRET_LENGTH) continue;
    for (const spelling of [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]) {
      if (!values.has(spelling)) {
        values.add(spelling);
        added = true;
      }
    }
  }
  // Longest first, so a secret that contains another is replaced whole.
  if (added) {
    const sorted = [...values].sort((a, b) => b.length - a.length).map(escapeRegExp);
    valuesPattern = new RegExp(sorted.join('|'), 'g');
  }
}

/** The text with every registered secret and every credential shape replaced by `[redacted]`. */
export function scrub(text: string): string {
  let out = valuesPattern ? text.replace(valuesPattern, REDACTED) : text;
  for (const shape of SHAPES) out = out.replace(shape, (_whole, keep: string) => `${keep}${REDACTED}`);
  return out;
}

/** A copy of a JSON-like value with every string (keys excepted) scrubbed. */
export function scrubDeep<T>(value: T): T {
  if (typeof value === 'string') return scrub(value) as T;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v)])) as T;
  }
  return value;
}
