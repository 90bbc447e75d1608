"""Flask's own ceiling for bench/pages.py: hello-world, served by the same gunicorn settings.

gunicorn --chdir bench hello:app
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """The smallest page Flask can answer."""
    return "Hello, World!"
