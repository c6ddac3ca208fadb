"""The portal's settings with static files collected under benchmarks/data/static (for gunicorn runs
without DEBUG, where whitenoise serves the hashed files from STATIC_ROOT). Nothing else differs."""

from config.settings import *  # noqa: F403
from config.settings import BASE_DIR

STATIC_ROOT = BASE_DIR / "benchmarks" / "data" / "static"
