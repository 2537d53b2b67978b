/**
 * The words and times of the command-line section and the approval prompt. Clock times are the
 * local 24-hour clock written out by hand ("14:30"), not the locale's: an approval's end and a
 * log line are read side by side, and the same shape everywhere is quicker to compare.
 */
import type { HandOutEntry, HandOutOutcome } from '../../../shared/model';

const pad = (value: number): string => String(value).padStart(2, '0');

const sameDay = (a: Date, b: Date): boolean =>
  a.getFullYear() === b.getFullYear() &&
  a.getMonth() === b.getMonth() &&
  a.getDate() === b.getDate();

/** "2026-01-16", local: a day in a form no locale misreads (is 01/02 January or February?). */
const day = (date: Date): string =>
  `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

/** "14:30" today, "2026-01-16 14:30" another day (an approval may last a week). */
export const clockTime = (at: number, now: number): string => {
  const date = new Date(at);
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return sameDay(date, new Date(now)) ? time : `${day(date)} ${time}`;
};

/** A log line's time, to the second: two requests a few seconds apart must read apart. */
export const logTime = (at: number, now: number): string => {
  const date = new Date(at);
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return sameDay(date, new Date(now)) ? time : `${day(date)} ${time}`;
};

/** An approval's end: "until 14:30", or "until Tokendesk quits" (`until` null). */
export const untilText = (until: number | null, now: number): string =>
  until === null ? 'until Tokendesk quits' : `until ${clockTime(until, now)}`;

export const OUTCOME_LABELS: Readonly<Record<HandOutOutcome, string>> = {
  'handed-out': 'Handed out',
  denied: 'Denied',
  'timed-out': 'Timed out',
  'access-off': 'Access off',
  failed: 'Failed',
};

/** The outcome as the log says it; a failure with what went wrong. */
export const outcomeText = (entry: Pick<HandOutEntry, 'outcome' | 'detail'>): string => {
  const label = OUTCOME_LABELS[entry.outcome];
  return entry.detail ? `${label}: ${entry.detail}` : label;
};

/** "answer within 42 s", "answer within 2 min 5 s"; once it has run out, says so. */
export const answerWithinText = (expiresAt: number, now: number): string => {
  // Up, like the accounts' countdown: 0.4 s left is still a second to answer in.
  const seconds = Math.ceil((expiresAt - now) / 1000);
  if (seconds <= 0) return 'The time to answer is up: the command has been refused.';
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const left =
    minutes === 0 ? `${rest} s` : rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
  return `Answer within ${left}.`;
};

/** How long an Allow holds, as the prompt offers it: allowForSeconds, null until Tokendesk quits. */
export interface AllowChoice {
  readonly key: string;
  readonly label: string;
  readonly seconds: number | null;
}

export const ALLOW_CHOICES: readonly AllowChoice[] = [
  { key: '15m', label: '15 minutes', seconds: 900 },
  { key: '1h', label: '1 hour', seconds: 3600 },
  { key: '8h', label: '8 hours', seconds: 28_800 },
  { key: 'session', label: 'Until Tokendesk quits', seconds: null },
];

/** An hour: long enough for a working session's git pushes, short enough to lapse by itself. */
export const DEFAULT_ALLOW_CHOICE = '1h';

/** "1 more request is waiting", "3 more requests are waiting". */
export const moreWaitingText = (count: number): string =>
  count === 1 ? '1 more request is waiting.' : `${count} more requests are waiting.`;
