"""Default settings. Layered in create_app(): these defaults → instance/config.py →
environment (DATABASE_URL, SECRET_KEY, MARKETPLACE_*) → the mapping passed to create_app().

Every setting is listed in the README's configuration reference.
"""

# Database. None means "SQLite file marketplace.db in the instance folder".
SQLALCHEMY_DATABASE_URI = None
SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
# Seconds SQLite waits for a lock before failing with "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 5000

# Secret key. None means "read or create instance/secret_key on first start".
SECRET_KEY = None

# Serve with HTTPS: Secure and __Host- cookies, HSTS, https URLs.
HTTPS = False
# Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted.
PROXY_COUNT = 0
# The site's public address. Every absolute link it hands out (canonical links, OpenGraph, JSON-LD,
# the share link, QR codes in the brand kit, the API) starts with it, never with the request's Host.
PUBLIC_URL = "http://127.0.0.1:5000"
# Flask's own check: when set (e.g. ["rooyesh.example"]), a request for any other Host gets 400.
TRUSTED_HOSTS = None

# Biggest request body in bytes (photo uploads stay under it; larger requests get 413).
MAX_CONTENT_LENGTH = 20 * 1024 * 1024
MAX_FORM_MEMORY_SIZE = 2 * 1024 * 1024

# Photo and logo uploads (marketplace/core/images.py): limits checked before decoding, the folder
# inside the instance folder they are stored in (served at /media/), and the WebP variant widths.
UPLOAD_MAX_BYTES = 15 * 1024 * 1024
UPLOAD_MAX_PIXELS = 40_000_000
UPLOAD_FOLDER = "uploads"
IMAGE_WIDTHS = (320, 480, 640, 1280)

# Static files (core/assets.py): read once at start, CSS and JS minified, served under content-hashed
# names with a year's immutable cache and compressed once (brotli, gzip). ASSETS_RELOAD re-reads
# static/ when a file changes (None: only when debugging); ASSETS_MINIFY off serves the sources as written.
ASSETS_MINIFY = True
ASSETS_RELOAD = None

# Compression of pages and JSON per response (Flask-Compress): brotli when the browser takes it, else
# gzip; responses that already carry a Content-Encoding (the page cache's, static files) are left as
# they are. Switch it off (MARKETPLACE_COMPRESS_REGISTER=false) when a reverse proxy compresses instead.
# Brotli 5: about 0.1-0.2 ms more CPU than gzip 6 on a 20 KB page, and 8-10 % smaller (bench/assets.py, README).
COMPRESS_REGISTER = True
COMPRESS_ALGORITHM = ["br", "gzip"]
COMPRESS_ALGORITHM_STREAMING = ["br"]
COMPRESS_BR_LEVEL = 5
COMPRESS_LEVEL = 6
COMPRESS_MIN_SIZE = 500
COMPRESS_MIMETYPES = [
    "text/html",
    "text/css",
    "text/javascript",
    "text/plain",
    "text/csv",
    "text/calendar",
    "application/json",
    "application/manifest+json",
    "application/xml",
    "image/svg+xml",
]

# Search: the Whoosh index folder inside the instance folder (a symlink to the current index
# directory), whether a request that changed searchable rows syncs the index after its response,
# and whether searches are logged (anonymously) for the producers' "what buyers look for".
SEARCH_INDEX_FOLDER = "search-index"
SEARCH_SYNC_AFTER_REQUEST = True
SEARCH_LOG_ENABLED = True
# Seconds between the outbox worker's search-index turns (rebuild when lost, apply pending changes).
SEARCH_WORKER_SYNC_SECONDS = 5
# Memory each rebuild process may use to sort postings before spilling to disk (about 1 GB holds 100k products).
SEARCH_REBUILD_MEMORY_MB = 1024

# The page cache (core/pagecache.py): public pages kept whole for visitors with no session, keyed by
# a content version that every public write bumps in its own transaction. A memory cache in each
# worker by default; with CACHE_REDIS_URL (e.g. "redis://127.0.0.1:6379/1") all workers share one.
PAGE_CACHE_ENABLED = True
CACHE_REDIS_URL = None
CACHE_TYPE = None
CACHE_DEFAULT_TIMEOUT = 600
CACHE_THRESHOLD = 500
CACHE_KEY_PREFIX = "rooyesh:"

# Sessions and "remember me".
PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 14
REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 60
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
REMEMBER_COOKIE_SAMESITE = "Lax"
REMEMBER_COOKIE_HTTPONLY = True

# CSRF tokens live as long as the session; a stale one gets the "reload the page" page.
WTF_CSRF_TIME_LIMIT = None

# Languages. Persian is the default; English is the second, complete locale.
BABEL_DEFAULT_LOCALE = "fa"
BABEL_DEFAULT_TIMEZONE = "Asia/Tehran"
LOCALES = ("fa", "en")
LOCALE_COOKIE = "locale"

# Rate limits (Flask-Limiter). memory:// is per process: set a redis:// URL for several workers.
RATELIMIT_STORAGE_URI = "memory://"
RATELIMIT_ENABLED = True
RATELIMIT_HEADERS_ENABLED = True
RATELIMIT_LOGIN_IP = "30 per 10 minutes"
# Failed logins only (accounts/throttle.py): per phone and address, and per phone from anywhere in
# slowly escalating windows; the second does not apply on a browser where the phone logged in before.
RATELIMIT_LOGIN_PHONE_IP = "10 per 10 minutes"
RATELIMIT_LOGIN_PHONE = "10 per 10 minutes;30 per hour;100 per day"
RATELIMIT_SIGNUP_IP = "10 per hour"
RATELIMIT_SIGNUP_PHONE = "5 per hour"
RATELIMIT_RESET_IP = "10 per hour"
RATELIMIT_RESET_PHONE = "5 per hour"
# Searching is free for anyone: per IP, /search and /api/v1/search share one count; autocomplete asks
# as she types, so it has its own, larger one. Generous, since many buyers can share a carrier's address.
RATELIMIT_SEARCH = "120 per minute"
RATELIMIT_AUTOCOMPLETE = "600 per minute"
# The JSON API's other endpoints (products, shops, categories, fairs, the OpenAPI document) share
# one count per address.
RATELIMIT_API = "120 per minute"

# Passwords. Werkzeug's hash method (tests use a faster pbkdf2 setting).
PASSWORD_HASH_METHOD = "scrypt"
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128

# One-time password-reset codes.
RESET_CODE_TTL_MINUTES = 15
RESET_CODE_MAX_ATTEMPTS = 5

# Assisted mode: a staff member working as a producer ends after this many minutes without a request;
# the producer's consent code works for ASSIST_CODE_TTL_MINUTES and ASSIST_CODE_MAX_ATTEMPTS tries.
ASSIST_IDLE_MINUTES = 30
ASSIST_CODE_TTL_MINUTES = 10
ASSIST_CODE_MAX_ATTEMPTS = 5

# Notifier backend: "log" writes each message to the log and to instance/outbox.log;
# "kavenegar" sends through Kavenegar's HTTP API with the API key and sender line below.
NOTIFIER = "log"
KAVENEGAR_API_KEY = ""
KAVENEGAR_SENDER = ""
KAVENEGAR_URL = "https://api.kavenegar.com/v1"
KAVENEGAR_TIMEOUT_SECONDS = 10.0

# The outbox worker (`flask outbox work`): rows claimed per batch, how long a claim lasts before
# another worker may take the rows over, the idle poll, retries (base·2^n seconds, capped) and
# the attempts before a row is parked as failed; /healthz is degraded once the oldest due row
# has waited longer than OUTBOX_HEALTH_MAX_AGE_SECONDS; done rows are kept this many days.
OUTBOX_BATCH_SIZE = 50
OUTBOX_LEASE_SECONDS = 120
OUTBOX_POLL_SECONDS = 1.0
OUTBOX_RETRY_BASE_SECONDS = 10
OUTBOX_RETRY_MAX_SECONDS = 3600
OUTBOX_MAX_ATTEMPTS = 8
OUTBOX_HEALTH_MAX_AGE_SECONDS = 300
OUTBOX_KEEP_DONE_DAYS = 14

# Logging level of the app's own logger.
LOG_LEVEL = "INFO"

# Payments (DESIGN §6). Offline payments are always on. Card payments go through Stripe Checkout
# when both secrets are set; Stripe has no rial, so cards are charged in STRIPE_CURRENCY at the
# exchange rate staff set (/staff/payments); STRIPE_CURRENCY is a default that administrators change
# at /staff/settings (core/settings.py, read with platform_setting()). STRIPE_API_BASE points the
# client elsewhere (tests run a local fake Stripe). An unpaid card checkout gives its stock back
# after PAYMENT_EXPIRY_MINUTES.
STRIPE_SECRET_KEY = None
STRIPE_WEBHOOK_SECRET = None
STRIPE_API_BASE = None
STRIPE_CURRENCY = "eur"
STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300
PAYMENT_EXPIRY_MINUTES = 30

# Orders. The centre's commission on each order (percent of the items, 0 by default), the default
# delivery settings of a shop that has not set its own (fees in rial; None turns a method off), how
# many of one item a cart line may hold at most (made-to-order items have no stock to cap them).
# The commission and the two fees are defaults: administrators change them at /staff/settings
# (core/settings.py); code reads them with platform_setting(), never from the config directly.
PLATFORM_COMMISSION_PERCENT = 0
DEFAULT_POST_FEE_RIAL = 700_000
DEFAULT_COURIER_FEE_RIAL = None
MAX_LINE_QUANTITY = 20
# The staff console (/staff) lists an order as stuck once it has waited longer than this many days in
# one state (not accepted, not sent, not delivered).
STUCK_ORDER_DAYS = 3
