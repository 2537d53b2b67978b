/**
 * The command line's state as main last told it: read once at start, then replaced whole by each
 * commandLineChanged event and by the answer of each change made from this window (revoke, clear,
 * an approval answered), which covers a window that missed the event. It lives at the top of the
 * workspace, not in Settings: an approval prompt must appear whatever the window shows.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ApiError } from '../../../shared/errors';
import type { CommandLineView } from '../../../shared/model';
import type { TokendeskBridge } from '../bridge';
import { settle } from '../common/api-context';
import { sameJson } from '../common/same-json';

export interface CommandLineState {
  /** Undefined until the first answer or event. */
  readonly view: CommandLineView | undefined;
  /** Why the first read failed (no view yet); Settings shows it with Try again. */
  readonly loadError: ApiError | undefined;
  /** Takes a view main answered with. */
  readonly apply: (view: CommandLineView) => void;
  readonly retryLoad: () => void;
}

export const useCommandLine = (bridge: TokendeskBridge): CommandLineState => {
  const { api } = bridge;
  const [view, setView] = useState<CommandLineView>();
  const [loadError, setLoadError] = useState<ApiError>();
  const [attempt, setAttempt] = useState(0);

  const apply = useCallback((next: CommandLineView) => {
    // Every change pushes the whole view; one equal to the last must not re-render the window.
    setView((previous) => (sameJson(previous, next) ? previous : next));
    setLoadError(undefined);
  }, []);

  useEffect(() => {
    let live = true;
    // A view pushed while the first read is on its way is the newer one.
    let pushed = false;
    const off = bridge.on('commandLineChanged', (next) => {
      pushed = true;
      apply(next);
    });
    void settle(api.getCommandLine()).then((result) => {
      if (!live || pushed) return;
      if (result.ok) apply(result.value);
      else setLoadError(result.error);
    });
    return () => {
      live = false;
      off();
    };
  }, [bridge, api, apply, attempt]);

  return {
    view,
    loadError,
    apply,
    retryLoad: useCallback(() => setAttempt((count) => count + 1), []),
  };
};
