/**
 * The first window: the accounts Tokendesk holds, with Copy. The full interface (providers,
 * connect flow, live countdowns) is the renderer issue's work; this is the shell it grows in.
 */
import { useEffect, useState } from 'react';
import type { AccountView } from '../../shared/model';
import { bridge } from './bridge';

const expiryText = (account: AccountView): string =>
  account.expiresAt === null
    ? 'does not expire'
    : `expires ${new Date(account.expiresAt).toLocaleTimeString()}`;

export const App = () => {
  const api = bridge();
  const [accounts, setAccounts] = useState<readonly AccountView[]>([]);
  const [message, setMessage] = useState<string>();

  useEffect(() => {
    if (!api) return undefined;
    void api.api.listAccounts().then((result) => {
      if (result.ok) setAccounts(result.value);
      else setMessage(result.error.message);
    });
    return api.on('accountsChanged', setAccounts);
  }, [api]);

  const copy = async (accountId: string) => {
    const result = await api?.api.copyToken({ accountId, format: 'bare' });
    setMessage(result?.ok ? 'Token copied.' : result?.error.message);
  };

  return (
    <main>
      <h1>Tokendesk</h1>
      {!api && <p>Open Tokendesk from its desktop app: this page needs the app’s bridge.</p>}
      {message && <p role="status">{message}</p>}
      {api && accounts.length === 0 && <p>No accounts yet.</p>}
      <ul>
        {accounts.map((account) => (
          <li key={account.id}>
            {account.displayName} ({account.providerId}) — {expiryText(account)}{' '}
            <button type="button" onClick={() => void copy(account.id)}>
              Copy
            </button>
          </li>
        ))}
      </ul>
    </main>
  );
};
