"""Settings, driven by environment variables (see README « Configuration de production »)."""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from cnum.core.storage import media_storage

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CNUM_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
# With DEBUG on (the demo), a missing page still shows the site's French 404; a developer who
# wants Django's technical 404 (URL patterns tried) sets DEBUG_TECHNICAL_404=1.
DEBUG_TECHNICAL_404 = env_bool("DEBUG_TECHNICAL_404")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("La variable d'environnement SECRET_KEY est obligatoire.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "dsfr",
    "widget_tweaks",
    "django_htmx",
    "ninja",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "oauth2_provider",
    "hijack",
    "cnum.core",
    "cnum.territories",
    "cnum.accounts",
    "cnum.documents",
    "cnum.api",
    "cnum.workflow",
    "cnum.structures",
    "cnum.candidates",
    "cnum.mandates",
    "cnum.matching",
    "cnum.recruitment",
    "cnum.allocation",
    "cnum.exports",
    "cnum.funding",
    "cnum.training",
    "cnum.partners",
    "cnum.places",
    "cnum.activity",
    "cnum.referrals",
    "cnum.workshops",
    "cnum.stats",
    "cnum.networks",
    "cnum.followup",
    "cnum.coordination",
    "cnum.profiles",
    "cnum.backups",
    "cnum.ops",
    "cnum.communication",
]

MIDDLEWARE = [
    # Request latency by view (Prometheus) and the request log line with its request id.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "cnum.ops.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cnum.core.body_limit.RequestBodyLimitMiddleware",
    "cnum.core.middleware.HostileInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "hijack.middleware.HijackUserMiddleware",
    "cnum.accounts.middleware.SecurityHeadersMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "cnum.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cnum.accounts.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "cnum.core.middleware.FrenchNotFoundMiddleware",
    "cnum.ops.middleware.MetricsMiddleware",
    # Last: the views it marks replica-readable have passed every access check above.
    "cnum.replica.middleware.ReplicaReadsMiddleware",
]

ROOT_URLCONF = "cnum.urls"
WSGI_APPLICATION = "cnum.wsgi.application"

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
                "cnum.navigation.context_processors.navigation",
                "cnum.communication.context_processors.announcements",
            ],
        },
    }
]

# Database: PostgreSQL in production (DATABASE_URL), embedded SQLite in WAL mode otherwise.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cnum.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT compilation: it costs 100–150 ms on the dashboards' wide aggregates (120 sums over
    # a few thousand rollup rows, estimated larger) and never pays back on queries this short.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # Statements run through a server-side binding cursor are prepared from their fifth run on a
    # connection (psycopg's default; Django turns it off). Django's own queries bind on the
    # client and are never prepared; only the records' facts read of the rollup upkeep asks for
    # it (cnum.stats.contributions). A pooler in transaction mode must then keep prepared
    # statements per client (PgBouncer ≥ 1.21, max_prepared_statements).
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 5
# Optional streaming replica: statistics, exports, the public map and open data read from it
# (cnum.replica); skipped when it lags beyond REPLICA_MAX_LAG_SECONDS or does not answer. In
# tests it mirrors the default database (no second test database is created).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "30"))
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"].setdefault("OPTIONS", {}).update(options="-c jit=off", connect_timeout=2)
DATABASE_ROUTERS = ["cnum.replica.router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's password backend, which also wakes an account deactivated for inactivity.
    "cnum.profiles.backends.DormantAccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Number of trusted reverse proxies in front of the application: the client's address is then
# the one the outermost of them wrote in X-Forwarded-For (0: REMOTE_ADDR). Every per-address
# limit, django-axes included, reads it through cnum.core.throttling.client_ip.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

# Login throttling: 5 failures for one account from one address locks it for 15 minutes, and
# LOGIN_FAILURES_PER_ADDRESS failures on any accounts from one address block that address for
# an hour (password spraying); a successful login or password reset does not reset the latter.
LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_FAILURES_PER_ADDRESS", "30"))
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "cnum.accounts.throttling.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_CLIENT_IP_CALLABLE = "cnum.core.throttling.client_ip"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Conseiller numérique"

# New candidates whose contact details or CV one structure may reveal per day (Europe/Paris).
CANDIDATE_REVEALS_PER_DAY = int(os.environ.get("CANDIDATE_REVEALS_PER_DAY", "30"))

# Stale matches close after these delays (days): docs/domaine.md#mises-en-relation-perimees.
MATCH_STALE_NEW_DAYS = int(os.environ.get("MATCH_STALE_NEW_DAYS", "60"))
MATCH_STALE_PRESELECTED_DAYS = int(os.environ.get("MATCH_STALE_PRESELECTED_DAYS", "90"))
# Available candidates are asked "toujours disponible ?" every N months; the links last N days.
AVAILABILITY_SURVEY_MONTHS = int(os.environ.get("AVAILABILITY_SURVEY_MONTHS", "3"))
AVAILABILITY_SURVEY_LINK_DAYS = int(os.environ.get("AVAILABILITY_SURVEY_LINK_DAYS", "30"))
# Referrals (docs/orientations.md#delais): one reminder to the receiver after N days, expiry
# (and validity of the signed link) after N days, personal data erased N days after the end.
REFERRAL_REMINDER_DAYS = int(os.environ.get("REFERRAL_REMINDER_DAYS", "10"))
REFERRAL_EXPIRY_DAYS = int(os.environ.get("REFERRAL_EXPIRY_DAYS", "30"))
REFERRAL_RETENTION_DAYS = int(os.environ.get("REFERRAL_RETENTION_DAYS", "365"))

# Follow-up (docs/suivi.md): reminders to conseillers without activity after these days of
# silence (first: the conseiller; second: also their managers and coordinators), and to the
# structures these months before a contract ends.
FOLLOWUP_INACTIVITY_DAYS = tuple(
    int(d) for d in os.environ.get("FOLLOWUP_INACTIVITY_DAYS", "30,42").split(",")
)
FOLLOWUP_CONTRACT_MONTHS = tuple(
    int(m) for m in os.environ.get("FOLLOWUP_CONTRACT_MONTHS", "4,2").split(",")
)

# FranceConnect (Aidants Connect identifies usagers through it); empty issuer = disabled, the
# aidant then enters the identity after checking a document.
FRANCECONNECT_ISSUER = os.environ.get("FRANCECONNECT_ISSUER", "").rstrip("/")
FRANCECONNECT_CLIENT_ID = os.environ.get("FRANCECONNECT_CLIENT_ID", "")
FRANCECONNECT_CLIENT_SECRET = os.environ.get("FRANCECONNECT_CLIENT_SECRET", "")

# ProConnect login for agents (cnum/accounts/proconnect.py); empty issuer = not offered. The
# id_token stands for the second factor only with `amr` "mfa" or one of these `acr` values.
PROCONNECT_ISSUER = os.environ.get("PROCONNECT_ISSUER", "").rstrip("/")
PROCONNECT_CLIENT_ID = os.environ.get("PROCONNECT_CLIENT_ID", "")
PROCONNECT_CLIENT_SECRET = os.environ.get("PROCONNECT_CLIENT_SECRET", "")
PROCONNECT_2FA_ACR = env_list(
    "PROCONNECT_2FA_ACR",
    "https://proconnect.gouv.fr/assurance/self-asserted-2fa,"
    "https://proconnect.gouv.fr/assurance/consistency-checked-2fa",
)

# Support impersonation (django-hijack): administrators only, never as an administrator; the
# banner is the site's own (templates/base.html), not the library's injected one.
HIJACK_PERMISSION_CHECK = "cnum.accounts.policies.can_impersonate"
HIJACK_INSERT_BEFORE = None

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # CVs and funding pieces (ciphertext): an S3-compatible bucket when AWS_STORAGE_BUCKET_NAME
    # is set, local files under MEDIA_ROOT otherwise (cnum.core.storage).
    "default": media_storage(os.environ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
# `manage.py backup` without --output: a dated folder here, the BACKUP_KEEP newest kept.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", VAR_DIR / "sauvegardes"))
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "14"))

# Request bodies: anything declaring more than MAX_REQUEST_BODY_MB is refused with a 413 before
# it is read (cnum.core.body_limit); keep the proxy's limit (nginx client_max_body_size) equal.
# The largest legitimate body is a 10 MB funding document plus the form around it. Uploads up to
# that size stay in memory, so no PDF is ever written in clear to a temporary file.
MAX_REQUEST_BODY_MB = int(os.environ.get("MAX_REQUEST_BODY_MB", "12"))
MAX_REQUEST_BODY_BYTES = MAX_REQUEST_BODY_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BODY_BYTES
# Form fields other than files, under the same cap: the training import's confirmation posts a
# CSV of up to 5 MB back as a field, beyond Django's 2.5 MB default.
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BODY_BYTES

# Public map: tile server (empty: no background map, the list of places stays complete). The
# demo (DEBUG) has none unless set: an unreachable tile server would hold the map for seconds.
MAP_TILE_URL = os.environ.get(
    "MAP_TILE_URL", "" if DEBUG else "https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png"
)
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION", "© les contributrices et contributeurs d'OpenStreetMap"
)

# Public workshop registration: minutes to confirm by e-mail before the request lapses.
WORKSHOP_CONFIRMATION_MINUTES = int(os.environ.get("WORKSHOP_CONFIRMATION_MINUTES", "30"))

# Change of e-mail address: hours the link sent to the new address stays valid.
EMAIL_CHANGE_LINK_HOURS = int(os.environ.get("EMAIL_CHANGE_LINK_HOURS", "24"))

# Inactive accounts of every role (cnum.profiles.dormancy; candidates follow their own rule):
# warned after WARNING_DAYS without a login, deactivated DEACTIVATION_DAYS after the warning,
# anonymised ANONYMISATION_DAYS after the deactivation; a login before that reactivates.
INACTIVE_ACCOUNT_WARNING_DAYS = int(os.environ.get("INACTIVE_ACCOUNT_WARNING_DAYS", "700"))
INACTIVE_ACCOUNT_DEACTIVATION_DAYS = int(os.environ.get("INACTIVE_ACCOUNT_DEACTIVATION_DAYS", "30"))
INACTIVE_ACCOUNT_ANONYMISATION_DAYS = int(
    os.environ.get("INACTIVE_ACCOUNT_ANONYMISATION_DAYS", "180")
)

# E-mail: console by default; SMTP when EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Conseiller numérique <ne-pas-repondre@conseiller-numerique.gouv.fr>"
)
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# django-tasks-db, storing with each task the request id of whoever enqueued it (cnum.ops).
TASKS = {"default": {"BACKEND": "cnum.ops.task_backend.ContextDatabaseBackend"}}

# Shared cache (throttles, resend guards, the statistics refresh flag): one for every process
# and machine. Redis when REDIS_URL is set (redis://host:6379/0), otherwise a table of the
# database (created by the core app's migrations). CACHE_KEY_PREFIX separates instances sharing
# one Redis.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "cnum")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            # A stalled Redis fails the request quickly instead of hanging a worker.
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cnum_cache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            # Django's default (300) would evict live throttle counters under load.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# Per-process memory for small, rarely changing data every page reads (the banners): no round
# trip at all; each use says how stale it may be.
CACHES["local"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cnum"}

# Security: cookies, HTTPS and headers (HTTPS settings relax only in DEBUG).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^sante/", r"^metrics$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No page uses these browser features (the map does not locate the visitor): all denied.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "bluetooth",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
    )
)
# Users whose roles require the second factor are signed out after this long without a request.
IDLE_TIMEOUT_MINUTES = int(os.environ.get("IDLE_TIMEOUT_MINUTES", "30"))
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Logs (cnum.ops.logconfig): JSON lines by default, readable text with DEBUG (make run).
# Every line of a request or of a task it started carries request_id and user_id (never an
# e-mail or a name); the caller's X-Request-ID is kept when sane and echoed in the response.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("LOG_FORMAT vaut « json » ou « text ».")
from cnum.ops.logconfig import logging_settings  # noqa: E402

LOGGING = logging_settings(LOG_FORMAT, os.environ.get("LOG_LEVEL", "INFO"))
DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = True  # checked first by cnum.ops.middleware
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False
DJANGO_STRUCTLOG_STATUS_START_LOG_LEVEL = 10  # request_started at DEBUG: one INFO line per request
DJANGO_STRUCTLOG_STATUS_4XX_LOG_LEVEL = 20

# Monitoring: /metrics (Prometheus) answers a bearer token or the listed addresses/networks
# only, and is a 404 when neither is set. Readiness (/sante/pret/) warns about due tasks
# waiting longer than HEALTH_TASK_BACKLOG_MINUTES.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS")
try:
    [ipaddress.ip_network(network, strict=False) for network in METRICS_ALLOWED_IPS]
except ValueError as error:
    raise ImproperlyConfigured(f"METRICS_ALLOWED_IPS : {error}.") from None
HEALTH_TASK_BACKLOG_MINUTES = int(os.environ.get("HEALTH_TASK_BACKLOG_MINUTES", "10"))

# OpenID Connect provider for partner services (cnum.partners). The ID-token signing key comes
# from OIDC_RSA_PRIVATE_KEY (PEM); without it a development key is kept in var/ (refused by
# `check --deploy`).
from cnum.partners.keys import signing_key  # noqa: E402

OIDC_RSA_PRIVATE_KEY, OIDC_KEY_FROM_ENVIRONMENT = signing_key(VAR_DIR)
# The library's models, named explicitly so that migrations pointing to them are stable.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": OIDC_RSA_PRIVATE_KEY,
    "OIDC_ISS_ENDPOINT": f"{SITE_URL}/oidc",
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OIDC_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED": ["client_secret_basic", "client_secret_post"],
    "OAUTH2_VALIDATOR_CLASS": "cnum.partners.validators.PartnerValidator",
    "SCOPES_BACKEND_CLASS": "cnum.partners.scopes.PartnerScopes",
    "PKCE_REQUIRED": True,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": int(os.environ.get("OIDC_CODE_EXPIRE_SECONDS", "60")),
    "ACCESS_TOKEN_EXPIRE_SECONDS": int(os.environ.get("OIDC_ACCESS_TOKEN_EXPIRE_SECONDS", "600")),
    "ID_TOKEN_EXPIRE_SECONDS": 600,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,  # none are issued (cnum.partners.validators)
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"] if DEBUG else ["https"],
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
}
