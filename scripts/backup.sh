#!/usr/bin/env bash
# Backup and restore of the portal: the database (PostgreSQL: pg_dump -Fc / pg_restore; SQLite: a consistent
# copy of the file) plus the media folder, in one .tar archive.
#   bash scripts/backup.sh backup FILE     (make backup FILE=backups/portal.tar)
#   bash scripts/backup.sh restore FILE    (make restore FILE=backups/portal.tar) — replaces the data!
# Reads DATABASE_URL and MEDIA_ROOT like the portal does (and .env when present).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

ACTION=${1:-}
FILE=${2:-}
if [[ -z "$ACTION" || -z "$FILE" || ! "$ACTION" =~ ^(backup|restore)$ ]]; then
  echo "Использование: scripts/backup.sh backup|restore ФАЙЛ" >&2
  exit 2
fi

# Database settings as the portal sees them (one source of truth: config/settings.py).
eval "$(DEBUG=1 $PY - <<'PYEOF'
import os, shlex
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from django.conf import settings
db = settings.DATABASES["default"]
engine = "postgresql" if "postgresql" in db["ENGINE"] else "sqlite" if "sqlite" in db["ENGINE"] else db["ENGINE"]
values = {"DB_ENGINE": engine, "DB_NAME": str(db["NAME"]), "DB_USER": db.get("USER") or "",
          "DB_PASSWORD": db.get("PASSWORD") or "", "DB_HOST": db.get("HOST") or "", "DB_PORT": str(db.get("PORT") or ""),
          "MEDIA_DIR": str(settings.MEDIA_ROOT)}
for key, value in values.items():
    print(f"{key}={shlex.quote(value)}")
PYEOF
)"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
pg_args=()
if [[ "$DB_ENGINE" == postgresql ]]; then
  export PGPASSWORD="$DB_PASSWORD"
  [[ -n "$DB_HOST" ]] && pg_args+=(-h "$DB_HOST")
  [[ -n "$DB_PORT" ]] && pg_args+=(-p "$DB_PORT")
  [[ -n "$DB_USER" ]] && pg_args+=(-U "$DB_USER")
fi

backup() {
  mkdir -p "$(dirname "$FILE")"
  case "$DB_ENGINE" in
    postgresql) pg_dump "${pg_args[@]}" -Fc --no-owner -f "$WORK/database.dump" "$DB_NAME" ;;
    sqlite)
      [[ -f "$DB_NAME" ]] || { echo "Файл базы $DB_NAME не найден" >&2; exit 1; }
      # The sqlite3 backup API gives a consistent copy even while the portal writes.
      $PY -c 'import sqlite3,sys; s=sqlite3.connect(sys.argv[1]); d=sqlite3.connect(sys.argv[2]); s.backup(d); d.close(); s.close()' \
        "$DB_NAME" "$WORK/database.sqlite3" ;;
    *) echo "Неизвестная СУБД: $DB_ENGINE" >&2; exit 1 ;;
  esac
  mkdir -p "$WORK/media"
  if [[ -d "$MEDIA_DIR" ]]; then cp -a "$MEDIA_DIR/." "$WORK/media/"; fi
  echo "$DB_ENGINE" > "$WORK/ENGINE"
  tar -C "$WORK" -cf "$FILE.partial" ENGINE media $(ls "$WORK" | grep '^database')
  mv "$FILE.partial" "$FILE"
  echo "Резервная копия записана: $FILE ($DB_ENGINE, база и файлы media)"
}

restore() {
  [[ -f "$FILE" ]] || { echo "Файл $FILE не найден" >&2; exit 1; }
  tar -C "$WORK" -xf "$FILE"
  saved=$(cat "$WORK/ENGINE")
  [[ "$saved" == "$DB_ENGINE" ]] || { echo "Копия сделана для $saved, а портал настроен на $DB_ENGINE" >&2; exit 1; }
  case "$DB_ENGINE" in
    postgresql) pg_restore "${pg_args[@]}" --clean --if-exists --no-owner --single-transaction -d "$DB_NAME" "$WORK/database.dump" ;;
    sqlite)
      mkdir -p "$(dirname "$DB_NAME")"
      cp "$WORK/database.sqlite3" "$DB_NAME.restoring"
      mv "$DB_NAME.restoring" "$DB_NAME" ;;
  esac
  mkdir -p "$MEDIA_DIR"
  find "$MEDIA_DIR" -mindepth 1 -delete
  cp -a "$WORK/media/." "$MEDIA_DIR/"
  echo "Данные восстановлены из $FILE ($DB_ENGINE, база и файлы media)"
}

"$ACTION"
