/**
 * What `tokendesk help`, `--help` and a usage error print. Plain words for a person; the
 * exit codes are listed once, in the general help, because scripts branch on them.
 */
import type { Topic } from './arguments';

const SELECTING = `Choosing the account (both optional; with one account connected, neither is needed):
  <account>        an account ID, a provider ID, or provider:login (e.g. github:octocat)
  --for <url>      the account whose provider serves this URL's host (https:// if left out)`;

const MIN_TTL = `  --min-ttl <time> the token must stay valid this long: 90, 90s, 5m, 1h, 1h30m;
                   a token that would not is refreshed first`;

const GENERAL = `Usage: tokendesk <subcommand> [options]

Hands out access tokens from the running Tokendesk app, which must have
Settings → Command line turned on. Each account is approved in the app
before its first token goes out.

Subcommands:
  token              print an access token
  run                run a command with the token in an environment variable
  git-credential     git's credential helper
  kube               kubectl's exec credential plugin
  docker-credential  docker's credential helper (also as docker-credential-tokendesk)
  accounts           list the accounts, without tokens
  help [subcommand]  this text, or a subcommand's

Options: --help, -h (anywhere), --version

Exit codes: 0 ok, 1 failed, 2 bad arguments, 3 the app is not running,
  4 no such account, 5 more than one account matches, 6 reconnect the account,
  7 denied, 8 provider error, 9 timed out, 10 command line is off in the app
`;

const TEXTS: Record<Topic, string> = {
  token: `Usage: tokendesk token [<account>] [--for <url>] [--format bare|header|json] [--min-ttl <time>]

Prints an access token on standard output.

${SELECTING}

Options:
  --format bare    the token alone (default)
  --format header  Authorization: Bearer <token>
  --format json    {"accessToken", "tokenType", "expiresAt", "scopes"}
${MIN_TTL}

Example:
  curl -H "$(tokendesk token github --format header)" https://api.github.com/user
`,
  run: `Usage: tokendesk run [<account>] [--for <url>] [--env <name>] [--min-ttl <time>] -- <command> [<argument>…]

Runs the command with the token in an environment variable, and exits with the
command's exit code (127 if it is not found, 128 + n if signal n ended it). The
command is started directly, not through a shell.

${SELECTING}

Options:
  --env <name>     the variable to set (default: the provider's usual one, e.g.
                   GITHUB_TOKEN, GOOGLE_OAUTH_ACCESS_TOKEN; TOKENDESK_TOKEN otherwise)
${MIN_TTL}

Example:
  tokendesk run github -- gh api user
`,
  'git-credential': `Usage: tokendesk git-credential [--account <account>] get|store|erase

git's credential helper for HTTPS remotes: git asks it for a password and gets a
fresh access token with the provider's user name. store and erase do nothing.
Without --account, the account is the one whose provider serves the remote's host.

Setup, e.g. for GitHub:
  git config --global credential.https://github.com.helper '!tokendesk git-credential'
`,
  kube: `Usage: tokendesk kube [<account>] [--for <url>] [--min-ttl <time>]

kubectl's exec credential plugin: prints an ExecCredential holding the token.

${SELECTING}

Options:
${MIN_TTL}

In a kubeconfig user:
  exec:
    apiVersion: client.authentication.k8s.io/v1
    command: tokendesk
    args: [kube, google]
    interactiveMode: Never
`,
  'docker-credential': `Usage: tokendesk docker-credential [--account <account>] get|store|erase|list
       tokendesk docker-credential map <registry> <account>
       tokendesk docker-credential unmap <registry>

docker's credential helper: get reads the registry on standard input and prints
the provider's registry user name with a fresh token. store and erase do nothing;
list prints the registries mapped to accounts. docker runs it as
docker-credential-tokendesk, which is this program under another name.

The account for a registry: the one mapped to it with map (kept in the app), else
the account whose provider serves it (gcr.io and *.pkg.dev: Google; ghcr.io:
GitHub; registry.gitlab.com: GitLab).

Setup, in ~/.docker/config.json:
  { "credHelpers": { "ghcr.io": "tokendesk" } }
`,
  accounts: `Usage: tokendesk accounts [--json]

Lists the accounts with their status and when their token expires; never a token.

Options:
  --json           a JSON array instead of a table
`,
  help: `Usage: tokendesk help [subcommand]

Prints the help of tokendesk or of one subcommand.
`,
};

export const helpText = (topic?: Topic): string => (topic ? TEXTS[topic] : GENERAL);

/** The line after a usage error: where to read more. */
export const helpHint = (topic?: Topic): string =>
  `Run 'tokendesk help${topic && topic !== 'help' ? ` ${topic}` : ''}' for usage.`;
