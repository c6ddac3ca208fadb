#!/usr/bin/env bash
# System libraries WeasyPrint needs (Pango) and fonts with Cyrillic; installed only when missing.
set -euo pipefail
missing=()
dpkg -s libpango-1.0-0 >/dev/null 2>&1 || missing+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing+=(fonts-dejavu-core)
dpkg -s poppler-utils >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Установите системные пакеты: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
