/**
 * The `tokendesk` command against a real core, as the integration tests drive it: the core of
 * an oidc-* test app (oidc-provider, Chromium consent), its command-line channel open on a
 * folder of the test's own, and the command itself run as a process — main/cli bundled by
 * esbuild once per test file, as scripts/build-command.ts bundles it, and run by Node. (The
 * single executable built from the same bundle is run in the real-Electron and packaged specs.)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { answerCommandLine } from '../../main/core/api/command-requests';
import { startCommandServer, type CommandServer } from '../../main/core/api/command-server';
import type { Core } from '../../main/core/core';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

let bundled: Promise<string> | undefined;

/** main/cli as one CommonJS file, built once per test file. */
export const commandBundle = (): Promise<string> =>
  (bundled ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokendesk-command-bundle-'));
    const outfile = join(dir, 'tokendesk.cjs');
    await build({
      entryPoints: [join(repoRoot, 'main/cli/index.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile,
      logLevel: 'silent',
      define: { TOKENDESK_VERSION: '"integration"' },
    });
    return outfile;
  })());

export interface CommandRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CommandRunOptions {
  readonly input?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

/** Runs a command line to its end, collecting what it printed. */
export const runProcess = (
  file: string,
  args: readonly string[],
  options: CommandRunOptions & { readonly env: Readonly<Record<string, string>> },
): Promise<CommandRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: options.env,
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });

export interface CommandLineChannel {
  readonly userData: string;
  readonly server: CommandServer;
  /** The environment a command run needs to find this channel (and nothing of the user's). */
  readonly env: Readonly<Record<string, string>>;
  /** Runs `tokendesk <args>` against this channel. */
  run(args: readonly string[], options?: CommandRunOptions): Promise<CommandRun>;
  close(): Promise<void>;
}

/** Opens the core's command-line channel in a folder of its own. */
export const openCommandLine = async (core: Core): Promise<CommandLineChannel> => {
  const home = mkdtempSync(join(tmpdir(), 'tokendesk-command-it-'));
  const userData = join(home, 'Tokendesk');
  const server = await startCommandServer({
    userData,
    answer: (line, key) => answerCommandLine(line, key, core),
    logger: core.logger,
  });
  const bundle = await commandBundle();
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    TOKENDESK_USER_DATA: userData,
  };
  return {
    userData,
    server,
    env,
    run: (args, options = {}) =>
      runProcess(process.execPath, [bundle, ...args], {
        ...options,
        env: { ...env, ...options.env },
      }),
    async close() {
      await server.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
};

/**
 * Answers every approval prompt the way a user would in the app: allow (for an hour) or deny.
 * Returns the function that stops answering.
 */
export const answerPrompts = (core: Core, decision: 'allow' | 'deny'): (() => void) =>
  core.events.on('commandLineChanged', ({ pending }) => {
    for (const prompt of pending) {
      try {
        core.commandLine.answer(prompt.id, decision, 3600);
      } catch {
        // Answered already by an earlier event of the same burst.
      }
    }
  });
