"""Django settings, read from the environment through the strict helpers in ``env``.

``SAFEHAVEN_MODE`` is ``production`` (the default), ``demo`` or ``test``. Only demo and test
generate their own secrets and key material under ``var/``; production refuses to start
without them.
"""

from datetime import timedelta
from pathlib import Path

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from safehaven.core.crypto import Argon2Params
from safehaven.core.onion import checked_onion_hosts
from safehaven.env import BadSetting, Env

BASE_DIR = Path(__file__).resolve().parent.parent
env = Env()

MODE = env.choice("SAFEHAVEN_MODE", choices=("production", "demo", "test"), default="production")
PRODUCTION = MODE == "production"
VAR_DIR = Path(env.str("SAFEHAVEN_VAR_DIR", default=str(BASE_DIR / "var")))
GENERATED_SECRETS_DIR = None if PRODUCTION else VAR_DIR / "secrets" / MODE

SECRET_KEY = env.secret(
    "SAFEHAVEN_SECRET_KEY", generated_in=GENERATED_SECRETS_DIR, min_length=50, generated_bytes=48
)
# Key material for the sealed-data layer: peppers for blind indexes and codename lookups, and
# the key that signs audit anchors. Each is separate so one leaking does not expose the others.
BLIND_INDEX_PEPPER = env.key_material(
    "SAFEHAVEN_BLIND_INDEX_PEPPER", generated_in=GENERATED_SECRETS_DIR
)
CODENAME_PEPPER = env.key_material("SAFEHAVEN_CODENAME_PEPPER", generated_in=GENERATED_SECRETS_DIR)
AUDIT_ANCHOR_KEY = env.key_material(
    "SAFEHAVEN_AUDIT_ANCHOR_KEY", generated_in=GENERATED_SECRETS_DIR
)
# Tags the public keys stored in the database, so that one written there by someone else is
# refused before anything is wrapped to it (keys/public_key_tags.py).
PUBLIC_KEY_TAG_KEY = env.key_material(
    "SAFEHAVEN_PUBLIC_KEY_TAG_KEY", generated_in=GENERATED_SECRETS_DIR
)
AUDIT_ANCHOR_PATH = Path(
    env.str("SAFEHAVEN_AUDIT_ANCHOR_PATH", default=str(VAR_DIR / f"audit-anchors-{MODE}.log"))
)
# Backups (docs/backups.md): the public key archives are encrypted to (`make_backup_key`; only
# `backup` uses it, but a malformed one stops start-up rather than the nightly backup), and
# where pg_dump and pg_restore of the server's major version are (unset: PATH; `doctor` checks).
BACKUP_PUBLIC_KEY = env.optional_key_material("SAFEHAVEN_BACKUP_PUBLIC_KEY")
PG_BIN_DIR = env.str("SAFEHAVEN_PG_BIN_DIR", default="") or None

DEBUG = env.bool("SAFEHAVEN_DEBUG", default=False)
if DEBUG and PRODUCTION:
    raise BadSetting("SAFEHAVEN_DEBUG cannot be on when SAFEHAVEN_MODE is production.")

ALLOWED_HOSTS = env.list(
    "SAFEHAVEN_ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1"]
)
# The organisation's onion service (v3 addresses): allowed hosts, never sent to https and given
# no HSTS, since Tor encrypts and authenticates the way to them (core/onion.py); the first is
# named to Tor Browser in Onion-Location on the clear names.
ONION_HOSTS = checked_onion_hosts(
    "SAFEHAVEN_ONION_HOSTS", env.list("SAFEHAVEN_ONION_HOSTS", default=[])
)
ALLOWED_HOSTS += [host for host in ONION_HOSTS if host not in ALLOWED_HOSTS]
if PRODUCTION and not ALLOWED_HOSTS:
    raise BadSetting(
        "SAFEHAVEN_ALLOWED_HOSTS (or SAFEHAVEN_ONION_HOSTS) must list the host names this "
        "server answers to."
    )

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "safehaven.core",
    "safehaven.intake",
    "safehaven.cases",
    "safehaven.travel",
    "safehaven.finance",
    "safehaven.partners",
    "safehaven.advocacy",
    "safehaven.reports",
    # Before allauth so that its templates (login, MFA) use the site's own layout.
    "safehaven.accounts",
    "safehaven.keys",
    "safehaven.countries",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "axes",
    "django_tasks_db",
    # Only for its own copies of Swagger UI and Redoc (the API docs page uses no CDN).
    "ninja",
]
AUTH_USER_MODEL = "accounts.User"

MIDDLEWARE = [
    # Django's, except for onion hosts: no https redirect, no HSTS, cookies fit for plain http
    # (core/onion.py).
    "safehaven.core.onion.OnionAwareSecurityMiddleware",
    # Gzip only for responses a view marked as holding no secret (core/compression.py: BREACH).
    "safehaven.core.compression.PublicPageCompressionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "safehaven.core.middleware.SecurityHeadersMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "safehaven.core.fetch_metadata.FetchMetadataCsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "safehaven.accounts.middleware.StaffSessionMiddleware",
    "safehaven.keys.middleware.LoginKeyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, so that it sees every failed login of the views above.
    "axes.middleware.AxesMiddleware",
]

# W003 looks for Django's CSRF middleware by name; ours subclasses it (token check unchanged),
# and a test asserts that it is installed. W001 does the same for SecurityMiddleware: core/onion.py
# makes that check and the ones behind it for its subclass.
SILENCED_SYSTEM_CHECKS = ["security.W003", "security.W001"]

ROOT_URLCONF = "safehaven.urls"
WSGI_APPLICATION = "safehaven.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safehaven.core.context_processors.site",
            ],
        },
    }
]
FORM_RENDERER = "safehaven.core.forms.AccessibleFormRenderer"

DATABASES = {
    "default": env.database(
        "SAFEHAVEN_DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / f'safehaven-{MODE}.sqlite3'}",
        base_dir=BASE_DIR,
        verify_tls=PRODUCTION,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared by every app server: allauth's rate limits and TOTP replay protection live here.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "safehaven_cache",
        # Shared by every app server: allauth's login rate limits and the per-user count of
        # wrong MFA codes (accounts/mfa_limits.py); culling them early would reset those
        # limits. (Spent proof-of-work stamps have their own table:
        # core/public_forms/proof_of_work.py.)
        "OPTIONS": {"MAX_ENTRIES": 50_000, "CULL_FREQUENCY": 4},
        # Keys carry staff addresses and e-mails (allauth's rate limits): stored hashed.
        "KEY_FUNCTION": "safehaven.core.cache_keys.hashed_cache_key",
    },
    # Rendered pieces of pages that are the same for everyone in a language ({% cache %} in
    # templates: the language links, the empty request form). Process memory: nothing
    # personal goes in, and each app server fills its own.
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "safehaven-template-fragments",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username+address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # allauth's backend plus: unwrap the private key at the password step; duress passwords.
    "safehaven.keys.backends.KeyUnlockingBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts-show-home"

# Staff accounts (SECURITY.md): no sign-up, no password reset by e-mail, no login that skips
# the password; every user must add a second factor before doing anything else.
ACCOUNT_ADAPTER = "safehaven.accounts.adapters.StaffAccountAdapter"
ACCOUNT_FORMS = {"change_password": "safehaven.accounts.forms_keys.KeyedChangePasswordForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Per address only: a per-username limit would let anyone lock a caseworker out (axes already
# locks the username+address combination).
ACCOUNT_RATE_LIMITS = {"login_failed": "20/m/ip"}
MFA_ADAPTER = "safehaven.accounts.adapters.StaffMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_PASSKEY_SIGNUP_ENABLED = False
MFA_TRUST_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
# The issuer appears in the authenticator app of a phone that may be searched: keep it neutral.
MFA_TOTP_ISSUER = env.str("SAFEHAVEN_TOTP_ISSUER", default="Workspace")
# The security key forms read the key's answer with a JSON field that cannot raise a 500.
MFA_FORMS = {
    "authenticate": "safehaven.accounts.mfa_limits.RateLimitedAuthenticateForm",
    "add_webauthn": "safehaven.accounts.webauthn_forms.AddWebAuthnForm",
    "reauthenticate_webauthn": "safehaven.accounts.webauthn_forms.ReauthenticateWebAuthnForm",
    "login_webauthn": "safehaven.accounts.webauthn_forms.LoginWebAuthnForm",
}
USERSESSIONS_TRACK_ACTIVITY = False

# Lockout: 5 failures lock that username from that address for 30 minutes. Locking the username
# alone would let an attacker lock every caseworker out during a crisis.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "safehaven.accounts.lockout.username_from_credentials"
AXES_LOCKOUT_CALLABLE = "safehaven.accounts.lockout.locked_out_response"
AXES_CLIENT_IP_CALLABLE = "safehaven.core.addresses.client_address"

# Cost of the Argon2id key that protects each user's private key (stored in every blob, so
# raising it later keeps old blobs readable). Tests use the cheapest legal cost.
KEY_ARGON2_PARAMS = Argon2Params.FAST_FOR_TESTS if MODE == "test" else Argon2Params.PRODUCTION

# Background work (team key re-wraps, duress alerts): arguments are stored in clear, so tasks
# take ids only. Tests run tasks inline.
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend"
        if MODE == "test"
        else "django_tasks_db.DatabaseBackend"
    }
}

# Staff invitations expire after 72 hours and work once.
INVITE_VALID_FOR = timedelta(hours=72)

PASSWORD_HASHERS = [
    # Tests create many users: cheap Argon2id parameters there (one test checks the real ones).
    *(["safehaven.accounts.hashers.CheapArgon2PasswordHasher"] if MODE == "test" else []),
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("fa", _("Persian")),
]
LOCALE_PATHS = [BASE_DIR / "safehaven" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# Security headers (SECURITY.md): strict CSP with nonces, nothing from another origin.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
    "manifest-src": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_NAME = "safehaven_session"
# Expired rows go when their cookie comes back, and hourly (`forget_expired`), not only daily.
SESSION_ENGINE = "safehaven.core.sessions"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_USE_SESSIONS = False

# A TLS-terminating reverse proxy in front of the app servers (it must set X-Forwarded-Proto
# and append the client address to X-Forwarded-For).
BEHIND_TLS_PROXY = env.bool("SAFEHAVEN_BEHIND_TLS_PROXY", default=False)
# allauth's per-address login limit must see the client, not the proxy.
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if BEHIND_TLS_PROXY else 0
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SAFEHAVEN_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SAFEHAVEN_HSTS_SECONDS", default=63072000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SAFEHAVEN_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-safehaven_session"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    if BEHIND_TLS_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env.list("SAFEHAVEN_CSRF_TRUSTED_ORIGINS", default=[])

# Where the quick exit sends a person: a neutral, common site that looks like ordinary browsing.
QUICK_EXIT_URL = env.str("SAFEHAVEN_QUICK_EXIT_URL", default="https://www.wikipedia.org/")
if not QUICK_EXIT_URL.startswith("https://"):
    raise BadSetting("SAFEHAVEN_QUICK_EXIT_URL must be an https:// address.")
ORGANISATION_NAME = env.str("SAFEHAVEN_ORGANISATION_NAME", default="Safe Haven")

# Public intake (SECURITY.md, T6). A request carries a proof-of-work stamp of this many leading
# zero bits (about 2**bits SHA-256 hashes, a few seconds on a phone at 18); tests keep it cheap.
INTAKE_POW_BITS = env.int(
    "SAFEHAVEN_INTAKE_POW_BITS", default=4 if MODE == "test" else 18, minimum=0, maximum=28
)
# Per-address limits, counted in process memory only: bucket -> (requests, window in seconds,
# at most 3600). A submit without a valid stamp costs the sender nothing, so it gets fewer.
# Addresses are shared (mobile carrier NAT, Tor), so the limits stay generous.
INTAKE_RATE_LIMITS = {
    "submit_with_pow": (20, 3600),
    # Per IPv4 /24 or IPv6 /48, per app server. Not also for all addresses together: whoever
    # used that up would shut everyone out, and a stamp costs an attacker little.
    "submit_with_pow_network": (200, 3600),
    "submit_without_pow": (5, 3600),
    # Per IPv4 /24 or IPv6 /48, then all addresses together, per app server: many addresses
    # must not mean no proof-of-work. The last one is a trade-off: whoever uses it up shuts
    # out people without JavaScript for the rest of the hour (logged as an error).
    "submit_without_pow_network": (20, 3600),
    "submit_without_pow_anyone": (300, 3600),
    "codename": (10, 900),
    # Messages and contact changes from one request's status pages (a withdrawal is never
    # refused): each is sealed, audited and marks the request unread for triage.
    "status_changes": (30, 3600),
}
# The partner API (docs/partners.md), per token, counted in each app server's memory only (a
# restart forgets, and N app servers allow N times as much): bucket -> (calls, window in
# seconds, at most 3600). Imports get their own, smaller budget: each may hold many rows.
# "organisation_*": the same, for all of one organisation's tokens together (the portal's
# refer and import pages count in "portal_*"). A refused token is audited once a window
# ("refusal_audits"); a secret refused "refused_calls" times is answered 429 until then.
PARTNER_API_RATE_LIMITS = {
    "calls": (120, 60),
    "imports": (20, 3600),
    "organisation_calls": (300, 60),
    "organisation_imports": (40, 3600),
    "portal_referrals": (60, 3600),
    "portal_imports": (20, 3600),
    "refusal_audits": (1, 3600),
    "refused_calls": (20, 600),
}
# The most tokens one partner organisation may hold at once (not revoked, not expired).
PARTNER_API_MAX_LIVE_TOKENS = 10
# The largest body the API reads (a crisis batch of about a thousand rows); below Django's own
# DATA_UPLOAD_MAX_MEMORY_SIZE, so that the API refuses it with its own JSON 413 first.
PARTNER_API_MAX_BODY_BYTES = 2 * 1024 * 1024
# How many days a person who asks for help should expect to wait for a first answer: the
# receipt and the status page say so, so it must be a promise the organisation keeps.
INTAKE_ANSWER_DAYS = env.int("SAFEHAVEN_INTAKE_ANSWER_DAYS", default=3, minimum=1, maximum=30)
# A requester's status page (opened with the codename) closes after this long without a click.
INTAKE_STATUS_IDLE = timedelta(minutes=15)
# After a requester withdraws consent, the request is erased (crypto-shredded) this much later
# by `manage.py shred_withdrawn` (run it from a timer, e.g. hourly) or the deferred task.
INTAKE_WITHDRAWAL_GRACE = timedelta(
    hours=env.int("SAFEHAVEN_INTAKE_WITHDRAWAL_GRACE_HOURS", default=48, minimum=1, maximum=720)
)

# Uploads stay in memory, never in a temporary file (Django's default handler writes those over
# 2.5 MB to disk in clear); a file over this many bytes is dropped while it streams in.
UPLOAD_MAX_BYTES = env.int(
    "SAFEHAVEN_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024, minimum=1024, maximum=50 * 1024 * 1024
)
FILE_UPLOAD_HANDLERS = ["safehaven.core.uploads.handlers.MemoryOnlyUploadHandler"]
# Every form takes one file a post: without this, one anonymous post could hold a hundred files
# of UPLOAD_MAX_BYTES in memory (SECURITY.md, "Uploads").
DATA_UPLOAD_MAX_NUMBER_FILES = 1

if PRODUCTION:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env.str("SAFEHAVEN_SMTP_HOST", default="localhost"),
                "port": env.int("SAFEHAVEN_SMTP_PORT", default=587, minimum=1, maximum=65535),
                "username": env.str("SAFEHAVEN_SMTP_USER", default=""),
                "password": env.secret("SAFEHAVEN_SMTP_PASSWORD")
                if env.str("SAFEHAVEN_SMTP_USER", default="")
                else "",
                "use_tls": env.bool("SAFEHAVEN_SMTP_STARTTLS", default=True),
                "timeout": 20,
            },
        }
    }
else:
    # Demo prints mail (invitations) to the console; tests keep it in memory.
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.console.EmailBackend"
            if MODE == "demo"
            else "django.core.mail.backends.locmem.EmailBackend"
        }
    }
DEFAULT_FROM_EMAIL = env.str("SAFEHAVEN_FROM_EMAIL", default="safehaven@localhost")

# Logs never carry request bodies, requester addresses or decrypted values (SECURITY.md):
# Django's request logger would write the path and client address of every error.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django.request": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # A missing variable makes the template engine log the page's whole context (opened
        # values included) at DEBUG: never let those records reach a handler, at any log level.
        "django.template": {"handlers": [], "level": "INFO", "propagate": False},
    },
}
DEMO_PORT = env.int("PORT", default=8000, minimum=1, maximum=65535)
