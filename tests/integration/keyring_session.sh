#!/usr/bin/env bash
# Run a command against a real Secret Service: a gnome-keyring-daemon in a temporary HOME.
# Use under dbus-run-session:  dbus-run-session -- bash keyring_session.sh HOME unlock|locked CMD...
# The login keyring gets a non-empty password, so gnome-keyring keeps it encrypted on disk.
set -euo pipefail
export HOME="$1"; mode="$2"; shift 2
export XDG_DATA_HOME="$HOME/.local/share" XDG_CONFIG_HOME="$HOME/.config"
export XDG_RUNTIME_DIR="$HOME/.run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
unset PYTHON_KEYRING_BACKEND KITH_PASSPHRASE
if [ "$mode" = unlock ]; then
    eval "$(printf '%s' "${KEYRING_TEST_PASSWORD:-kith-test-login}" | gnome-keyring-daemon --unlock --components=secrets)"
else
    eval "$(gnome-keyring-daemon --start --components=secrets)"
fi
export GNOME_KEYRING_CONTROL
exec "$@"
