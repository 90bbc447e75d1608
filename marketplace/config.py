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

# Biggest request body in bytes (photo uploads stay under it; larger requests get 413).
MAX_CONTENT_LENGTH = 20 * 1024 * 1024
MAX_FORM_MEMORY_SIZE = 2 * 1024 * 1024

# Photo and logo uploads (marketplace/core/images.py): limits checked before decoding, the folder
# inside the instance folder they are stored in (served at /media/), and the WebP variant widths.
UPLOAD_MAX_BYTES = 15 * 1024 * 1024
UPLOAD_MAX_PIXELS = 40_000_000
UPLOAD_FOLDER = "uploads"
IMAGE_WIDTHS = (320, 640, 1280)

# Search: the Whoosh index folder inside the instance folder (a symlink to the current index
# directory), whether a request that changed searchable rows syncs the index after its response,
# and whether searches are logged (anonymously) for the producers' "what buyers look for".
SEARCH_INDEX_FOLDER = "search-index"
SEARCH_SYNC_AFTER_REQUEST = True
SEARCH_LOG_ENABLED = True
# Memory each rebuild process may use to sort postings before spilling to disk (about 1 GB holds 100k products).
SEARCH_REBUILD_MEMORY_MB = 1024

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
RATELIMIT_LOGIN_PHONE = "10 per 10 minutes"
RATELIMIT_SIGNUP_IP = "10 per hour"
RATELIMIT_SIGNUP_PHONE = "5 per hour"
RATELIMIT_RESET_IP = "10 per hour"
RATELIMIT_RESET_PHONE = "5 per hour"
# Searching is free for anyone: per IP, /search and /api/v1/search share one count; autocomplete asks
# as she types, so it has its own, larger one. Generous, since many buyers can share a carrier's address.
RATELIMIT_SEARCH = "120 per minute"
RATELIMIT_AUTOCOMPLETE = "600 per minute"

# Passwords. Werkzeug's hash method (tests use a faster pbkdf2 setting).
PASSWORD_HASH_METHOD = "scrypt"
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128

# One-time password-reset codes.
RESET_CODE_TTL_MINUTES = 15
RESET_CODE_MAX_ATTEMPTS = 5

# Notifier backend: "log" writes each message to the log and to instance/outbox.log.
NOTIFIER = "log"

# Logging level of the app's own logger.
LOG_LEVEL = "INFO"
