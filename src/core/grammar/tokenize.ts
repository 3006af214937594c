import { OpsError } from '../errors.js';

/**
 * Splits command text into words. Quotes ("…", '…', and the curly quotes chat clients substitute) group words;
 * Slack's link markup `<https://…|label>` is reduced to its URL. An unterminated quote is an input error, not a guess.
 */
export function tokenize(text: string): string[] {
  const normalized = text
    .replace(/[\u201c\u201d\u300c\u300d]/g, '"')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/<((?:https?|mailto):[^|>\s]+)(?:\|[^>]*)?>/g, '$1')
    .replace(/\u00a0/g, ' ');
  const words: string[] = [];
  let current = '';
  let quote: string | undefined;
  let inWord = false;
  for (const ch of normalized) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else current += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      // An apostrophe inside a word ("don't") is a letter, not a quote.
      if (ch === "'" && inWord) {
        current += ch;
        continue;
      }
      quote = ch;
      inWord = true;
      continue;
    }
    if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
      continue;
    }
    current += ch;
    inWord = true;
  }
  if (quote) throw new OpsError('INPUT.INVALID', 'a quote is not closed', { problem: 'unclosed-quote' });
  if (inWord) words.push(current);
  return words;
}

/** Levenshtein distance, for "did you mean" suggestions on short words. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The closest candidate within distance 2 (or a prefix match), if any. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = c.startsWith(w) && w.length >= 2 ? 1 : editDistance(w, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
