"""Test settings: the real settings, a fast password hasher and in-memory mail."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdefghij")

from reta.settings import *  # noqa: E402,F403
from reta.settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Photographs and fingerprint cards of the tests go to a temporary folder, never into the project:
# one of their own, or the one a test gives the app servers it starts (tests/browser/
# test_two_app_servers.py), which must share it.
RETA_PRIVATE_MEDIA_ROOT = Path(
    os.environ.get("RETA_TEST_PRIVATE_MEDIA_ROOT") or tempfile.mkdtemp(prefix="reta-private-media-")
)

if DATABASES["default"]["ENGINE"] == "django.db.backends.mysql":  # noqa: F405
    # Empties the tables guarded by DELETE triggers with TRUNCATE between tests (reta.testing_db).
    DATABASES["default"]["ENGINE"] = "reta.testing_db"  # noqa: F405
if "replica" in DATABASES:  # noqa: F405
    # The normal suite runs on one database: the replica alias reads the test database of the
    # primary (Django's test mirror, same NAME). Against a real replica (tests/replica/) the
    # replica server received that database by replication, so the mirror reads the second server.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # noqa: F405
