// English or Japanese by the HubSpot user's locale: the card's texts, and the date and size formats that go with them.
import { messagesFor, type Messages } from './messages.ts';

export interface Translator {
  t: Messages;
  /** A moment as the user reads it: time only for today, date and time otherwise. */
  time(ms: number): string;
  size(bytes: number): string;
}

export function translator(locale: string | undefined, now: () => number = Date.now): Translator {
  const japanese = locale?.toLowerCase().startsWith('ja') ?? false;
  const language = japanese ? 'ja-JP' : (locale ?? 'en-US');
  return {
    t: messagesFor(locale),
    time(ms) {
      const date = new Date(ms);
      const today = new Date(now()).toDateString() === date.toDateString();
      const options: Intl.DateTimeFormatOptions = today
        ? { hour: '2-digit', minute: '2-digit' }
        : { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' };
      try {
        return date.toLocaleString(language, options);
      } catch {
        return date.toLocaleString('en-US', options);
      }
    },
    size(bytes) {
      if (bytes < 1024) return `${bytes} B`;
      if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
      return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    },
  };
}
