/**
 * `tokendesk kube`: a kubectl exec credential plugin (client.authentication.k8s.io). kubectl
 * says which API version it expects in KUBERNETES_EXEC_INFO; the command answers in v1 unless
 * that is v1beta1 (older kubeconfigs), the only other version kubectl still reads.
 */
import type { HandedToken } from '../../shared/command-line';
import { EXIT_CODES } from '../../shared/command-line';
import type { Selection } from './arguments';
import type { Host } from './host';
import { report, type Services } from './services';

export const EXEC_V1 = 'client.authentication.k8s.io/v1';
export const EXEC_V1BETA1 = 'client.authentication.k8s.io/v1beta1';

export const execCredentialVersion = (execInfo: string | undefined): string => {
  if (!execInfo) return EXEC_V1;
  try {
    const info = JSON.parse(execInfo) as { apiVersion?: unknown } | null;
    return info?.apiVersion === EXEC_V1BETA1 ? EXEC_V1BETA1 : EXEC_V1;
  } catch {
    return EXEC_V1;
  }
};

/** RFC 3339 in UTC, whole seconds (rounded down: kubectl asks again a moment early). */
export const rfc3339 = (epochMs: number): string =>
  new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export const execCredential = (token: HandedToken, apiVersion: string): object => ({
  apiVersion,
  kind: 'ExecCredential',
  status: {
    token: token.accessToken,
    ...(token.expiresAt !== null ? { expirationTimestamp: rfc3339(token.expiresAt) } : {}),
  },
});

export const kube = async (
  host: Host,
  command: { readonly selection: Selection; readonly minTtlSeconds?: number },
  services: Services,
): Promise<number> => {
  const answer = await services.token({
    subcommand: 'kube',
    ...command.selection,
    ...(command.minTtlSeconds !== undefined ? { minTtlSeconds: command.minTtlSeconds } : {}),
  });
  if (!answer.ok) return report(host, answer.failure);
  const apiVersion = execCredentialVersion(host.env.KUBERNETES_EXEC_INFO);
  host.stdout(`${JSON.stringify(execCredential(answer.value, apiVersion))}\n`);
  return EXIT_CODES.ok;
};
