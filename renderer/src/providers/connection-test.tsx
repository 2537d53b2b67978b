/**
 * "Test connection" in the provider form: main reads the provider's configuration and knocks on
 * its token endpoint, as the form holds them (saved or not), and each step says where it
 * failed — the name, the proxy, TLS (which certificate), the connection, the HTTP answer — and
 * which way the app goes there (direct, or through which proxy).
 */
import { useState } from 'react';
import type { ApiError } from '../../../shared/errors';
import type { ChannelInput } from '../../../shared/ipc-contract';
import type { ConnectionCheck, ConnectionTest } from '../../../shared/model';
import { settle, useApi } from '../common/api-context';
import { useMounted } from '../common/use-mounted';

const STEP_NAMES: Record<ConnectionCheck['step'], string> = {
  discovery: 'OpenID configuration',
  'token-endpoint': 'Token endpoint',
  backend: 'Token backend',
};

const PLACE_NAMES: Record<NonNullable<ConnectionCheck['place']>, string> = {
  dns: 'Name lookup (DNS)',
  proxy: 'Proxy',
  tls: 'TLS certificate',
  connection: 'Connection',
  time: 'Time limit',
  redirect: 'Redirect',
  size: 'Answer size',
  http: 'HTTP answer',
  metadata: 'Configuration',
};

interface ConnectionTestProps {
  /** The form's values as a save would send them, without the secret (a test sends none). */
  readonly input: () => ChannelInput<'testConnection'>;
  /** The form's fields were refused: placed beside them as a save's would be. */
  readonly onRefused: (error: ApiError) => void;
}

export const ConnectionTestButton = ({ input, onRefused }: ConnectionTestProps) => {
  const api = useApi();
  const mounted = useMounted();
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<ConnectionTest>();

  const run = async () => {
    if (testing) return;
    setTesting(true);
    setResult(undefined);
    const answer = await settle(api.testConnection(input()));
    if (!mounted.current) return;
    setTesting(false);
    if (answer.ok) setResult(answer.value);
    else onRefused(answer.error);
  };

  return (
    <div className="connection-test">
      <button type="button" onClick={() => void run()} aria-disabled={testing}>
        {testing ? 'Testing…' : 'Test connection'}
      </button>
      <div role="status" aria-live="polite" className="connection-test-result">
        {result && (
          <>
            <p className={result.ok ? 'connection-ok' : 'connection-failed'}>
              {result.ok
                ? 'Tokendesk reaches this provider'
                : 'Tokendesk cannot use this provider from here'}
              {result.route ? ` (${result.route}).` : '.'}
            </p>
            <ul data-testid="connection-checks">
              {result.checks.map((check) => (
                <li key={check.step} data-ok={check.ok}>
                  <strong>
                    {check.ok ? '✓' : '✗'} {STEP_NAMES[check.step]}
                    {check.place ? ` — ${PLACE_NAMES[check.place]}` : ''}
                  </strong>
                  : {check.message} <span className="connection-url">{check.url}</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
};
