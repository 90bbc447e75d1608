"""Messages to people (SMS today), always through the outbox.

`queue_sms()` adds an outbox row in the caller's transaction; the worker's "sms" handler hands it
to the backend named by NOTIFIER, with the row id so a repeat (after a worker died between sending
and recording) is not sent twice:
- `log`: the log and one JSON line per message in `instance/outbox.log`; a repeated id is skipped.
- `kavenegar`: the Kavenegar HTTP API, with the row id as its `localid`; Kavenegar answers a
  repeated localid with the first send instead of sending again.
"""

import fcntl
import json
import logging
import os
import urllib.error
import urllib.parse
import urllib.request

from flask import Flask, current_app

from . import outbox
from .dates import utcnow

log = logging.getLogger("marketplace.notify")

SMS = "sms"


class Notifier:
    """Interface: deliver a short text message to a phone number in E.164 form."""

    def send_sms(self, phone: str, text: str, message_id: int) -> None:
        """Deliver `text` to `phone`. `message_id` (the outbox row) is the same on every try of one
        message: use it to drop repeats. Raise to have the outbox retry later, or
        `outbox.PermanentError` when trying again cannot help."""
        raise NotImplementedError


class LogNotifier(Notifier):
    """Default backend for development and the centre's first days: each message goes to the
    log and is appended as one JSON line to `outbox.log` in the instance folder."""

    def __init__(self, path: str):
        self.path = path
        self._read_up_to = 0  # bytes of the file already scanned for ids
        self._sent_ids: set[int] = set()

    def send_sms(self, phone: str, text: str, message_id: int) -> None:
        """Append the message unless a line for `message_id` is already in the file (any process)."""
        with open(self.path, "a+", encoding="utf-8") as file:
            fcntl.flock(file, fcntl.LOCK_EX)  # one writer at a time across worker processes
            self._scan_new_lines(file)
            if message_id in self._sent_ids:
                log.info("SMS %s was already written; not writing it again", message_id)
                return
            line = {"id": message_id, "at": utcnow().isoformat(), "to": phone, "text": text}
            file.write(json.dumps(line, ensure_ascii=False) + "\n")
            file.flush()  # in the kernel before "done" commits: a killed worker cannot lose it
            self._read_up_to = file.tell()
            self._sent_ids.add(message_id)
        log.info("SMS %s to %s: %s", message_id, phone, text)

    def _scan_new_lines(self, file) -> None:
        """Learn the ids written since the last scan (by this or another process)."""
        file.seek(0, os.SEEK_END)
        if file.tell() < self._read_up_to:  # the file was rotated or truncated
            self._read_up_to, self._sent_ids = 0, set()
        file.seek(self._read_up_to)
        for line in file:
            try:
                self._sent_ids.add(int(json.loads(line)["id"]))
            except (ValueError, KeyError, TypeError):
                continue  # a line from before ids were written, or a torn last line
        self._read_up_to = file.tell()


class KavenegarNotifier(Notifier):
    """Kavenegar's REST API (`POST {base}/{api_key}/sms/send.json`), standard library only, with a
    timeout. Network errors, timeouts, 5xx and most 4xx answers are retried by the outbox; the
    answers that say the message itself is wrong park it as failed at once."""

    # Kavenegar's statuses for a bad receptor, sender, text, size or characters: no retry helps.
    PERMANENT_STATUSES = frozenset({411, 412, 413, 414, 422})

    def __init__(self, api_key: str, sender: str, base_url: str, timeout: float):
        if not api_key:
            raise ValueError("NOTIFIER = 'kavenegar' needs KAVENEGAR_API_KEY")
        self.url = f"{base_url.rstrip('/')}/{urllib.parse.quote(api_key, safe='')}/sms/send.json"
        self.sender = sender
        self.timeout = timeout

    def send_sms(self, phone: str, text: str, message_id: int) -> None:
        """Send one message; the outbox row id is Kavenegar's `localid`, so a repeat is not sent again."""
        fields = {"receptor": _national(phone), "message": text, "localid": str(message_id)}
        if self.sender:
            fields["sender"] = self.sender
        request = urllib.request.Request(  # noqa: S310  (https URL from settings, not user input)
            self.url,
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read()
        except urllib.error.HTTPError as error:
            status, message = _kavenegar_return(error.read(), error.code)
            problem = f"Kavenegar answered HTTP {error.code} (status {status}): {message}"
            if status in self.PERMANENT_STATUSES:
                raise outbox.PermanentError(problem) from None
            raise RuntimeError(problem) from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise RuntimeError(f"Kavenegar could not be reached: {error}") from None
        status, message = _kavenegar_return(body, 200)
        if status != 200:
            raise RuntimeError(f"Kavenegar refused the message (status {status}): {message}")


def _national(phone: str) -> str:
    """+989121234567 → 09121234567, the form Kavenegar documents for Iranian receptors."""
    return "0" + phone[3:] if phone.startswith("+98") else phone


def _kavenegar_return(body: bytes, http_status: int) -> tuple[int, str]:
    """The `return.status` and `return.message` of a Kavenegar answer (the HTTP status when absent)."""
    try:
        answer = json.loads(body.decode("utf-8"))["return"]
        return int(answer["status"]), str(answer.get("message", ""))
    except (ValueError, KeyError, TypeError):
        return http_status, body[:200].decode("utf-8", "replace")


def notifier_for(app: Flask) -> Notifier:
    """Build the backend named by the NOTIFIER setting."""
    backend = app.config["NOTIFIER"]
    if backend == "log":
        return LogNotifier(os.path.join(app.instance_path, "outbox.log"))
    if backend == "kavenegar":
        return KavenegarNotifier(
            api_key=app.config["KAVENEGAR_API_KEY"],
            sender=app.config["KAVENEGAR_SENDER"],
            base_url=app.config["KAVENEGAR_URL"],
            timeout=app.config["KAVENEGAR_TIMEOUT_SECONDS"],
        )
    raise ValueError(f"Unknown NOTIFIER backend: {backend!r}")


def queue_sms(phone: str | None, text: str) -> outbox.OutboxMessage:
    """Send `text` to `phone` once the caller's transaction commits (nothing if it rolls back).
    With no phone the row is written but never sent: a caller that must do the same work whether
    or not a number has an account (password reset) writes it for the unknown number."""
    return outbox.enqueue(SMS, {"to": phone, "text": str(text)})


@outbox.handler(SMS)
def _deliver_sms(message: outbox.OutboxMessage) -> None:
    if message.payload["to"] is None:
        return  # written only so that both answers did the same work; there is nobody to text
    current_app.extensions["notifier"].send_sms(message.payload["to"], message.payload["text"], message.id)
