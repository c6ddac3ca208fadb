#!/bin/sh
# Static files exactly as production serves them: production settings (DEBUG off), so the manifest storage
# writes staticfiles.json and every {% static %} resolves to a hashed, compressed file served by WhiteNoise.
# collectstatic is a code-only command (config/settings.py: CODE_ONLY), so no SECRET_KEY or ALLOWED_HOSTS
# is needed at build time. The Dockerfile and tests/trust/test_deploy_settings.py both run this script;
# STATIC_ROOT chooses where the files go (default: staticfiles/).
set -eu
cd "$(dirname "$0")/.."
export DEBUG=0
exec "${PYTHON:-python}" manage.py collectstatic --noinput --clear
