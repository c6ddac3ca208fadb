#!/usr/bin/env bash
# The README's test command. Runs the suite on the database of DATABASE_URL (SQLite by default).
# Celery tests go through a real worker when REDIS_URL is set; browser journeys run when Chromium exists.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
if [ ! -x /usr/bin/chromium ]; then
  echo "Chromium не найден (/usr/bin/chromium): браузерные сценарии будут пропущены. Установите: make browser-deps"
elif [ ! -f node_modules/axe-core/axe.min.js ]; then
  echo "axe-core не установлен (node_modules/): проверка доступности будет пропущена. Установите: make browser-deps"
fi
if [ -z "${REDIS_URL:-}" ]; then
  echo "REDIS_URL не задан: задачи Celery выполняются в процессе, тесты с настоящим исполнителем пропускаются."
fi
# One pytest worker per core (TEST_WORKERS=0: none); --dist loadgroup keeps each xdist_group of
# tests/conftest.py (browser journeys, Celery worker tests) in one worker. Arguments come last and win.
exec $PY -m pytest -n "${TEST_WORKERS:-auto}" --dist loadgroup "$@"
