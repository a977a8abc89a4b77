"""Motcua settings: one file, read from ``MOTCUA_*`` environment variables.

Every variable is listed with its default in ``.env.example``. Test-only settings live in
``conftest.py``.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from motcua.cacheurl import counters_from_url
from motcua.clientaddress import parse_networks

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(f"MOTCUA_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(f"MOTCUA_{name}")
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(f"MOTCUA_{name}")
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "MOTCUA_SECRET_KEY chưa được đặt. Đặt biến môi trường này (một chuỗi ngẫu nhiên dài) "
            "hoặc bật MOTCUA_DEBUG=1 cho môi trường phát triển."
        )
    # Development only: a random key kept under var/, never in the repository.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
# Signs the trace's checkpoints (manage.py trace_checkpoint); by default derived from
# SECRET_KEY. Keep it out of the database's backups, like SECRET_KEY.
TRACE_SIGNING_KEY = env_str("TRACE_SIGNING_KEY")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "MOTCUA_ALLOWED_HOSTS chưa được đặt: liệt kê tên miền của máy chủ, cách nhau bởi dấu phẩy."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "motcua.lockout.LockoutConfig",  # django-axes, named in Vietnamese
    "csp",
    "ninja",
    "motcua.agencies",
    "motcua.workcalendar",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.tasks",
    "motcua.reports",
    "motcua.notifications",
    "motcua.portal",
    "motcua.api",
    "motcua.ratelimit",
    "motcua.tickets",
    "motcua.ratings",
    "motcua.follow",
    "motcua.feedback",
    "motcua.payments",
    "motcua.submissions",
    "motcua.citizens",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "motcua.nulbytes.RefuseNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "motcua" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "motcua.portal.context_processors.display_preferences",
                "motcua.dossiers.context_processors.menu_counters",
                "motcua.citizens.context_processors.citizen_menu",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run while one writer commits; IMMEDIATE avoids lock-upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Counters shared by every process (rate limits): the database by default, see
# motcua/cacheurl.py. Django's own cache ("default") is per process unless redis/memcached.
COUNTER_STORE, _cache = counters_from_url(env_str("CACHE_URL"))
CACHES = {"default": _cache}

# The reverse proxies in front of the server (addresses or CIDRs): only from them is
# X-Forwarded-For believed, to find the client's address (motcua/clientaddress.py).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
parse_networks(TRUSTED_PROXIES)  # a bad entry stops start-up here, with its message

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Citizens log in by their verified phone or e-mail (motcua/citizens/backends.py); axes
    # counts their failures too, under "citizen:<phone or e-mail>".
    "motcua.citizens.backends.CitizenBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# The citizens' log-in page (motcua/citizens/): where citizens' own pages (submitting online,
# completing a dossier, paying, "my dossiers") send a visitor who is not logged in. A URL
# name, as LOGIN_URL.
CITIZEN_LOGIN_URL = "citizens:login"
LOGIN_REDIRECT_URL = "agencies:staff_home"
LOGOUT_REDIRECT_URL = "portal:home"
#: How long the signed link to an electronic result, sent when it is returned online, works
#: (motcua/dossiers/results.py); after it, the applicant downloads it from their account.
RESULT_LINK_DAYS = env_int("RESULT_LINK_DAYS", 30)

# Lock an account + address out after repeated failed log-ins (django-axes).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The same client address as our rate limits: behind the proxy, the client's, not the proxy's.
AXES_CLIENT_IP_CALLABLE = "motcua.clientaddress.client_address"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "motcua" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

# Security: secure cookies behind HTTPS, no framing, a strict Content-Security-Policy.
HTTPS = env_bool("HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 10) * 3600
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31536000)
    SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", False)

CONTENT_SECURITY_POLICY = {
    # JSON answers are never rendered as documents (nosniff); the policy is for HTML pages,
    # the API's docs page included.
    "EXCLUDE_URL_PREFIXES": [
        "/api/v1/public/",
        "/api/v1/dossiers",
        "/api/v1/procedures",
        "/api/v1/agencies",
        "/api/v1/calendar/",
        "/api/v1/openapi.json",
        "/api/v1/payments/",
    ],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Site identity shown in the header and on printed papers.
SITE_NAME = env_str("SITE_NAME", "Một cửa điện tử")
SITE_OWNER = env_str("SITE_OWNER", "UBND tỉnh (bản trình diễn)")

CATALOG_PAGE_SIZE = env_int("CATALOG_PAGE_SIZE", 20)
ATTACHMENT_MAX_MB = env_int("ATTACHMENT_MAX_MB", 20)
ATTACHMENT_MAX_COUNT = env_int("ATTACHMENT_MAX_COUNT", 30)
INBOX_PAGE_SIZE = env_int("INBOX_PAGE_SIZE", 50)
# Public look-ups per address per minute before 429 (SPEC §12); the per-dossier limit (10
# wrong verification values per code per hour) is SPEC's, in motcua/dossiers/public_lookup.py.
PUBLIC_LOOKUP_PER_MINUTE = env_int("PUBLIC_LOOKUP_PER_MINUTE", 30)
# Queue tickets per client address per minute, from the kiosk page or the API (a kiosk is one
# address; motcua/tickets/kiosk.py).
QUEUE_TICKETS_PER_MINUTE = env_int("QUEUE_TICKETS_PER_MINUTE", 30)
# ... and per client address per day (all desks); a registered kiosk (manage.py
# kiosk_device_add) is exempt from both. Per desk per day: the numbers 1001 to 1999.
QUEUE_TICKETS_PER_ADDRESS_PER_DAY = env_int("QUEUE_TICKETS_PER_ADDRESS_PER_DAY", 10)
QUEUE_TICKETS_PER_DESK_PER_DAY = env_int("QUEUE_TICKETS_PER_DESK_PER_DAY", 999)
# Numbers are given in the desk's office sessions only, from this many minutes before each
# starts (motcua/tickets/hours.py); ANY_TIME lifts that, for tests on the real clock only.
QUEUE_OPEN_MARGIN_MINUTES = env_int("QUEUE_OPEN_MARGIN_MINUTES", 30)
QUEUE_TICKETS_ANY_TIME = env_bool("QUEUE_TICKETS_ANY_TIME", False)
# Display-board streams one ASGI process serves at once; beyond, a 503 and the board polls
# (motcua/tickets/push.py). An open stream holds no database connection.
QUEUE_STREAMS_PER_PROCESS = env_int("QUEUE_STREAMS_PER_PROCESS", 500)
# Following a dossier (motcua/follow/links.py): how long the rating link of the "result
# returned" message stays valid, and a form shown after verification (the rating on the
# look-up page and the kiosk).
RATING_LINK_DAYS = env_int("RATING_LINK_DAYS", 90)
FOLLOW_FORM_MINUTES = env_int("FOLLOW_FORM_MINUTES", 30)
# Feedback (PAKN, motcua/feedback): sent per client address per hour from the public form or
# the API before 429; the agency that answers feedback about a procedure of the catalog
# (its code; default: the top agency of the tree).
FEEDBACK_PER_HOUR = env_int("FEEDBACK_PER_HOUR", 10)
FEEDBACK_CATALOG_AGENCY = env_str("FEEDBACK_CATALOG_AGENCY")
# Where the receipt's QR code points: this site's public address.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# Messages (motcua/notifications, docs/architecture.md "Messages"): the channel of each
# medium. SMS: "file" (var/outbox/, development), "console", "http" (a gateway, below) or
# "zalo" (a place for Zalo ZNS, not enabled); e-mail: "file", "console", "smtp" (Django's
# e-mail backend, below) or "http".
SMS_CHANNEL = env_str("SMS_CHANNEL", "file")
EMAIL_CHANNEL = env_str("EMAIL_CHANNEL", "file")
NOTIFICATION_LEASE_SECONDS = env_int("NOTIFICATION_LEASE_SECONDS", 300)
# A failed message is tried again after this many seconds × 2^attempts (8 attempts).
NOTIFICATION_RETRY_SECONDS = float(env_str("NOTIFICATION_RETRY_SECONDS", "60"))
# The longest SMS (characters without diacritics; 153 per part of a long SMS).
SMS_MAX_LENGTH = env_int("SMS_MAX_LENGTH", 306)
# The SMS gateway (channel "http"): a JSON POST per message. The body is a JSON template
# whose strings may hold {to} {to_intl} {text} {key} {brandname} {kind} {subject}; the
# message's key also goes in the SMS_GATEWAY_KEY_HEADER header. Success: a 2xx answer and,
# when SMS_GATEWAY_SUCCESS is "field=value" (a dotted path), that field of its JSON.
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL")
SMS_GATEWAY_BODY = env_str(
    "SMS_GATEWAY_BODY",
    '{"key": "{key}", "to": "{to}", "text": "{text}", "brandname": "{brandname}"}',
)
SMS_GATEWAY_HEADERS = env_str("SMS_GATEWAY_HEADERS")  # JSON object, e.g. an API key header
SMS_GATEWAY_USER = env_str("SMS_GATEWAY_USER")  # HTTP basic authentication, when set
SMS_GATEWAY_PASSWORD = env_str("SMS_GATEWAY_PASSWORD")
SMS_GATEWAY_SUCCESS = env_str("SMS_GATEWAY_SUCCESS")
SMS_GATEWAY_KEY_HEADER = env_str("SMS_GATEWAY_KEY_HEADER", "Idempotency-Key")
SMS_GATEWAY_TIMEOUT = env_int("SMS_GATEWAY_TIMEOUT", 10)
SMS_BRANDNAME = env_str("SMS_BRANDNAME")
# E-mail (channel "smtp"): Django's SMTP backend.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("EMAIL_FROM", "Motcua <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Fees paid online (motcua/payments, SPEC §10; docs/api.md). A gateway is offered when its
# settings are all set. The demo gateway (pages of this server, no real money) follows DEBUG
# unless set on purpose: a production server never has it by accident.
PAYMENT_DEMO = env_bool("PAYMENT_DEMO", DEBUG)
# The gateway takes no money after this many minutes (vnp_ExpireDate); expire_payments
# cancels what is still pending after twice as long.
PAYMENT_EXPIRE_MINUTES = env_int("PAYMENT_EXPIRE_MINUTES", 15)
VNPAY_TMN_CODE = env_str("VNPAY_TMN_CODE")
VNPAY_HASH_SECRET = env_str("VNPAY_HASH_SECRET")
VNPAY_URL = env_str("VNPAY_URL")  # e.g. VNPay's sandbox …/paymentv2/vpcpay.html
DVCQG_PAY_URL = env_str("DVCQG_PAY_URL")
DVCQG_PAY_MERCHANT = env_str("DVCQG_PAY_MERCHANT")
DVCQG_PAY_SECRET = env_str("DVCQG_PAY_SECRET")
# The platform's signed fields, in order (comma-separated; providers/dvcqg.py's defaults).
DVCQG_PAY_REQUEST_FIELDS = env_str("DVCQG_PAY_REQUEST_FIELDS")
DVCQG_PAY_CALLBACK_FIELDS = env_str("DVCQG_PAY_CALLBACK_FIELDS")
# Uploads stream to unnamed temporary files, hashed as they come and cut off past
# ATTACHMENT_MAX_MB (motcua/dossiers/files.py): none is ever read whole into memory.
FILE_UPLOAD_HANDLERS = ["motcua.dossiers.files.IncomingFileUploadHandler"]
# The largest body read into memory: a JSON request to the API carrying one file of
# ATTACHMENT_MAX_MB in base64 (4/3 of it) plus 1 MiB of other fields; larger gets 413.
API_BODY_MAX_BYTES = 4 * -(-ATTACHMENT_MAX_MB * 1024 * 1024 // 3) + 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = API_BODY_MAX_BYTES

# Citizens' accounts (motcua/citizens/): one-time codes and their limits.
CITIZEN_CODE_MINUTES = env_int("CITIZEN_CODE_MINUTES", 5)  # a code expires after this
CITIZEN_CODE_TRIES = env_int("CITIZEN_CODE_TRIES", 5)  # wrong tries, then a new code is needed
CITIZEN_CODES_PER_HOUR = env_int("CITIZEN_CODES_PER_HOUR", 5)  # per phone or e-mail
CITIZEN_CODES_PER_ADDRESS_PER_HOUR = env_int("CITIZEN_CODES_PER_ADDRESS_PER_HOUR", 20)
CITIZEN_LOGINS_PER_ADDRESS_PER_MINUTE = env_int("CITIZEN_LOGINS_PER_ADDRESS_PER_MINUTE", 10)
# Log-in through an OpenID Connect provider (VNeID, the national portal's SSO): off unless
# both the discovery URL (or the issuer) and the client id are set. Claim names as the
# provider spells them.
OIDC_ISSUER = env_str("OIDC_ISSUER")
OIDC_DISCOVERY_URL = env_str(
    "OIDC_DISCOVERY_URL",
    f"{OIDC_ISSUER.rstrip('/')}/.well-known/openid-configuration" if OIDC_ISSUER else "",
)
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID")
OIDC_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET")
OIDC_SCOPES = env_str("OIDC_SCOPES", "openid profile email phone")
OIDC_TOKEN_AUTH_METHOD = env_str("OIDC_TOKEN_AUTH_METHOD", "client_secret_basic")
OIDC_PKCE = env_bool("OIDC_PKCE", True)
OIDC_USERINFO = env_bool("OIDC_USERINFO", True)  # also read the userinfo endpoint's claims
OIDC_TIMEOUT_SECONDS = env_int("OIDC_TIMEOUT_SECONDS", 10)
# The callback's full address as registered at the provider (default: built from the request).
OIDC_REDIRECT_URI = env_str("OIDC_REDIRECT_URI")
OIDC_LABEL = env_str("OIDC_LABEL", "VNeID")  # the button: "Đăng nhập bằng VNeID"
OIDC_CLAIM_NAME = env_str("OIDC_CLAIM_NAME", "name")
OIDC_CLAIM_ID_NUMBER = env_str("OIDC_CLAIM_ID_NUMBER", "id_number")
OIDC_CLAIM_PHONE = env_str("OIDC_CLAIM_PHONE", "phone_number")
OIDC_CLAIM_EMAIL = env_str("OIDC_CLAIM_EMAIL", "email")
OIDC_CLAIM_ADDRESS = env_str("OIDC_CLAIM_ADDRESS", "address")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # pypdf warns about every oddity of the uploads it checks; a refusal already says enough.
    # WeasyPrint reports each step of every PDF at INFO.
    "loggers": {
        "axes": {"level": "WARNING"},
        "pypdf": {"level": "ERROR"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}
