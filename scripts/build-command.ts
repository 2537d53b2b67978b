/**
 * Builds the `tokendesk` command (main/cli) as a program that runs where no Node is installed:
 *
 * 1. esbuild bundles main/cli/index.ts into out/command/tokendesk.cjs (CommonJS: what a Node
 *    single executable application runs), with package.json's version written in.
 * 2. Node makes a single-executable-application blob of it (`--experimental-sea-config`).
 * 3. A copy of a Node binary gets the blob injected with postject: out/command/tokendesk
 *    (tokendesk.exe for Windows), plus docker-credential-tokendesk, the name docker runs it by
 *    (a relative symlink; a copy for Windows, where links need rights users rarely have).
 *
 * The Node binary is this one (process.execPath), or TOKENDESK_NODE_FOR_COMMAND for another
 * platform's (a cross-build); its format (ELF, PE, Mach-O) says which platform it is for.
 * The Electron binary cannot serve: its RunAsNode fuse is off (electron-builder.yml).
 *
 * Run: `npm run build:command` (also the last step of `npm run build`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'out', 'command');
const bundle = join(outDir, 'tokendesk.cjs');
const blob = join(outDir, 'sea-prep.blob');
const seaConfig = join(outDir, 'sea-config.json');

/** The fuse Node looks for to know a blob was injected (Node's SEA docs). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

type Platform = 'linux' | 'darwin' | 'win32';

/** The platform a binary is for, from its first bytes. */
const binaryPlatform = (head: Buffer): Platform | undefined => {
  if (head.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) return 'linux';
  if (head.subarray(0, 2).toString('latin1') === 'MZ') return 'win32';
  const magic = head.readUInt32BE(0);
  if ([0xcffaedfe, 0xcefaedfe, 0xfeedfacf, 0xfeedface, 0xcafebabe].includes(magic)) return 'darwin';
  return undefined;
};

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

const run = (file: string, args: readonly string[]): void => {
  const result = spawnSync(file, args, { stdio: 'inherit' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${file} ${args.join(' ')} exited ${result.status}`);
};

/** Whether `node` runs on this machine (a cross-build's binary does not). */
const runsHere = (node: string): boolean =>
  spawnSync(node, ['--version'], { stdio: 'ignore' }).status === 0;

const bundleCommand = async (version: string): Promise<void> => {
  const result = await build({
    entryPoints: [join(root, 'main', 'cli', 'index.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    define: { TOKENDESK_VERSION: JSON.stringify(version) },
    metafile: true,
    logLevel: 'warning',
  });
  // The command may hold only its own code and shared/ (no npm package, no electron): it must
  // start fast and run outside the app. Built-ins stay external and do not appear as inputs.
  const foreign = Object.keys(result.metafile.inputs).filter(
    (input) => !/^(main\/cli|shared)\//.test(input.replaceAll('\\', '/')),
  );
  if (foreign.length > 0)
    throw new Error(
      `the command may import only shared/ and node: built-ins, not ${foreign.join(', ')}`,
    );
};

const makeBlob = (node: string): void => {
  writeFileSync(
    seaConfig,
    `${JSON.stringify(
      {
        main: bundle,
        output: blob,
        disableExperimentalSEAWarning: true,
        useSnapshot: false,
        // Measured: no difference in start time for a 25 KiB bundle (85 against 88 ms median,
        // within the noise), and without it the blob does not depend on the V8 that made it.
        useCodeCache: false,
      },
      null,
      2,
    )}\n`,
  );
  run(node, ['--experimental-sea-config', seaConfig]);
};

const inject = (executable: string, platform: Platform): void => {
  const require = createRequire(import.meta.url);
  const postject = require.resolve('postject/dist/cli.js');
  run(process.execPath, [
    postject,
    executable,
    'NODE_SEA_BLOB',
    blob,
    '--sentinel-fuse',
    SEA_FUSE,
    ...(platform === 'darwin' ? ['--macho-segment-name', 'NODE_SEA'] : []),
  ]);
};

const main = async (): Promise<void> => {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version: string;
  };
  const node = resolve(process.env.TOKENDESK_NODE_FOR_COMMAND || process.execPath);
  const platform = binaryPlatform(readFileSync(node).subarray(0, 4));
  if (!platform) throw new Error(`${node} is not an ELF, PE or Mach-O executable`);
  const signable = platform === 'darwin' && process.platform === 'darwin';

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await bundleCommand(version);

  // The blob must come from the same Node version as the binary it goes into: made by the
  // target itself when it runs here, else by this Node (then the versions must match).
  const native = runsHere(node);
  if (!native) {
    const own = process.version;
    console.warn(
      `build-command: ${node} does not run here; the blob is made by Node ${own}, which must be the target's version`,
    );
  }
  makeBlob(native ? node : process.execPath);

  const exe = platform === 'win32' ? '.exe' : '';
  const executable = join(outDir, `tokendesk${exe}`);
  copyFileSync(node, executable);
  chmodSync(executable, 0o755);
  if (signable) run('codesign', ['--remove-signature', executable]);
  inject(executable, platform);
  if (signable) run('codesign', ['--sign', '-', executable]);
  else if (platform === 'darwin')
    console.warn('build-command: not on macOS: sign tokendesk (codesign --sign -) before shipping');

  const docker = join(outDir, `docker-credential-tokendesk${exe}`);
  if (platform === 'win32') copyFileSync(executable, docker);
  else symlinkSync(`tokendesk${exe}`, docker);

  rmSync(blob);
  rmSync(seaConfig);
  if (process.platform === platform)
    execFileSync(executable, ['--version'], { stdio: ['ignore', 'ignore', 'inherit'] });

  const show = (path: string) => relative(root, path).replaceAll('\\', '/');
  console.log(`build-command: ${show(bundle)} ${(statSync(bundle).size / 1024).toFixed(1)} KiB`);
  console.log(
    `build-command: ${show(executable)} ${mib(statSync(executable).size)} (${platform}, Node ${native ? execFileSync(node, ['--version'], { encoding: 'utf8' }).trim() : process.version})`,
  );
  console.log(
    `build-command: ${show(docker)} ${platform === 'win32' ? 'copy of' : '→'} tokendesk${exe}`,
  );
};

await main();
