/**
 * electron-builder.yml, read and checked by electron-builder's own code (app-builder-lib, the
 * library behind the CLI): its loader, its schema check, its fuse translation and its artifact
 * names. None of this needs the Electron binary. What packaging actually puts in app.asar, and
 * what it does to the binary, is tests/e2e/packaged/ (after the build, on a real Electron).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { PlatformPackager, type AppInfo, type Configuration } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { expandMacro } from 'app-builder-lib/out/util/macroExpander.js';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  productName: string;
  version: string;
};

type DebugLogger = Parameters<typeof validateConfiguration>[1];
// validateConfiguration only asks the logger whether it is on.
const quietLogger: DebugLogger = {
  isEnabled: false,
  data: new Map(),
  add: () => undefined,
  save: () => Promise.resolve(),
};

/** electron-builder.yml as the CLI loads it (defaults merged, `files` normalised). */
const loadConfig = (): Promise<Configuration> => getConfig(repoRoot, null, null);

const validate = (config: Configuration): Promise<void> =>
  validateConfiguration(config, quietLogger);

/** The config as plain data, to break on purpose (the schema check may coerce what it reads). */
type Data = Record<string, Record<string, unknown>>;
const asData = async (): Promise<Data> => structuredClone(await loadConfig()) as unknown as Data;

describe('electron-builder.yml against electron-builder’s schema', () => {
  it('loads and validates with electron-builder’s own check', async () => {
    const config = await loadConfig();
    await expect(validate(config)).resolves.toBeUndefined();
    // The loader found this repository's file, not an empty default.
    expect(config.appId).toBe('dev.tokendesk.app');
  });

  // Each sample is the real configuration with one mistake, so only that mistake can fail it.
  it.each([
    [
      'an unknown top-level option',
      (c: Data): void => {
        c.electronFuse = { runAsNode: false };
      },
      /unknown property 'electronFuse'/,
    ],
    [
      'a fuse electron-builder does not know',
      (c: Data): void => {
        c.electronFuses!.disableRunAsNode = true;
      },
      /configuration\.electronFuses/,
    ],
    [
      'a fuse that is not a boolean',
      (c: Data): void => {
        c.electronFuses!.runAsNode = 'off';
      },
      /configuration\.electronFuses\.runAsNode should be a boolean/,
    ],
    [
      'asar that is not a boolean',
      (c: Data): void => {
        (c as Record<string, unknown>).asar = 'yes';
      },
      /configuration\.asar should be one of these/,
    ],
    [
      'an NSIS option under mac',
      (c: Data): void => {
        c.mac!.oneClick = false;
      },
      /configuration\.mac/,
    ],
    [
      'an architecture that does not exist',
      (c: Data): void => {
        c.mac!.target = [{ target: 'dmg', arch: ['x86'] }];
      },
      /configuration\.mac\.target/,
    ],
  ] as const)('rejects %s', async (_name, breakIt, message) => {
    const config = await asData();
    breakIt(config);
    const rejection = validate(config);
    await expect(rejection).rejects.toThrow(/Invalid configuration object/);
    await expect(rejection).rejects.toThrow(message);
  });
});

describe('fuses', () => {
  const required = {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    // The renderer is served on the app's own scheme, not file: (main/shell/app-protocol.ts).
    grantFileProtocolExtraPrivileges: false,
  };

  it('are set as SECURITY.md requires, every V1 fuse decided', async () => {
    const { electronFuses } = await loadConfig();
    expect(electronFuses).toMatchObject(required);
    expect(electronFuses?.loadBrowserProcessSpecificV8Snapshot).toBe(false);
    const wire = Object.keys(FuseV1Options).filter((key) => Number.isNaN(Number(key)));
    const decided = Object.keys(electronFuses ?? {}).filter(
      (key) => key !== 'resetAdHocDarwinSignature',
    );
    expect(decided).toHaveLength(wire.length);
  });

  it('reach the wire positions @electron/fuses flips, through electron-builder’s own mapping', async () => {
    const { electronFuses } = await loadConfig();
    // PlatformPackager.generateFuseConfig is what electron-builder hands to flipFuses; it reads
    // nothing from the packager, so it runs without one.
    const generate = Reflect.get(PlatformPackager.prototype, 'generateFuseConfig') as (
      fuses: unknown,
    ) => Promise<Record<string, unknown>>;
    const fuseConfig = await generate.call({}, electronFuses);
    expect(fuseConfig).toEqual({
      version: FuseVersion.V1,
      resetAdHocDarwinSignature: true,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
  });
});

describe('what users get', () => {
  it('names the app as package.json does: the About panel and the data folder use that name', async () => {
    const config = await loadConfig();
    // Electron's app.name (About panel, userData folder ~/.config/Tokendesk and its kin) is
    // package.json's productName; the installers must carry the same name.
    expect(config.productName).toBe(packageJson.productName);
    expect(config.extraMetadata).not.toHaveProperty('productName');
    expect(config.extraMetadata).not.toHaveProperty('version');
  });

  it('builds AppImage and .deb with a desktop entry the running window is linked to', async () => {
    const config = await loadConfig();
    const { linux } = config;
    const extraMetadata = config.extraMetadata as { desktopName?: string } | undefined;
    expect(linux?.target).toEqual(['AppImage', 'deb']);
    expect(linux?.category).toBe('Development');
    const entry = (linux?.desktop as { entry?: Record<string, string> } | null)?.entry ?? {};
    expect(entry.Name).toBe(packageJson.productName);
    expect(entry.Comment).toBeTruthy();
    // Electron sets WM_CLASS / app_id from desktopName; the launcher must claim the same class,
    // and syncDesktopName names the .desktop file after it.
    const desktopName = extraMetadata?.desktopName;
    expect(desktopName).toMatch(/\.desktop$/);
    expect(entry.StartupWMClass).toBe(desktopName?.replace(/\.desktop$/, ''));
    expect(linux?.syncDesktopName).toBe(true);
    // Debian requires "Name <e-mail>" for the maintainer.
    expect(linux?.maintainer).toMatch(/^[^<>]+ <[^@\s<>]+@[^@\s<>]+>$/);
  });

  it('builds a dmg per Mac architecture with the hardened runtime and JIT-only entitlements', async () => {
    const { mac } = await loadConfig();
    expect(mac?.target).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }]);
    expect(mac?.category).toBe('public.app-category.developer-tools');
    expect(mac?.hardenedRuntime).toBe(true);
    for (const file of [mac?.entitlements, mac?.entitlementsInherit]) {
      expect(file, 'entitlements file configured').toBeTruthy();
      expect(existsSync(join(repoRoot, file!)), `${file} exists`).toBe(true);
      const plist = readFileSync(join(repoRoot, file!), 'utf8');
      const granted = [...plist.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((m) => m[1]);
      expect(granted, file!).toEqual(['com.apple.security.cs.allow-jit']);
    }
  });

  it('builds an assisted per-user NSIS installer that lets the user pick the folder', async () => {
    const { win, nsis } = await loadConfig();
    expect(win?.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(nsis).toMatchObject({
      oneClick: false,
      perMachine: false,
      allowToChangeInstallationDirectory: true,
    });
  });

  it('gives every installer its own file name (the two dmgs do not overwrite each other)', async () => {
    const { artifactName } = await loadConfig();
    // The fields of AppInfo the pattern uses; ${arch} as electron-builder spells it per format.
    const appInfo = {
      productName: packageJson.productName,
      sanitizedProductName: packageJson.productName,
      version: packageJson.version,
    };
    const expand = (os: string, arch: string, ext: string): string =>
      expandMacro(artifactName!, arch, appInfo as unknown as AppInfo, { os, ext });
    const names = [
      expand('linux', 'x86_64', 'AppImage'),
      expand('linux', 'amd64', 'deb'),
      expand('mac', 'x64', 'dmg'),
      expand('mac', 'arm64', 'dmg'),
      expand('win', 'x64', 'exe'),
    ];
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toContain(`Tokendesk-${packageJson.version}-`);
  });

  it('keeps signing and notarization credentials out of the file (they come from the environment)', async () => {
    const keys: string[] = [];
    const walk = (value: unknown): void => {
      if (value && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value)) {
          keys.push(key);
          walk(inner);
        }
      }
    };
    walk(await loadConfig());
    expect(
      keys.filter((key) => /csc|password|identity|apple|certificate|azure/i.test(key)),
    ).toEqual([]);
  });
});

describe('the tokendesk command in the installers', () => {
  /** A deb script as electron-builder writes it: its ${…} macros filled in as for Tokendesk. */
  const rendered = (script: string): string =>
    readFileSync(join(repoRoot, 'build/linux', script), 'utf8')
      .replaceAll('${sanitizedProductName}', 'Tokendesk')
      .replaceAll('${executable}', 'tokendesk');

  it('ships the command executable, and only it, as resources/bin', async () => {
    const config = await loadConfig();
    expect(config.extraResources).toEqual([
      { from: 'out/command', to: 'bin', filter: ['tokendesk', 'tokendesk.exe'] },
    ]);
  });

  it('the .deb puts the command on PATH as tokendesk and docker-credential-tokendesk, and takes them away again', async () => {
    const config = await loadConfig();
    expect(config.deb).toMatchObject({
      afterInstall: 'build/linux/after-install.sh',
      afterRemove: 'build/linux/after-remove.sh',
    });
    const install = rendered('after-install.sh');
    const command = '/opt/Tokendesk/resources/bin/tokendesk';
    expect(install).toContain(`ln -sf '${command}' '/usr/bin/tokendesk'`);
    expect(install).toContain(`ln -sf '${command}' '/usr/bin/docker-credential-tokendesk'`);
    // The app is no longer linked there: /usr/bin/tokendesk would be two programs.
    expect(install).not.toMatch(/ln -sf '\/opt\/Tokendesk\/tokendesk'/);
    const remove = rendered('after-remove.sh');
    expect(remove).toContain('for link in /usr/bin/tokendesk /usr/bin/docker-credential-tokendesk');
    expect(remove).toContain(`= '${command}' ]`);
  });

  it('the deb scripts are valid bash', () => {
    for (const script of ['after-install.sh', 'after-remove.sh']) {
      const checked = spawnSync('bash', ['-n', join(repoRoot, 'build/linux', script)], {
        encoding: 'utf8',
      });
      expect(checked.stderr, script).toBe('');
      expect(checked.status, script).toBe(0);
    }
  });
});
