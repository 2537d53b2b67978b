/**
 * How the global setup tells the specs what it prepared: environment variables, which
 * Playwright's workers inherit from the process that ran the setup.
 */
import type { ElectronRuntime } from './which-electron';

export const ENV = {
  runtime: 'TOKENDESK_E2E_ELECTRON',
  noRuntime: 'TOKENDESK_E2E_NO_ELECTRON',
  noDisplay: 'TOKENDESK_E2E_NO_DISPLAY',
  noKeyring: 'TOKENDESK_E2E_NO_KEYRING',
} as const;

/** The runtime the setup chose, or why there is none. */
export const preparedRuntime = (): { runtime: ElectronRuntime } | { reason: string } => {
  const runtime = process.env[ENV.runtime];
  if (runtime) return { runtime: JSON.parse(runtime) as ElectronRuntime };
  return {
    reason:
      process.env[ENV.noRuntime] ??
      'the Electron global setup did not run (start the specs through playwright.config.ts)',
  };
};
