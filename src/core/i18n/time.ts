import { type Locale, t } from './index.js';

/**
 * Times and durations in words, in a configured IANA time zone (`UTC`, `Asia/Shanghai`), labelled with their offset
 * so a reader elsewhere knows what "16:40" means. Intl (full ICU ships with Node 20) does the zone arithmetic.
 */
export function formatTime(ms: number, now: number, timezone: string): string {
  const format = formatterFor(timezone);
  const parts = (at: number) =>
    Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value])) as Record<string, string>;
  const p = parts(ms);
  const today = parts(now);
  const raw = p.timeZoneName ?? 'GMT';
  const label = raw === 'GMT' || raw === 'GMT+0' ? 'UTC' : raw.replace(/^GMT/, 'UTC');
  const time = `${p.hour}:${p.minute} ${label}`;
  const sameDay = p.year === today.year && p.month === today.month && p.day === today.day;
  return sameDay ? time : `${p.year}-${p.month}-${p.day} ${time}`;
}

/**
 * One formatter per zone, built once: constructing an Intl.DateTimeFormat costs far more than formatting with it
 * (it was most of the CPU of an approval message in bench/e2e-slack.ts). Unknown zones fall back to UTC.
 */
const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let format = FORMATTERS.get(timezone);
  if (!format) {
    const options: Intl.DateTimeFormatOptions = {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'shortOffset',
    };
    try {
      format = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: timezone });
    } catch {
      // An unknown zone must not break a message (config validation reports it separately).
      format = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'UTC' });
    }
    // Bounded: zones come from configuration, but a cap keeps a bad caller from growing it.
    if (FORMATTERS.size < 64) FORMATTERS.set(timezone, format);
  }
  return format;
}

/** "less than a minute", "25 min", "2 h 5 min", "3 d 4 h" (and their Chinese). */
export function formatDuration(locale: Locale, ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return t(locale, 'duration.lessThanMinute');
  if (minutes < 60) return t(locale, 'duration.minutes', { m: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t(locale, 'duration.hours', { h: hours, m: minutes % 60 });
  return t(locale, 'duration.days', { d: Math.floor(hours / 24), h: hours % 24 });
}
