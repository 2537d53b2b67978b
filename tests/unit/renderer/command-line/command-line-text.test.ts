import { describe, expect, it } from 'vitest';
import {
  ALLOW_CHOICES,
  answerWithinText,
  clockTime,
  DEFAULT_ALLOW_CHOICE,
  logTime,
  moreWaitingText,
  outcomeText,
  untilText,
} from '../../../../renderer/src/command-line/command-line-text';
import { MAX_APPROVAL_SECONDS } from '../../../../shared/ipc-contract';
import { NOW } from '../../helpers/renderer/fake-bridge';

/** A local time on NOW's local day, whatever the time zone the tests run in. */
const today = (hours: number, minutes: number, seconds = 0) =>
  new Date(NOW).setHours(hours, minutes, seconds, 0);

describe('times', () => {
  it('reads today on the 24-hour clock, and another day with its date', () => {
    expect(clockTime(today(14, 30), NOW)).toBe('14:30');
    expect(clockTime(today(0, 5), NOW)).toBe('00:05');
    const later = new Date(today(9, 0));
    later.setDate(later.getDate() + 3);
    expect(clockTime(later.getTime(), NOW)).toMatch(/^\d{4}-\d{2}-\d{2} 09:00$/);
    expect(logTime(today(7, 8, 9), NOW)).toBe('07:08:09');
  });

  it('says until when an approval ends', () => {
    expect(untilText(today(14, 30), NOW)).toBe('until 14:30');
    expect(untilText(null, NOW)).toBe('until Tokendesk quits');
  });
});

describe('the time left to answer', () => {
  it.each([
    [42_000, 'Answer within 42 s.'],
    [41_200, 'Answer within 42 s.'],
    [60_000, 'Answer within 1 min.'],
    [125_000, 'Answer within 2 min 5 s.'],
    [1, 'Answer within 1 s.'],
    [0, 'The time to answer is up: the command has been refused.'],
    [-5_000, 'The time to answer is up: the command has been refused.'],
  ])('%s ms left reads "%s"', (left, text) => {
    expect(answerWithinText(NOW + left, NOW)).toBe(text);
  });
});

it('says a failure with its detail, and the other outcomes by name', () => {
  expect(outcomeText({ outcome: 'failed', detail: 'The provider is down.' })).toBe(
    'Failed: The provider is down.',
  );
  expect(outcomeText({ outcome: 'handed-out' })).toBe('Handed out');
  expect(outcomeText({ outcome: 'access-off' })).toBe('Access off');
});

it('offers durations main accepts, an hour by default', () => {
  expect(ALLOW_CHOICES.map((choice) => choice.seconds)).toEqual([900, 3600, 28_800, null]);
  for (const { seconds } of ALLOW_CHOICES)
    if (seconds !== null) expect(seconds).toBeLessThanOrEqual(MAX_APPROVAL_SECONDS);
  expect(ALLOW_CHOICES.find((choice) => choice.key === DEFAULT_ALLOW_CHOICE)?.seconds).toBe(3600);
});

it('counts the requests waiting behind the one shown', () => {
  expect(moreWaitingText(1)).toBe('1 more request is waiting.');
  expect(moreWaitingText(3)).toBe('3 more requests are waiting.');
});
