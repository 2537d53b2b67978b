/**
 * The version printed by `tokendesk --version`: package.json's, written in by the build
 * (scripts/build-command.ts, esbuild `define`) so the command reads no file to know it.
 * Run from source (tests, tsx) it is "dev".
 */
declare const TOKENDESK_VERSION: string | undefined;

export const VERSION: string = typeof TOKENDESK_VERSION === 'string' ? TOKENDESK_VERSION : 'dev';
