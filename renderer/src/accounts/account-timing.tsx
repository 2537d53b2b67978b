/**
 * The parts of a row that change with the clock, both on the one shared ticker: the countdown
 * writes its text on each tick without a render; the badge re-renders only when its state flips.
 */
import type { AccountView } from '../../../shared/model';
import { useClockText, useClockValue } from '../time/clock';
import { countdownText, timeLeft } from '../time/format-countdown';
import { accountState, STATE_LABELS } from './account-state';

type Timing = Pick<AccountView, 'expiresAt' | 'obtainedAt' | 'status' | 'refreshing'>;

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

export const Countdown = ({ account }: { readonly account: Timing }) => {
  const ref = useClockText<HTMLSpanElement>(
    (now) => countdownText(timeLeft(account, now)),
    [account],
  );
  return <span ref={ref} className="countdown" data-testid="countdown" />;
};
