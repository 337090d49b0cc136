"""Settings for the emulation campaign portal.

Everything that differs between machines comes from the environment (or a `.env` file beside
manage.py), read through django-environ; `.env.example` documents every variable.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import environ
import xstatic.pkg.bootstrap
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


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG and not env.bool("ALLOW_GENERATED_SECRET_KEY", default=False):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (see .env.example), "
            "or set DEBUG=true for development."
        )
    SECRET_KEY = _development_secret_key()

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
    # The plan's flow: each app may import only from the apps above it.
    "units",
    "campaigns",
    "tasks",
    "scoring",
    "awards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages (both leave a message for the next page), before any view runs.
    "units.middleware.SessionIdleTimeoutMiddleware",
    "units.middleware.PasswordChangeRequiredMiddleware",
    # After authentication: records refused access with the user (see units/audit.py).
    "units.audit.AuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

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

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
X_FRAME_OPTIONS = "DENY"

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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "units.passwords.MinimumLengthValidator"},
    {"NAME": "units.passwords.CharacterClassesValidator"},
    # Also records each new password's hash and date (its password_changed hook): keep it.
    {"NAME": "units.passwords.PasswordHistoryValidator"},
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
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "units.views_account.locked_out"
AXES_CLIENT_IP_CALLABLE = "units.audit.client_ip"
# Administrators unlock people under "Sign-in lockouts" (units.admin), labelled in Vietnamese.
AXES_ENABLE_ADMIN = False
# Reverse proxies in front of the portal that append to X-Forwarded-For (0: none, use the
# connection's address), for the lockout and the audit trail's addresses. Wrong values let
# people spoof their address, so count exactly.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Sessions carry the user's id in their own column so deactivating an account can end them all.
SESSION_ENGINE = "units.sessions"
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
# How long the browser keeps the cookie after the last recorded activity; the idle timeout above
# is enforced by the server whatever this is. Longer than the idle time so the portal can still
# say "your session expired" rather than show a bare sign-in page.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)

# Backups: `manage.py backup` writes its archives here unless given --output or --dir;
# PG_BIN_DIR, when set, is the only place pg_dump/pg_restore are taken from (see docs/backup.md).
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / "backups")
BACKUP_PG_BIN_DIR = env.str("PG_BIN_DIR", default="")
