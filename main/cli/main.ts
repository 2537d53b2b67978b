/**
 * The command from arguments to exit code: parse, then one subcommand. Everything it touches
 * of the process comes in `host`, and the app in `services`, so tests drive it whole.
 */
import { EXIT_CODES } from '../../shared/command-line';
import { accounts } from './accounts';
import { parseCommandLine } from './arguments';
import { dockerCredential } from './docker-credential';
import { gitCredential } from './git-credential';
import { helpHint, helpText } from './help';
import type { Host } from './host';
import { kube } from './kube';
import { runCommand } from './run-command';
import { appServices, report, type Services } from './services';
import { formatToken } from './token-output';
import { VERSION } from './version';

export const runCli = async (
  host: Host,
  services: Services = appServices(host),
): Promise<number> => {
  const parsed = parseCommandLine(host.argv, host.invokedAs);
  switch (parsed.kind) {
    case 'help':
      host.stdout(helpText(parsed.topic));
      return EXIT_CODES.ok;
    case 'version':
      host.stdout(`tokendesk ${VERSION}\n`);
      return EXIT_CODES.ok;
    case 'usage':
      host.stderr(`tokendesk: ${parsed.message}\n${helpHint(parsed.topic)}\n`);
      return EXIT_CODES.badArguments;
    case 'token': {
      const answer = await services.token({
        subcommand: 'token',
        ...parsed.selection,
        ...(parsed.minTtlSeconds !== undefined ? { minTtlSeconds: parsed.minTtlSeconds } : {}),
      });
      if (!answer.ok) return report(host, answer.failure);
      host.stdout(formatToken(answer.value, parsed.format));
      return EXIT_CODES.ok;
    }
    case 'run':
      return runCommand(host, parsed, services);
    case 'git-credential':
      return gitCredential(host, parsed, services);
    case 'kube':
      return kube(host, parsed, services);
    case 'docker-credential':
      return dockerCredential(host, parsed, services);
    case 'accounts':
      return accounts(host, parsed, services);
  }
};
