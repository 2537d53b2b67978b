import { memo, useId } from 'react';
import type { AccountView, TokenFormat } from '../../../shared/model';
import { MenuButton } from '../common/menu-button';
import { useClockValue } from '../time/clock';
import { needsReconnect } from './account-state';
import { Countdown, StatusBadge } from './account-timing';
import { FORMAT_ITEMS } from './token-formats';

/** Row actions; one stable object for the whole list, so rows stay memoised. */
export interface AccountActions {
  readonly copy: (account: AccountView, format: TokenFormat) => void;
  readonly refresh: (account: AccountView) => void;
  readonly reconnect: (account: AccountView) => void;
  readonly disconnect: (account: AccountView) => void;
  /** Opens what is inside the account's tokens (token-inspection-dialog.tsx). */
  readonly inspect: (account: AccountView) => void;
}

interface AccountRowProps {
  readonly account: AccountView;
  readonly providerLabel: string;
  readonly refreshPending: boolean;
  /** A sign-in with this account's provider is under way. */
  readonly connecting: boolean;
  readonly actions: AccountActions;
}

const problemText = (account: AccountView): string | undefined => {
  if (account.status === 'reconnect-needed')
    return account.lastError?.message ?? 'Sign in again to keep using this account.';
  if (account.status === 'error')
    return account.lastError?.message ?? 'The last refresh failed; it will be retried.';
  return undefined;
};

export const AccountRow = memo(function AccountRow({
  account,
  providerLabel,
  refreshPending,
  connecting,
  actions,
}: AccountRowProps) {
  const nameId = useId();
  const name = account.displayName;
  const showReconnect = useClockValue((now) => needsReconnect(account, now));
  const problem = problemText(account);
  // No token in this session (AccountView.hasToken): Copy and Refresh could only fail. A machine
  // account's next copy asks for a new one: nothing to reconnect.
  const machine = account.machine !== undefined;
  const noToken = account.hasToken === false && !machine;
  const noTokenReason = noToken
    ? 'This session holds no token for this account: reconnect it.'
    : undefined;
  const secondary = [account.email !== name ? account.email : undefined, providerLabel]
    .filter(Boolean)
    .join(' · ');

  return (
    <li className="account-row" aria-labelledby={nameId}>
      <div className="account-who">
        <span id={nameId} className="account-name">
          {name}
        </span>
        {machine && (
          <span className="account-kind" title="Client credentials: a token of the client itself">
            machine
          </span>
        )}
        <span className="account-secondary">{secondary}</span>
        <span className="account-scopes">
          {account.scopes.length > 0 ? account.scopes.join(' ') : 'no scopes'}
        </span>
      </div>
      <div className="account-timing">
        <StatusBadge account={account} refreshPending={refreshPending} />
        <Countdown account={account} />
      </div>
      <div className="account-actions">
        <div className="split-button">
          <button
            type="button"
            className="button-primary"
            aria-label={`Copy token for ${name}`}
            disabled={noToken}
            title={noTokenReason}
            onClick={() => actions.copy(account, 'bare')}
          >
            Copy
          </button>
          <MenuButton
            label={`Copy format for ${name}`}
            items={FORMAT_ITEMS}
            onSelect={(format) => actions.copy(account, format)}
            className="split-button-menu"
            disabled={noToken}
            title={noTokenReason}
          >
            <span aria-hidden="true">▾</span>
          </MenuButton>
        </div>
        <button
          type="button"
          aria-label={`Refresh ${name}`}
          disabled={noToken || refreshPending || !account.canRefresh}
          title={
            noTokenReason ??
            (account.canRefresh ? undefined : 'The provider gave no refresh token.')
          }
          onClick={() => actions.refresh(account)}
        >
          Refresh
        </button>
        <button
          type="button"
          aria-label={`Inspect tokens of ${name}`}
          disabled={noToken}
          title={noTokenReason}
          onClick={() => actions.inspect(account)}
        >
          Inspect
        </button>
        {showReconnect && !machine && (
          <button
            type="button"
            aria-label={`Reconnect ${name}`}
            disabled={connecting}
            onClick={() => actions.reconnect(account)}
          >
            Reconnect
          </button>
        )}
        <button
          type="button"
          className="button-quiet-danger"
          aria-label={`Disconnect ${name}`}
          onClick={() => actions.disconnect(account)}
        >
          Disconnect
        </button>
      </div>
      {problem && <p className="account-problem">{problem}</p>}
    </li>
  );
});
