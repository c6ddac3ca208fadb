"""Database sessions that ignore a malformed session cookie instead of sending it to the database.

Django's keys are 32 characters of [a-z0-9]; a forged cookie with other bytes (a NUL makes PostgreSQL's
driver raise) is treated like no session at all: the visitor is simply not signed in.
"""

import re

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

SESSION_KEY = re.compile(r"[a-z0-9]{8,64}")


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key):
        return bool(key) and SESSION_KEY.fullmatch(key) is not None
