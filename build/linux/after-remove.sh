#!/bin/bash
# electron-builder's after-remove.tpl (app-builder-lib 26.17.0), removing the command line's
# links instead of the app's (electron-builder.yml, deb.afterRemove).

# The command line's links (after-install.sh), only if they still point into this app.
for link in /usr/bin/tokendesk /usr/bin/docker-credential-tokendesk; do
    if [ -L "$link" ] && [ "`readlink "$link"`" = '/opt/${sanitizedProductName}/resources/bin/tokendesk' ]; then
        rm -f "$link"
    fi
done

APPARMOR_PROFILE_DEST='/etc/apparmor.d/${executable}'

# Remove and unload apparmor profile.
if [ -f "$APPARMOR_PROFILE_DEST" ]; then
  # Unload the profile from the running kernel before deleting the file so the
  # policy is not left enforced until the next reboot.  Mirror the chroot guard
  # used in the after-install script — live AppArmor operations are not
  # meaningful inside a chroot.
  # https://wiki.debian.org/AppArmor/HowToUse
  if apparmor_status --enabled > /dev/null 2>&1; then
    if ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      apparmor_parser --remove "$APPARMOR_PROFILE_DEST" || true
    fi
  fi
  rm -f "$APPARMOR_PROFILE_DEST"
fi