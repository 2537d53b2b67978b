/**
 * The parts of a row that change with the clock, both on the one shared ticker: the countdown
 * writes its text on each tick without a render; the badge re-renders only when its state flips.
 * An account without a token in this session has nothing to count down: it says so instead.
 */
import type { AccountView } from '../../../shared/model';
import { useClockText, useClockValue } from '../time/clock';
import { countdownText, timeLeft } from '../time/format-countdown';
import { accountState, STATE_LABELS } from './account-state';

type Timing = Pick<AccountView, 'expiresAt' | 'obtainedAt' | 'status' | 'refreshing'> &
  Partial<Pick<AccountView, 'hasToken'>>;

export const NO_TOKEN_TEXT = 'No token: reconnect';

export const StatusBadge = ({
  account,
  refreshPending,
}: {
  readonly account: Timing;
  readonly refreshPending: boolean;
}) => {
  const state = useClockValue((now) => accountState(account, now, refreshPending));
  return (
    <span className={`status status-${state}`} data-testid="status">
      {STATE_LABELS[state]}
    </span>
  );
};

const LiveCountdown = ({ account }: { readonly account: Timing }) => {
  const ref = useClockText<HTMLSpanElement>(
    (now) => countdownText(timeLeft(account, now)),
    [account],
  );
  return <span ref={ref} className="countdown" data-testid="countdown" />;
};

export const Countdown = ({ account }: { readonly account: Timing }) =>
  account.hasToken === false ? (
    // `expiresAt` then describes a token that is not there: no countdown, no "does not expire".
    <span className="countdown countdown-none" data-testid="countdown">
      {NO_TOKEN_TEXT}
    </span>
  ) : (
    <LiveCountdown account={account} />
  );
