"""Messages to people (SMS today). Backends share one interface; an SMS gateway is a later backend.

Callers send after their transaction commits, so a rolled-back change never texts anyone.
"""

import json
import logging
import os
import threading

from flask import Flask, current_app

from .dates import utcnow

log = logging.getLogger("marketplace.notify")


class Notifier:
    """Interface: deliver a short text message to a phone number in E.164 form."""

    def send_sms(self, phone: str, text: str) -> None:
        """Deliver `text` to `phone`; raise on failure so the caller can report it."""
        raise NotImplementedError


class LogNotifier(Notifier):
    """Default backend for development and the centre's first days: each message goes to the
    log and is appended as one JSON line to `outbox.log` in the instance folder."""

    _lock = threading.Lock()

    def __init__(self, outbox_path: str):
        self.outbox_path = outbox_path

    def send_sms(self, phone: str, text: str) -> None:
        """Write the message to the log and the outbox file."""
        log.info("SMS to %s: %s", phone, text)
        line = json.dumps({"at": utcnow().isoformat(), "to": phone, "text": text}, ensure_ascii=False)
        with self._lock, open(self.outbox_path, "a", encoding="utf-8") as outbox:
            outbox.write(line + "\n")


def notifier_for(app: Flask) -> Notifier:
    """Build the backend named by the NOTIFIER setting."""
    backend = app.config["NOTIFIER"]
    if backend == "log":
        return LogNotifier(os.path.join(app.instance_path, "outbox.log"))
    raise ValueError(f"Unknown NOTIFIER backend: {backend!r}")


def send_sms(phone: str, text: str) -> None:
    """Send through the current app's notifier."""
    current_app.extensions["notifier"].send_sms(phone, text)
