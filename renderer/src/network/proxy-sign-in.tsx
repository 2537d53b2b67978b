/**
 * A company proxy asks for a user name and password: the prompt opens over whatever the window
 * shows, one proxy at a time. What is typed goes to main once, for Chromium to answer the proxy
 * with; the app never writes it anywhere (main keeps it in memory for this run, so each sign-in
 * window does not ask again). Refused credentials bring the prompt back, saying so; Cancel fails
 * the requests waiting on the proxy.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { ApiError } from '../../../shared/errors';
import type { ProxySignInRequest } from '../../../shared/model';
import type { TokendeskBridge } from '../bridge';
import { settle } from '../common/api-context';
import { ErrorAlert } from '../common/error-alert';
import { ModalDialog } from '../common/modal-dialog';
import './network.css';

/** The prompts main has open: read once, then replaced by each proxySignIn event. */
const useProxySignIns = (bridge: TokendeskBridge): readonly ProxySignInRequest[] => {
  const [requests, setRequests] = useState<readonly ProxySignInRequest[]>([]);
  useEffect(() => {
    let live = true;
    let pushed = false;
    const off = bridge.on('proxySignIn', (next) => {
      pushed = true;
      setRequests(next);
    });
    void settle(bridge.api.listProxySignIns()).then((result) => {
      if (live && !pushed && result.ok) setRequests(result.value);
    });
    return () => {
      live = false;
      off();
    };
  }, [bridge]);
  return requests;
};

interface DialogProps {
  readonly bridge: TokendeskBridge;
  readonly request: ProxySignInRequest;
  readonly onAnswered: (id: string) => void;
}

const ProxySignInDialog = ({ bridge, request, onAnswered }: DialogProps) => {
  const userId = useId();
  const passwordId = useId();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();

  const answer = async (credentials?: { username: string; password: string }) => {
    if (busy) return;
    setBusy(true);
    const result = await settle(
      bridge.api.answerProxySignIn({ id: request.id, ...(credentials ? { credentials } : {}) }),
    );
    if (result.ok) {
      onAnswered(request.id);
      return;
    }
    setBusy(false);
    setError(result.error);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (username.trim() === '') return;
    void answer({ username: username.trim(), password });
  };

  return (
    <ModalDialog title="The proxy asks you to sign in" onClose={() => void answer()}>
      <form className="proxy-sign-in" onSubmit={submit}>
        <p>
          The proxy <code>{request.proxy}</code>
          {request.realm ? ` (“${request.realm}”)` : ''} wants a user name and password before
          Tokendesk can reach providers through it. Tokendesk keeps them in memory until it quits
          and never writes them to disk.
        </p>
        {request.refused && (
          <p role="alert" className="proxy-refused">
            The proxy refused the user name or password: type them again.
          </p>
        )}
        <div className="field">
          <label htmlFor={userId}>User name</label>
          <input
            id={userId}
            autoComplete="off"
            spellCheck={false}
            value={username}
            data-autofocus=""
            onChange={(event) => setUsername(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={passwordId}>Password</label>
          <input
            id={passwordId}
            type="password"
            autoComplete="off"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
        {error && <ErrorAlert title="Your answer was not taken" error={error} />}
        <div className="modal-actions">
          <button type="button" onClick={() => void answer()} aria-disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="button-primary" aria-disabled={busy}>
            Sign in to proxy
          </button>
        </div>
      </form>
    </ModalDialog>
  );
};

export const ProxySignInPrompt = ({ bridge }: { readonly bridge: TokendeskBridge }) => {
  const requests = useProxySignIns(bridge);
  // Answered here: hidden at once, before main's event says so.
  const [answered, setAnswered] = useState<ReadonlySet<string>>(new Set());
  const open = requests.find((request) => !answered.has(request.id));
  if (open === undefined) return null;
  return (
    <ProxySignInDialog
      key={open.id}
      bridge={bridge}
      request={open}
      onAnswered={(id) => setAnswered((previous) => new Set(previous).add(id))}
    />
  );
};
