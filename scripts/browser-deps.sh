#!/usr/bin/env bash
# Debian's Chromium for the Playwright journeys (a browser download does not work here).
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Установите Chromium: sudo apt-get install chromium" >&2
    exit 1
  fi
fi
