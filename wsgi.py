"""WSGI entry point: `gunicorn wsgi:app`, and `flask --app wsgi …` for the CLI."""

import gc

from marketplace import create_app

app = create_app()

# What the app loads at start (models, mappers, templates' machinery) lives as long as the process:
# freezing it keeps it out of the garbage collector's full passes, which otherwise pause a request
# now and then for ~100 ms (the impact dashboard's p95 in bench/dashboard.py: ~310 ms -> ~210 ms).
gc.freeze()
