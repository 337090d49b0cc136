"""Settings for the test process: config.settings with its HTTPS-only switches off.

Tests speak plain HTTP (Django's test client, a live server on 127.0.0.1 for the browser) and no
`collectstatic` has run. Whatever DEBUG and .env say, an SSL redirect would answer every request
with a 301 and the manifest storage would fail on every {% static %}. These are set here rather
than in a fixture because the browser tests' live server builds its middleware once, before any
fixture could change them. The production values are tested where they belong: `check --deploy`
in a subprocess with the production environment, and the headers with override_settings
(tests/security/test_headers.py).
"""

from config.settings import *  # noqa: F403
from config.settings import STORAGES

SECURE_SSL_REDIRECT = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise as in development: files from the apps' static directories, looked up per request
# (the test process runs with DEBUG off, which would make it index a STATIC_ROOT never collected).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The read replica's alias as a test mirror of the primary (tests/core/test_db_router.py): two
# connections to one test database. Unused unless a test installs the router; when
# DATABASE_REPLICA_URL is set, config.settings has defined it already.
if "replica" not in DATABASES:  # noqa: F405
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
