#!/bin/sh
# Runs "$@" with a real, unlocked Secret Service: start it inside a fresh session bus,
#   dbus-run-session -- sh xtask/src/keyring-session.sh cargo test --workspace
# (what `cargo xtask test` does). gnome-keyring gets its own data and runtime directories under
# $PSYTER_KEYRING_DIR (default target/xtask/keyring, wiped first), so a developer's own keyring is
# never read or changed, and it is unlocked with a known password, which also creates the default
# "login" collection. Headless, as root, without stdin. Exports PSYTER_KEYCHAIN_TESTS=1 so the
# keychain tests (core/tests/keychain.rs) run for real. The daemon exits with the session bus.
set -eu

if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  echo "keyring-session.sh: no session bus; run it under dbus-run-session" >&2
  exit 1
fi
dir=${PSYTER_KEYRING_DIR:-target/xtask/keyring}
rm -rf "$dir"
mkdir -p "$dir/data" "$dir/runtime"
chmod 700 "$dir" "$dir/runtime"
dir=$(cd "$dir" && pwd) # the daemon changes to / when it forks

printf '%s' psyter-ci | XDG_DATA_HOME="$dir/data" XDG_RUNTIME_DIR="$dir/runtime" \
  gnome-keyring-daemon --unlock --components=secrets >/dev/null

bus() { dbus-send --session --print-reply "$@"; }
# The daemon forks before it owns its bus name; calling it earlier would D-Bus-activate a second,
# locked instance, so wait with NameHasOwner (which activates nothing).
tries=0
until bus --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner \
  string:org.freedesktop.secrets | grep -q 'boolean true'; do
  tries=$((tries + 1))
  if [ "$tries" -ge 100 ]; then
    echo "keyring-session.sh: gnome-keyring did not claim org.freedesktop.secrets within 10 s" >&2
    exit 1
  fi
  sleep 0.1
done
bus --dest=org.freedesktop.secrets /org/freedesktop/secrets org.freedesktop.Secret.Service.ReadAlias \
  string:default | grep -q '/collection/login"' || {
  echo "keyring-session.sh: gnome-keyring has no default (login) collection" >&2
  exit 1
}
bus --dest=org.freedesktop.secrets /org/freedesktop/secrets/collection/login \
  org.freedesktop.DBus.Properties.Get string:org.freedesktop.Secret.Collection string:Locked |
  grep -q 'boolean false' || {
  echo "keyring-session.sh: the login collection is still locked" >&2
  exit 1
}
echo "    gnome-keyring: Secret Service up, default collection \"login\" unlocked ($dir)"

export PSYTER_KEYCHAIN_TESTS=1
exec "$@"
