#!/usr/bin/env bash
# Make sure a headless Chromium is installed for the report tests (tests/reports/), which open
# the rendered report site and check that it loads, draws its charts and logs no errors.
# Installs Debian's `chromium` package when no Chromium is on PATH (root, or sudo without a
# password); does nothing when one is there. Prints the binary it found.
set -euo pipefail

find_chromium() {
    local name
    for name in chromium chromium-browser google-chrome google-chrome-stable; do
        if command -v "$name" >/dev/null 2>&1; then
            command -v "$name"
            return 0
        fi
    done
    return 1
}

if binary="$(find_chromium)"; then
    echo "chromium: $binary"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_chromium: no Chromium on PATH and no apt-get to install it;" \
        "install Chromium (or Google Chrome) yourself" >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
else
    echo "ensure_chromium: Chromium is missing and installing it needs root;" \
        "run: sudo apt-get install -y chromium" >&2
    exit 1
fi

echo "ensure_chromium: installing Debian's chromium package" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
# Ubuntu's chromium-browser is a snap wrapper that does not run headless in containers;
# Debian's chromium is a real package.
"${as_root[@]}" apt-get install -y -qq chromium >/dev/null

if binary="$(find_chromium)"; then
    echo "chromium: $binary"
else
    echo "ensure_chromium: the chromium package installed no binary on PATH" >&2
    exit 1
fi
