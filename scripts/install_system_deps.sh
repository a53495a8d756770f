#!/usr/bin/env bash
# Install, only when missing, the Debian packages the engine tests need:
#   - PostgreSQL server binaries (initdb, pg_ctl) for the throwaway cluster of tests/engines;
#   - a Java runtime for Spark 4 (Java 17 or 21) when `java` is missing or too old.
# Uses apt-get (with sudo when not root); prints what it does; exits 0 when all is present.
# Override the PostgreSQL binaries' folder with CXW_PG_BIN (default /usr/lib/postgresql/15/bin).
set -euo pipefail

PG_BIN="${CXW_PG_BIN:-/usr/lib/postgresql/15/bin}"
missing=()

say() { echo "install_system_deps: $*"; }

# PostgreSQL: the tests look for the server binaries of version 15 (Debian 12's version).
if [[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]]; then
  say "PostgreSQL server binaries present ($PG_BIN)"
else
  say "PostgreSQL server binaries missing ($PG_BIN/initdb)"
  missing+=(postgresql)
fi

# Java: Spark 4 runs on 17 or 21. Any of those on PATH or under /usr/lib/jvm will do.
java_major() {
  "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\)\(\.\([0-9]*\)\)\{0,1\}.*/\1 \3/p' | head -n1 |
    awk '{ if ($1 == 1) print $2; else print $1 }'
}
java_ok=""
for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java || true)" \
  /usr/lib/jvm/*17*/bin/java /usr/lib/jvm/*21*/bin/java; do
  [[ -n "$candidate" && -x "$candidate" ]] || continue
  major="$(java_major "$candidate" || true)"
  if [[ "$major" == "17" || "$major" == "21" ]]; then
    java_ok="$candidate (Java $major)"
    break
  fi
done
if [[ -n "$java_ok" ]]; then
  say "Java for Spark present: $java_ok"
else
  say "no Java 17 or 21 found for Spark"
  missing+=(openjdk-17-jre-headless)
fi

if [[ ${#missing[@]} -eq 0 ]]; then
  say "all system packages present"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  say "apt-get not found (not Debian/Ubuntu): install ${missing[*]} by hand" >&2
  exit 1
fi
if [[ "$(id -u)" -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  say "need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
say "running: ${sudo[*]} apt-get update"
"${sudo[@]}" apt-get update
say "running: ${sudo[*]} apt-get install -y --no-install-recommends ${missing[*]}"
"${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"

# The Debian postgresql package starts a cluster of its own; the tests do not use it.
if [[ ! -x "$PG_BIN/initdb" ]]; then
  say "installed, but $PG_BIN/initdb is still missing: this release ships another version;" \
    "point CXW_PG_BIN at its bin folder (e.g. /usr/lib/postgresql/*/bin)" >&2
  exit 1
fi
say "done"
