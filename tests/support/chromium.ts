/**
 * Launches the real Chromium the browser-driven tests use. The build machines have no Playwright
 * browser download (no internet) but Debian's Chromium at /usr/bin/chromium; a developer's
 * machine may have either, so: CHROMIUM_PATH, then the system Chromium, then Playwright's own.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

// Quiet, deterministic runs: no background traffic to Google, no updates, no first-run UI.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** The Chromium binary to use, or undefined to let Playwright pick its installed browser. */
export const chromiumExecutable = (): string | undefined => {
  const configured = process.env.CHROMIUM_PATH;
  if (configured !== undefined && configured !== '') return configured;
  return existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined;
};

/** `extraArgs`: more switches for this launch (a test's `--host-resolver-rules`). */
export const launchChromium = async (extraArgs: readonly string[] = []): Promise<Browser> => {
  const options: LaunchOptions = { args: [...ARGS, ...extraArgs], headless: true };
  const executablePath = chromiumExecutable();
  if (executablePath !== undefined) {
    if (!existsSync(executablePath)) {
      throw new Error(`CHROMIUM_PATH points to ${executablePath}, which does not exist.`);
    }
    return chromium.launch({ ...options, executablePath });
  }
  try {
    return await chromium.launch(options);
  } catch (cause) {
    throw new Error(
      'No Chromium found for the browser tests. Install one: `sudo apt-get install -y chromium` ' +
        '(gives /usr/bin/chromium), or `npx playwright install chromium` where the download works, ' +
        'or set CHROMIUM_PATH to a Chromium/Chrome binary.',
      { cause },
    );
  }
};
