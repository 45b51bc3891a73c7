// English or Japanese by the HubSpot user's locale: the card's texts, and the time and size formats that go with them.
import { messagesFor, type Messages } from './messages.ts';

export interface Translator {
  t: Messages;
  /** How long ago, as a rep glances at it: "38 min ago" / 「38分前」, a date once it is days old. */
  ago(ms: number): string;
  /** The moment itself, secondary to `ago`: the clock time for today, with the date (and year if not this one) before. */
  at(ms: number): string;
  /** The clock time alone, no leading zero: "1:11 PM" / 「13:11」. */
  clock(ms: number): string;
  /** A day separator in the chat: "Today", "Yesterday", else the weekday and date. */
  day(ms: number): string;
  size(bytes: number): string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function startOfDay(ms: number): number {
  const date = new Date(ms);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

export function translator(locale: string | undefined, now: () => number = Date.now): Translator {
  const t = messagesFor(locale);
  const japanese = locale?.toLowerCase().startsWith('ja') ?? false;
  const language = japanese ? 'ja-JP' : (locale ?? 'en-US');
  const format = (ms: number, options: Intl.DateTimeFormatOptions) => {
    try {
      return new Date(ms).toLocaleString(language, options);
    } catch {
      return new Date(ms).toLocaleString('en-US', options);
    }
  };
  const sameYear = (ms: number) => new Date(ms).getFullYear() === new Date(now()).getFullYear();
  /** Whole days between the day of `ms` and today (0: today, 1: yesterday); days, not 24-hour spans. */
  const daysBefore = (ms: number) => Math.round((startOfDay(now()) - startOfDay(ms)) / (24 * HOUR));
  const date = (ms: number, weekday: boolean) =>
    format(ms, { ...(weekday ? { weekday: 'short' } : {}), ...(sameYear(ms) ? {} : { year: 'numeric' }), month: 'short', day: 'numeric' });
  const clock = (ms: number) => format(ms, { hour: 'numeric', minute: '2-digit' });
  return {
    t,
    ago(ms) {
      const elapsed = Math.max(0, now() - ms);
      if (elapsed < MINUTE) return t.justNow;
      if (elapsed < HOUR) return t.minutesAgo(Math.floor(elapsed / MINUTE));
      if (daysBefore(ms) === 0) return t.hoursAgo(Math.floor(elapsed / HOUR));
      if (daysBefore(ms) === 1) return t.yesterday;
      return date(ms, false);
    },
    at(ms) {
      if (daysBefore(ms) === 0) return clock(ms);
      return format(ms, { ...(sameYear(ms) ? {} : { year: 'numeric' }), month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
    },
    clock,
    day(ms) {
      const days = daysBefore(ms);
      if (days === 0) return t.today;
      if (days === 1) return t.yesterday;
      return date(ms, true);
    },
    size(bytes) {
      if (bytes < 1024) return `${bytes} B`;
      if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
      return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    },
  };
}
