#!/usr/bin/env bash
# Starts the Electron in TOKENDESK_E2E_ELECTRON_BIN with every argument given, and copies what it
# writes to stdout and stderr into TOKENDESK_E2E_OUTPUT from its first byte on, while Playwright
# still reads both streams as usual. (Playwright's own pipes are read by the spec only after the
# launch returns, and the app logs its start before that.) exec keeps one process, the app's.
exec "${TOKENDESK_E2E_ELECTRON_BIN}" "$@" \
  > >(tee -a "${TOKENDESK_E2E_OUTPUT}") \
  2> >(tee -a "${TOKENDESK_E2E_OUTPUT}" >&2)
