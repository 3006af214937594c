import { type Locale, t } from './index.js';

/**
 * Times and durations in words, in a configured IANA time zone (`UTC`, `Asia/Shanghai`), labelled with their offset
 * so a reader elsewhere knows what "16:40" means. Intl (full ICU ships with Node 20) does the zone arithmetic.
 */
export function formatTime(ms: number, now: number, timezone: string): string {
  const zone = safeZone(timezone);
  const parts = (at: number) =>
    Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'shortOffset',
      })
        .formatToParts(at)
        .map((p) => [p.type, p.value]),
    ) as Record<string, string>;
  const p = parts(ms);
  const today = parts(now);
  const raw = p.timeZoneName ?? 'GMT';
  const label = raw === 'GMT' || raw === 'GMT+0' ? 'UTC' : raw.replace(/^GMT/, 'UTC');
  const time = `${p.hour}:${p.minute} ${label}`;
  const sameDay = p.year === today.year && p.month === today.month && p.day === today.day;
  return sameDay ? time : `${p.year}-${p.month}-${p.day} ${time}`;
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

/** An unknown zone must not break a message: it falls back to UTC (config validation reports it separately). */
function safeZone(timezone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return timezone;
  } catch {
    return 'UTC';
  }
}
