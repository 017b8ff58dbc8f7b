#!/usr/bin/env bash
# Debian's Chromium for the browser tests (playwright-core drives it as a system browser: no browser download).
# Idempotent: nothing to do when /usr/bin/chromium is there. Packages come from the machine's own apt sources.
# Prints the browser's path on its last line.
set -euo pipefail
browser=/usr/bin/chromium
if [ ! -x "$browser" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "browser install: $browser is missing and installing it needs root: sudo apt-get install chromium" >&2
    exit 1
  fi
  start=$SECONDS
  echo "browser install: apt-get install chromium" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y --no-install-recommends chromium >/dev/null; }
  echo "browser install: $("$browser" --version 2>/dev/null) in $((SECONDS - start))s" >&2
fi
echo "$browser"
