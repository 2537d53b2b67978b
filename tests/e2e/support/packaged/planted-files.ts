/**
 * Files the packaged-setup project plants in the staged out/ before packing, which
 * electron-builder.yml must keep out of app.asar. The build emits no source maps today: without
 * one planted, the source-map exclusion of `files` would never be seen to work.
 */
export const PLANTED_FILES: Readonly<Record<string, string>> = {
  'out/main/packaging-decoy.js.map':
    '{"version":3,"sources":["../../main/index.ts"],"sourcesContent":["secret"],"mappings":""}',
};
