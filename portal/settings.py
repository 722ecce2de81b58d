"""Settings for the Customer for Life portal.

Everything that differs between a laptop and production comes from the environment, read here
through `portal.env.Env`; see the README's Configuration section for each name.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.env import Env, cache_from_url, socialaccount_providers

env = Env()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", False)
SECRET_KEY = env.str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode-never-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
# Unless set, links follow the port `make run` serves on (WEB_PORT).
SITE_URL = env.str("SITE_URL", f"http://localhost:{env.int('WEB_PORT', 8000)}").rstrip("/")
if not DEBUG and not SITE_URL.startswith("https://"):
    # Links in Slack messages and emails would send people to plain HTTP, and the secure
    # cookies set with DEBUG off would never come back from there.
    raise ImproperlyConfigured(
        f"SITE_URL must start with https:// when DEBUG is off (it is {SITE_URL!r})"
    )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [SITE_URL])

INSTALLED_APPS = [
    "portal",
    "ambassadors",
    "stories",
    "onboarding",
    "wagtail.contrib.settings",
    # Principle pages in English and Korean: Wagtail's own translations (README, "Languages").
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    # Wagtail's user admin, with the portal's rules on who may grant what (portal/users_admin.py).
    "portal.apps.PortalUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.slack",
    "django_celery_beat",
    "csp",
    "timezone_field",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "portal.middleware.ProfileLanguageMiddleware",
    "portal.middleware.AdminAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.middleware.UnconfiguredProviderMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.portal",
            ],
        },
    },
]

# Form widgets come from the project's templates too, so templates/wagtailadmin/widgets/ can
# replace Wagtail's inline start-up scripts (see portal/static/portal/admin-csp.js).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        env.str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
        conn_max_age=env.int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one SQLite file in development: WAL and a busy timeout let
    # them take turns instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A server that accepts the connection and never answers fails the request in seconds
    # instead of holding a web worker until gunicorn kills it. `?connect_timeout=` in
    # DATABASE_URL wins.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", 5)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    # Django's ModelBackend, with permissions kept in the shared cache (portal/lookups.py).
    "portal.auth.SharedCacheModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The shared cache: allauth's rate limits (and later Slack event de-duplication) must hold
# across every web process and host, so it is Redis or the database, never process memory.
CACHES = {"default": cache_from_url(env.str("CACHE_URL", "db://portal_cache"))}
# Wagtail looks up every image rendition it draws in the "renditions" cache. On Redis that is
# the shared cache; on the database cache each lookup would be a query per image per page, so
# there it is each process's memory, for minutes only: a rendition a process remembers after
# an image changed points at a file kept until then, never at another image.
# Rendered fragments (portal/fragments.py: story cards, filter forms) likewise: their keys name
# the version of what they show, so a process's own copy is never of the wrong thing; only a
# rename of a department, touchpoint or tag reaches another process's copies when they expire.
# Lookups (portal/lookups.py: permissions, site settings, the reader's profile, departments)
# only on Redis: kept in each process's memory a permission taken away would outlive the change
# in the other processes, and on the database cache a lookup costs the query it saves.
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    CACHES["renditions"] = {**CACHES["default"], "KEY_PREFIX": "renditions"}
    CACHES["fragments"] = {**CACHES["default"], "KEY_PREFIX": "fragments", "TIMEOUT": 3600}
    CACHES["lookups"] = {**CACHES["default"], "KEY_PREFIX": "lookups"}
else:
    CACHES["lookups"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    CACHES["renditions"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "TIMEOUT": 300,
    }
    CACHES["fragments"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "TIMEOUT": 300,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
WAGTAILADMIN_LOGIN_URL = "account_login"

# allauth: people sign in with their work email; accounts are made by HR in the admin or by the
# company's identity provider, so open self-service sign-up stays off unless asked for.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", "none")
ACCOUNT_ALLOW_SIGNUPS = env.bool("ACCOUNT_ALLOW_SIGNUPS", False)
ACCOUNT_ADAPTER = "portal.auth.AccountAdapter"
ACCOUNT_USER_DISPLAY = "portal.auth.user_display"
ACCOUNT_LOGOUT_ON_GET = False
# allauth's own limits, written out so the README can state them: wrong passwords are counted
# per address (10 a minute) and per account (5 in 5 minutes, from any address; a successful
# sign-in does not count, and resetting the password clears the account's count).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "signup": "20/m/ip",
}
SOCIALACCOUNT_ADAPTER = "portal.auth.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = socialaccount_providers(env)
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_ONLY = env.bool("SOCIALACCOUNT_ONLY", False)
SSO_ALLOWED_EMAIL_DOMAINS = [d.lower() for d in env.list("SSO_ALLOWED_EMAIL_DOMAINS")]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ko", _("Korean"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "portal_language"
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
WAGTAILADMIN_PERMITTED_LANGUAGES = [("en", "English"), ("ko", "한국어")]
# Pages exist per language (principles, onboarding); a person reads their profile's language
# and falls back to English where no translation is live (portal/principles/pages.py).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "portal" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Files only the portal hands out, after a permission check (feedback imports and their
# reports hold customers' words): never under MEDIA_URL. Web and worker must share it.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
# How many feedback items `manage.py demo` generates and imports (stories/demo_feedback.py).
DEMO_FEEDBACK_ITEMS = env.int("DEMO_FEEDBACK_ITEMS", 15_000)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "portal@localhost")
# For the SMTP backend (django.core.mail.backends.smtp.EmailBackend).
EMAIL_HOST = env.str("EMAIL_HOST", "localhost")
EMAIL_PORT = env.int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", 10)

WAGTAIL_SITE_NAME = "Customer for Life"
# A story's picture (stories.services.story): large enough for a phone photo, small enough
# for a list of cards. Wagtail checks the type (it must open as an image) and this size.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "pptx", "txt", "xlsx"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from gravatar.com: it would receive a hash of every employee's email.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# One way in and one place for credentials: allauth's sign-in, password change and reset.
# The work email is the identity SSO and Slack rely on; only the user editor changes it.
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# Every page needs sign-in already; shared page passwords would be a second way in.
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}

# Celery: an embedded filesystem broker under var/ by default, so `make run` needs no service.
# The host part means nothing to this transport; without one kombu warns on every task sent.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", "filesystem://localhost/")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        "control_folder": str(_broker_dir / "control"),
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE

SLACK_BOT_TOKEN = env.str("SLACK_BOT_TOKEN")
SLACK_SIGNING_SECRET = env.str("SLACK_SIGNING_SECRET")
SLACK_APP_TOKEN = env.str("SLACK_APP_TOKEN")
SLACK_API_URL = env.str("SLACK_API_URL", "https://slack.com/api/")
SLACK_TIMEOUT = env.int("SLACK_TIMEOUT", 10)
SLACK_MAX_RETRIES = env.int("SLACK_MAX_RETRIES", 3)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", 5)
OUTBOX_STALE_AFTER = env.int("OUTBOX_STALE_AFTER", 600)

HEALTHZ_TIMEOUT = env.int("HEALTHZ_TIMEOUT", 3)

# Production hardening follows DEBUG: with DEBUG off, `manage.py check --deploy` is silent.
_secure = not DEBUG
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", _secure)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", _secure)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", _secure)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 31_536_000 if _secure else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", _secure)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", _secure)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Wagtail's live preview shows the page in a same-origin iframe, which DENY would blank out.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
BEHIND_PROXY = env.bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
# Rate limits count per client address: behind proxies, the address is the one the nearest
# TRUSTED_PROXY_COUNT proxies put in X-Forwarded-For, or every person would share one count.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", 1 if BEHIND_PROXY else 0)

# Content-Security-Policy (django-csp): the portal's own origin only, for its pages and for
# Wagtail's admin alike. Browsers report violations to /csp-report, which logs them.
_SELF, _NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF, "data:"],
        "connect-src": [_SELF],
        # Video embeds on principle and onboarding pages (Wagtail's embed block).
        "frame-src": [
            _SELF,
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "frame-ancestors": [_SELF],
        "object-src": [_NONE],
        "base-uri": [_SELF],
        "report-uri": "/csp-report",
    }
}
# Browser features the portal never uses are switched off (django-permissions-policy).
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
    "fullscreen": ["self"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO")},
    # Wagtail runs its search and reference-index updates as django-tasks; one line per save
    # drowns everything else.
    "loggers": {"django_tasks": {"level": "WARNING"}},
}
