/**
 * Where the app window's page lives: the app's own scheme (main/shell/app-protocol.ts serves it).
 * A file of its own, without electron, so that tests running outside Electron can name the URL.
 */
export const APP_SCHEME = 'tokendesk';
export const APP_HOST = 'app';
/** The page the app window loads (the dev server's URL replaces it under `npm run dev`). */
export const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;
