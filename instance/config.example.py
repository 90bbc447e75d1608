# Copy to instance/config.py (git-ignored) and edit. Settings here override the defaults in
# marketplace/config.py; environment variables (DATABASE_URL, SECRET_KEY, MARKETPLACE_<NAME>)
# override this file. Every setting is described in the README's configuration reference.

# PostgreSQL in production (SQLite in instance/marketplace.db when unset):
# SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://rooyesh:secret@127.0.0.1:5432/rooyesh"

# Leave unset to use instance/secret_key, generated on first start. Never commit a key.
# SECRET_KEY = "…"

# Behind nginx with TLS: Secure/__Host- cookies, HSTS, and trust one proxy's X-Forwarded-* headers.
# HTTPS = True
# PROXY_COUNT = 1

# The site's public address: every absolute link (canonical, OpenGraph, JSON-LD, the share link, QR
# codes in the brand kit, the API) is built from it, never from the request's Host header.
# PUBLIC_URL = "https://rooyesh.example"
# Answer only requests for these hosts (others get 400); Flask's own setting.
# TRUSTED_HOSTS = ["rooyesh.example"]

# Several gunicorn workers or machines must share rate-limit counts:
# RATELIMIT_STORAGE_URI = "redis://127.0.0.1:6379/0"

# Limits on login, sign-up and password reset (Flask-Limiter syntax).
# RATELIMIT_LOGIN_IP = "30 per 10 minutes"
# Failed logins only: per phone and address, and per phone from browsers it never logged in on.
# RATELIMIT_LOGIN_PHONE_IP = "10 per 10 minutes"
# RATELIMIT_LOGIN_PHONE = "10 per 10 minutes;30 per hour;100 per day"

# Searches per address (/search and /api/v1/search together), and autocomplete requests per address.
# RATELIMIT_SEARCH = "120 per minute"
# RATELIMIT_AUTOCOMPLETE = "600 per minute"

# How long a password-reset code works, and how many wrong tries it allows.
# RESET_CODE_TTL_MINUTES = 15
# RESET_CODE_MAX_ATTEMPTS = 5

# Text messages: "log" (default) writes them to instance/outbox.log; Kavenegar sends real SMS.
# NOTIFIER = "kavenegar"
# KAVENEGAR_API_KEY = "…"
# KAVENEGAR_SENDER = "10004346"

# The outbox worker (`flask outbox work`, started by `make run`): retries and health threshold.
# OUTBOX_MAX_ATTEMPTS = 8
# OUTBOX_HEALTH_MAX_AGE_SECONDS = 300

# LOG_LEVEL = "INFO"
