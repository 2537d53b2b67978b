/**
 * `tokendesk docker-credential` (or the program as docker-credential-tokendesk): the protocol
 * of docker/docker-credential-helpers. `get` reads the registry's URL on stdin and prints
 * {ServerURL, Username, Secret}. docker reads only standard output, and takes the exact text
 * "credentials not found in native keychain" as "ask elsewhere"; anything else it shows as an
 * error, so failures go to stdout as well as stderr.
 *
 * docker names no account, so a registry no preset serves (or served by several accounts) is
 * mapped to one in the app: `map <registry> <account>`, `unmap <registry>`; `list` prints the
 * mappings as docker's protocol has it, {"<registry>": "<user name>"}.
 */
import { EXIT_CODES, type HandedToken } from '../../shared/command-line';
import type { DockerAction } from './arguments';
import type { Host } from './host';
import { report, type Services } from './services';
import { readInput } from './stdin';

export const NOT_FOUND = 'credentials not found in native keychain';
export const MISSING_URL = 'no credentials server URL';

/** `ghcr.io` as docker often sends it, made a URL the app can match a host in. */
export const registryUrl = (serverUrl: string): string =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(serverUrl) ? serverUrl : `https://${serverUrl}`;

export const dockerCredentialOutput = (serverUrl: string, token: HandedToken): string =>
  `${JSON.stringify({
    ServerURL: serverUrl,
    Username: token.use.registryUsername,
    Secret: token.accessToken,
  })}\n`;

export const dockerCredential = async (
  host: Host,
  command: {
    readonly action: DockerAction;
    readonly account?: string;
    readonly registry?: string;
    readonly mapTo?: string;
  },
  services: Services,
): Promise<number> => {
  switch (command.action) {
    case 'list':
    case 'map':
    case 'unmap': {
      const answer = await services.registries(
        command.action === 'list' || command.registry === undefined
          ? undefined
          : { registry: command.registry, account: command.mapTo ?? null },
      );
      if (!answer.ok) return report(host, answer.failure);
      if (command.action === 'list')
        host.stdout(
          `${JSON.stringify(Object.fromEntries(answer.value.map((m) => [m.registry, m.username])))}\n`,
        );
      else
        for (const mapping of answer.value)
          host.stdout(`${mapping.registry}\t${mapping.account.name}\n`);
      return EXIT_CODES.ok;
    }
    case 'store':
    case 'erase':
      // docker hands over what it would store; the token lives in the app, so it is dropped.
      await readInput(host.stdin);
      return EXIT_CODES.ok;
    case 'get':
      break;
  }
  const serverUrl = (await readInput(host.stdin)).trim();
  if (serverUrl === '') {
    host.stdout(`${MISSING_URL}\n`);
    return EXIT_CODES.failed;
  }
  const answer = await services.token({
    subcommand: 'docker-credential',
    forUrl: registryUrl(serverUrl),
    ...(command.account !== undefined ? { account: command.account } : {}),
  });
  if (!answer.ok) {
    if (answer.failure.exitCode === EXIT_CODES.noSuchAccount) {
      host.stdout(`${NOT_FOUND}\n`);
      return EXIT_CODES.failed;
    }
    host.stdout(`${answer.failure.message.replace(/\s*\n\s*/g, ' ')}\n`);
    return report(host, answer.failure);
  }
  host.stdout(dockerCredentialOutput(serverUrl, answer.value));
  return EXIT_CODES.ok;
};
