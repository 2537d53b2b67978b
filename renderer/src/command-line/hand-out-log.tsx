/**
 * What the `tokendesk` command asked for and what it got, newest first. There is no token in it to
 * show: main's entries carry none (shared/model.ts HandOutEntry).
 */
import { useId, useMemo, useState } from 'react';
import type { ApiError } from '../../../shared/errors';
import type { CommandLineView, HandOutEntry } from '../../../shared/model';
import { settle, useApi } from '../common/api-context';
import { ErrorAlert } from '../common/error-alert';
import { useMounted } from '../common/use-mounted';
import { useClockValue } from '../time/clock';
import { logTime, outcomeText } from './command-line-text';

interface HandOutLogProps {
  readonly log: readonly HandOutEntry[];
  readonly onView: (view: CommandLineView) => void;
}

/** Today's local midnight: only the day matters to the times' text (yesterday's say the date). */
const useToday = (): number => useClockValue((now) => new Date(now).setHours(0, 0, 0, 0));

export const HandOutLog = ({ log, onView }: HandOutLogProps) => {
  const api = useApi();
  const mounted = useMounted();
  const headingId = useId();
  const [clearing, setClearing] = useState(false);
  const [error, setError] = useState<ApiError>();
  const today = useToday();
  // Main sends it newest first; sorted all the same (stable), since the order is what is read.
  const entries = useMemo(() => [...log].sort((a, b) => b.at - a.at), [log]);

  const clear = async () => {
    if (clearing || log.length === 0) return;
    setClearing(true);
    setError(undefined);
    const result = await settle(api.clearCommandLog());
    if (result.ok) onView(result.value);
    if (!mounted.current) return;
    setClearing(false);
    if (!result.ok) setError(result.error);
  };

  return (
    // Not a region itself: the scrolling table below is the one, named by the same heading.
    <div className="command-line-part">
      <div className="command-line-part-heading">
        <h3 id={headingId}>Hand-out log</h3>
        <button
          type="button"
          // Stays when the log is empty, marked unavailable: the focus is not lost with it.
          aria-disabled={clearing || log.length === 0}
          onClick={() => void clear()}
        >
          Clear log
        </button>
      </div>
      {error && (
        <ErrorAlert
          title="The log was not cleared"
          error={error}
          onDismiss={() => setError(undefined)}
          dismissLabel="Dismiss the clear-log error"
        />
      )}
      {entries.length === 0 ? (
        <p className="muted">Nothing yet: each request of the command is written here.</p>
      ) : (
        // Scrolls on its own: focusable, so a keyboard can scroll it (axe: scrollable-region-focusable).
        <div className="hand-out-log" tabIndex={0} role="region" aria-labelledby={headingId}>
          <table aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Account</th>
                <th scope="col">Subcommand</th>
                <th scope="col">Command line</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry, index) => (
                <tr key={`${entry.at}-${index}`} className={`outcome-${entry.outcome}`}>
                  <td>
                    <time dateTime={new Date(entry.at).toISOString()}>
                      {logTime(entry.at, today)}
                    </time>
                  </td>
                  <td>{entry.accountName ?? entry.accountId ?? '—'}</td>
                  <td>
                    <code>{entry.subcommand}</code>
                  </td>
                  <td>
                    <code className="log-command">{entry.commandLine}</code>
                  </td>
                  <td className="log-outcome">{outcomeText(entry)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
};
