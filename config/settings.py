"""Settings for the emulation campaign portal.

Everything that differs between machines comes from the environment (or a `.env` file beside
manage.py), read through django-environ; `.env.example` documents every variable.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import environ
import xstatic.pkg.bootstrap
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")


def _development_secret_key() -> str:
    """A random key kept in a git-ignored file, so sessions survive restarts of `make run`."""
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


# The placeholder in .env.example and deploy/env.production.example: copied as is, it is public.
EXAMPLE_SECRET_KEY = "change-me-to-a-long-random-string"


def _refuse_weak_secret_key(key: str) -> None:
    """Stop a DEBUG=false start on a key that signs nothing safely (sessions, password resets).

    The same rules as Django's deploy check security.W009, plus the two keys that are known:
    the example's placeholder and the development key generated into .secret_key on this host.
    """
    generate = 'python3 -c "import secrets; print(secrets.token_urlsafe(50))"'
    development = BASE_DIR / ".secret_key"
    problem = None
    if not key:
        problem = "SECRET_KEY is not set"
    elif key == EXAMPLE_SECRET_KEY:
        problem = "SECRET_KEY is the placeholder from the example file"
    elif key.startswith("django-insecure"):
        problem = "SECRET_KEY starts with 'django-insecure'"
    elif len(key) < 50:
        problem = "SECRET_KEY is shorter than 50 characters"
    elif len(set(key)) < 5:
        problem = "SECRET_KEY has fewer than 5 different characters"
    elif development.exists() and key == development.read_text().strip():
        problem = "SECRET_KEY is the development key from .secret_key"
    if problem:
        raise ImproperlyConfigured(
            f"{problem}. With DEBUG=false the portal needs its own random key of at least 50 "
            f"characters (generate one with: {generate}); see .env.example. "
            "For development set DEBUG=true instead."
        )


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if DEBUG:
    SECRET_KEY = SECRET_KEY or _development_secret_key()
else:
    # Production refuses to start with a key anyone could know; see _refuse_weak_secret_key.
    _refuse_weak_secret_key(SECRET_KEY)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The task queue (django.tasks backported to 5.2) and its database backend.
    "django_tasks",
    "django_tasks_db",
    # Sign-in throttling and lockout (see "Account security" below).
    "axes",
    # The plan's flow: each app may import only from the apps above it. `core` holds the
    # machinery they all share and imports none of them.
    "core",
    "units",
    "campaigns",
    "tasks",
    "scoring",
    "awards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Right after SecurityMiddleware (WhiteNoise's documented place): static files get the
    # security headers and skip the rest of the stack.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages (both leave a message for the next page), before any view runs.
    "core.session_rules.SessionIdleTimeoutMiddleware",
    "core.session_rules.SessionLifetimeMiddleware",
    "core.session_rules.NoStoreForSignedInMiddleware",
    "core.session_rules.PasswordChangeRequiredMiddleware",
    # After authentication: records refused access with the user (see core/audit/trail.py).
    "core.audit.trail.AuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# The audit trail's table (core.audit.trail.record writes into it); it lives in `units` beside
# the units and people its lines are filed under.
AUDIT_ENTRY_MODEL = "units.AuditEntry"

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "units.context_processors.viewer",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# SQLite is the embedded default; production points DATABASE_URL at PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# Behind PgBouncer in transaction mode: the exports' .iterator() must not open server-side
# cursors, which a transaction pooler cannot keep (docs/deployment.md).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
    "DISABLE_SERVER_SIDE_CURSORS", default=False
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite's default transaction reads first and asks for the write lock only at its first
    # write; when two saves of one report overlap, the second cannot get it and fails at once
    # with "database is locked" (a 500). BEGIN IMMEDIATE takes the lock at the start, so the
    # second waits (up to `timeout` seconds) for the first to commit, then finds the newer
    # version and gets the conflict message, as on PostgreSQL with its row locks.
    _sqlite = DATABASES["default"].setdefault("OPTIONS", {})
    _sqlite.setdefault("transaction_mode", "IMMEDIATE")
    _sqlite.setdefault("timeout", 20)
    _name = str(DATABASES["default"].get("NAME", ""))
    if _name and _name != ":memory:" and not _name.startswith("file:"):
        # A database file: readers never wait for a writer in WAL mode, and NORMAL
        # synchronisation is safe with it (a power cut may lose the last commit, never the
        # file).
        _sqlite.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL")

# A PostgreSQL streaming replica for the pages that only read (dashboards, rankings, exports,
# history search): core/db_router.py says which reads go there and why every other read, and
# every read after a write, stays on the primary. Unset (the default): one database, as before.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = DATABASES["default"][
        "DISABLE_SERVER_SIDE_CURSORS"]
    # Tests run against the primary's test database through this alias.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["core.db_router.PrimaryReplicaRouter"]
    # Seconds during which a browser that wrote reads only from the primary (the replica's lag
    # must stay well under it; `make loadtest --replica` measures it).
    REPLICA_AFTER_WRITE_SECONDS = env.int("REPLICA_AFTER_WRITE_SECONDS", default=5)
    # Innermost but for django-axes (which asks to be last): see ReplicaMiddleware's docstring.
    MIDDLEWARE.insert(MIDDLEWARE.index("axes.middleware.AxesMiddleware"),
                      "core.db_router.ReplicaMiddleware")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Vietnamese first; English for people who prefer it.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Ho_Chi_Minh")
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
]

# Uploaded evidence lives here; it is never served directly (downloads go through views).
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="thidua@localhost")

# -- Secure configuration: HTTPS, security headers, Content-Security-Policy, static files ------
# Production (DEBUG=false) gets the safe value of each by default; `manage.py check --deploy
# --fail-level WARNING` is clean with them (tests/security/test_headers.py runs it).

# Behind a reverse proxy that terminates HTTPS, Django sees plain HTTP: trust the proxy's
# X-Forwarded-Proto header, and only then (a client could send the header itself otherwise).
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("SECURE_PROXY_SSL_HEADER", default=False)
    else None
)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer probes each app host directly over HTTP: never redirect its health check.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
# Preloading is a promise about the whole registered domain (e.g. every host under a
# province's gov.vn name) that only its owner can make and that is slow to undo: off by default.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# security.W021 says only "preload is off"; it is off on purpose (above), so that check alone
# is silenced while the setting is off.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): only the portal's own files run or style a page; no
# inline <script>, on…= handler or style= attribute anywhere (tests/security checks the
# templates). Charts are inline SVG drawn with presentation attributes, which CSP allows;
# Bootstrap's CSS draws a few icons from data: URIs. PDF templates (*/documents/) keep their
# <style>: WeasyPrint renders them on the server, no browser ever sees them as a page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Static files are served by WhiteNoise from every app host (no shared static directory).
# The manifest storage (hashed, compressed names, cached forever) needs `collectstatic` to have
# run, so it is the production default only; development and tests use the plain storage.
STATICFILES_MANIFEST = env.bool("STATICFILES_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATICFILES_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# Evidence uploads: the largest file accepted (bytes). Types are checked by content.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)

# Long documents are generated by a worker (`manage.py db_worker`, started by `make run`) that
# takes tasks from a queue kept in the database; see README.md, "Background documents".
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
    },
}

# The portal's address as people reach it, for links in reminder e-mails.
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000")

# --- Account security (issue 7): password policy, sign-in lockout, sessions --------------------
# Defaults follow Decision 742/QĐ-BTTTT; where OWASP ASVS disagrees each rule is a setting, see
# docs/security.md, "Password policy".
PASSWORD_MIN_LENGTH = env.int("PASSWORD_MIN_LENGTH", default=8)
# Any of: upper, lower, digit, special. Empty (PASSWORD_REQUIRED_CLASSES=) turns the rule off.
PASSWORD_REQUIRED_CLASSES = env.list(
    "PASSWORD_REQUIRED_CLASSES", default=["upper", "lower", "digit", "special"]
)
PASSWORD_HISTORY_COUNT = env.int("PASSWORD_HISTORY_COUNT", default=5)
# Days after which a password must be changed; 0 turns the forced rotation off.
PASSWORD_CHANGE_DAYS = env.int("PASSWORD_CHANGE_DAYS", default=90)

# Days a "forgotten password" link works: short, since anyone who reads the mailbox can use it.
PASSWORD_RESET_DAYS = env.int("PASSWORD_RESET_DAYS", default=1)
PASSWORD_RESET_TIMEOUT = PASSWORD_RESET_DAYS * 24 * 60 * 60
# Days an invitation's link (a new account choosing its first password) works: longer, since a
# school's head may read the mail days later. Its own tokens (units.invitations.InvitationTokens).
INVITATION_DAYS = env.int("INVITATION_DAYS", default=7)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "core.passwords.MinimumLengthValidator"},
    {"NAME": "core.passwords.CharacterClassesValidator"},
    # Also records each new password's hash and date (its password_changed hook): keep it.
    {"NAME": "units.accounts.PasswordHistoryValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username+address is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
# Per username *and* address: someone guessing from elsewhere cannot lock a colleague out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failures from one address across all usernames before that address is locked too (0: off):
# guessing across many usernames (units/signin_guard.py). Larger than the per-account limit,
# since a school's staff share one NAT address.
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=30)
AXES_HANDLER = "units.signin_guard.SignInGuardHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "units.views.account.locked_out"
AXES_CLIENT_IP_CALLABLE = "core.audit.trail.client_ip"
# Administrators unlock people under "Sign-in lockouts" (units.admin), labelled in Vietnamese.
AXES_ENABLE_ADMIN = False
# Reverse proxies in front of the portal that append to X-Forwarded-For (0: none, use the
# connection's address), for the lockout and the audit trail's addresses. Wrong values let
# people spoof their address, so count exactly.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Sessions carry the user's id in their own column so deactivating an account can end them all.
SESSION_ENGINE = "units.sessions"
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
# Hours after sign-in when a session ends however active it is (0: never); ASVS 3.3.2.
SESSION_MAX_HOURS = env.int("SESSION_MAX_HOURS", default=12)
# How long the browser keeps the cookie after the last recorded activity; the idle timeout above
# is enforced by the server whatever this is. Longer than the idle time so the portal can still
# say "your session expired" rather than show a bare sign-in page.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)

# Backups: `manage.py backup` writes its archives here unless given --output or --dir;
# PG_BIN_DIR, when set, is the only place pg_dump/pg_restore are taken from (see docs/backup.md).
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / "backups")
BACKUP_PG_BIN_DIR = env.str("PG_BIN_DIR", default="")

# --- Digital signatures on issued decisions (issue 18; awards/signing.py, docs/signing.md) -----
# A timestamp server (RFC 3161) stamped into every signature; empty: the signer's clock only.
SIGNATURE_TSA_URL = env.str("SIGNATURE_TSA_URL", default="")
# Trusted roots for verification: a folder of PEM/DER certificates and/or a list of files
# (e.g. the Government Cipher Committee's root, Ban Cơ yếu Chính phủ). None is committed.
SIGNATURE_TRUST_ROOTS_DIR = env.str("SIGNATURE_TRUST_ROOTS_DIR", default="")
SIGNATURE_TRUST_ROOTS = env.list("SIGNATURE_TRUST_ROOTS", default=[])
# The verification page without signing in (anyone who received a PDF may check it).
SIGNATURE_VERIFY_PUBLIC = env.bool("SIGNATURE_VERIFY_PUBLIC", default=False)
# Dotted path of the signing backend (awards.signing.SigningBackend); the built-in one takes the
# director's PKCS#12 key file for the request only.
SIGNATURE_BACKEND = env.str("SIGNATURE_BACKEND", default="awards.signing.Pkcs12Backend")
# The largest key file accepted, kept in memory only (never written to a temporary file).
SIGNATURE_KEY_FILE_MAX_BYTES = env.int("SIGNATURE_KEY_FILE_MAX_BYTES", default=64 * 1024)
# Revocation on the verification page: off, the page says the certificate's revocation was not
# checked (the portal may run on a closed network). On, pyHanko asks the CRL/OCSP addresses the
# certificate carries (the network), and reads the CRL files listed below first (a CA's CRL
# downloaded ahead, e.g. for a closed network).
SIGNATURE_CHECK_REVOCATION = env.bool("SIGNATURE_CHECK_REVOCATION", default=False)
SIGNATURE_CRL_FILES = env.list("SIGNATURE_CRL_FILES", default=[])
# The visible stamp's font: a TrueType font with every Vietnamese letter (Debian's
# fonts-liberation2, scripts/system-deps.sh).
SIGNATURE_STAMP_FONT = env.str(
    "SIGNATURE_STAMP_FONT",
    default="/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
