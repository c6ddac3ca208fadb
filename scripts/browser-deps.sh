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
# axe-core for the accessibility check of the journeys (an npm package, kept out of git in node_modules/).
cd "$(dirname "$0")/.."
if [ ! -f node_modules/axe-core/axe.min.js ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "Установите Node.js и npm: они нужны для axe-core (проверка доступности)" >&2
    exit 1
  fi
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
fi
