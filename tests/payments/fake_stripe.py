"""A local fake Stripe for tests: a loopback HTTP server the real `stripe` client talks to (through
STRIPE_API_BASE), and webhook events signed for real with `stripe.WebhookSignature`.

It implements what Rooyesh calls: POST /v1/checkout/sessions, GET /v1/checkout/sessions/<id> and
POST /v1/refunds. Like Stripe, a repeated Idempotency-Key returns the first answer (and a key reused
with other parameters is an idempotency error). Every request is recorded with its headers. A test
moves a session on (`pay`, `complete_unpaid`, `expire`) and builds the events Stripe would send.
"""

import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import stripe

WEBHOOK_SECRET = "whsec_test_rooyesh"
API_KEY = "sk_test_rooyesh"


@dataclass
class Recorded:
    """One request the fake received."""

    method: str
    path: str
    params: dict[str, Any]
    headers: dict[str, str]

    @property
    def idempotency_key(self) -> str | None:
        return self.headers.get("idempotency-key")


def nested(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's form encoding (`line_items[0][price_data][currency]=eur`) back into dicts and lists."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node: Any = root
        for position, part in enumerate(parts):
            last = position == len(parts) - 1
            if isinstance(node, list):
                index = int(part)
                while len(node) <= index:
                    node.append({})
                if last:
                    node[index] = value
                else:
                    if not node[index]:
                        node[index] = [] if parts[position + 1].isdigit() else {}
                    node = node[index]
            else:
                if last:
                    node[part] = value
                else:
                    node = node.setdefault(part, [] if parts[position + 1].isdigit() else {})
    return root


@dataclass
class FakeStripe:
    """The fake's state; `url` is what STRIPE_API_BASE is set to."""

    url: str = ""
    sessions: dict[str, dict] = field(default_factory=dict)
    refunds: list[dict] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    # status codes to answer the next API calls with instead of doing them (a Stripe outage)
    fail_next: list[int] = field(default_factory=list)
    # called on every request (a test looks at the app's database session while Stripe is being called)
    on_request: Callable[[], None] | None = None
    _idempotent: dict[str, tuple[dict, int, dict]] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_test_{next(self._ids)}"

    # --- the API --------------------------------------------------------------------------------

    def handle(self, method: str, path: str, params: dict, headers: dict[str, str]) -> tuple[int, dict]:
        if self.on_request is not None:
            self.on_request()
        with self._lock:
            self.requests.append(Recorded(method, path, params, headers))
            if self.fail_next:
                return self.fail_next.pop(0), _error("api_error", "the fake is down")
            key = headers.get("idempotency-key")
            if method == "POST" and key and key in self._idempotent:
                first_params, status, body = self._idempotent[key]
                if first_params != params:
                    return 400, _error("idempotency_error", "Keys for idempotent requests need the same parameters")
                return status, body
            status, body = self._route(method, path, params)
            if method == "POST" and key:
                self._idempotent[key] = (params, status, body)
            return status, body

    def _route(self, method: str, path: str, params: dict) -> tuple[int, dict]:
        if method == "POST" and path == "/v1/checkout/sessions":
            return self._create_session(params)
        match = re.fullmatch(r"/v1/checkout/sessions/([\w-]+)", path)
        if method == "GET" and match:
            session = self.sessions.get(match.group(1))
            if session is None:
                return 404, _error("invalid_request_error", "No such checkout.session", code="resource_missing")
            return 200, session
        if method == "POST" and path == "/v1/refunds":
            return self._refund(params)
        return 404, _error("invalid_request_error", f"Unrecognized request URL ({method}: {path})")

    def _create_session(self, params: dict) -> tuple[int, dict]:
        items = params.get("line_items") or []
        if not items or params.get("mode") != "payment":
            return 400, _error("invalid_request_error", "line_items and mode=payment are required")
        currencies = {item["price_data"]["currency"] for item in items}
        if len(currencies) != 1:
            return 400, _error("invalid_request_error", "all line items must share a currency")
        expires_at = int(params.get("expires_at") or time.time() + 24 * 3600)
        if not time.time() + 30 * 60 <= expires_at <= time.time() + 24 * 3600:
            return 400, _error("invalid_request_error", "expires_at must be 30 minutes to 24 hours ahead")
        session_id = self.new_id("cs")
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": "payment",
            "status": "open",
            "payment_status": "unpaid",
            "payment_intent": None,
            "amount_total": sum(int(item["price_data"]["unit_amount"]) * int(item["quantity"]) for item in items),
            "currency": currencies.pop(),
            "client_reference_id": params.get("client_reference_id"),
            "metadata": params.get("metadata") or {},
            "success_url": params.get("success_url"),
            "cancel_url": params.get("cancel_url"),
            "expires_at": expires_at,
            "url": f"{self.url}/pay/{session_id}",
            "line_items_sent": items,
        }
        self.sessions[session_id] = session
        return 200, session

    def _refund(self, params: dict) -> tuple[int, dict]:
        intent = params.get("payment_intent")
        session = next((s for s in self.sessions.values() if s["payment_intent"] == intent), None)
        if session is None or session["payment_status"] != "paid":
            return 400, _error("invalid_request_error", "No such payment_intent", code="resource_missing")
        amount = int(params.get("amount") or session["amount_total"] - self.refunded(intent))
        if self.refunded(intent) >= session["amount_total"]:
            return 400, _error(
                "invalid_request_error", "Charge has already been refunded.", code="charge_already_refunded"
            )
        if amount <= 0 or self.refunded(intent) + amount > session["amount_total"]:
            return 400, _error("invalid_request_error", "Refund amount is greater than unrefunded amount")
        refund = {
            "id": self.new_id("re"),
            "object": "refund",
            "amount": amount,
            "payment_intent": intent,
            "currency": session["currency"],
            "metadata": params.get("metadata") or {},
            "status": "succeeded",
        }
        self.refunds.append(refund)
        return 200, refund

    # --- what a test does -----------------------------------------------------------------------

    def refunded(self, intent: str) -> int:
        """Minor units refunded so far on the PaymentIntent."""
        return sum(refund["amount"] for refund in self.refunds if refund["payment_intent"] == intent)

    def calls(self, method: str, path: str) -> list[Recorded]:
        """The recorded requests to `method path`."""
        return [r for r in self.requests if r.method == method and r.path == path]

    def pay(self, session_id: str) -> dict:
        """The buyer paid by card on Stripe's page: complete and paid, with a PaymentIntent."""
        session = self.sessions[session_id]
        session.update(
            status="complete", payment_status="paid", payment_intent=session["payment_intent"] or self.new_id("pi")
        )
        return session

    def complete_unpaid(self, session_id: str) -> dict:
        """The buyer chose a delayed method: the session is complete, the money not there yet."""
        session = self.sessions[session_id]
        session.update(status="complete", payment_status="unpaid", payment_intent=self.new_id("pi"))
        return session

    def settle(self, session_id: str) -> dict:
        """The delayed payment arrived."""
        session = self.sessions[session_id]
        session.update(payment_status="paid")
        return session

    def expire(self, session_id: str) -> dict:
        """The session ran out of time unpaid."""
        session = self.sessions[session_id]
        session.update(status="expired")
        return session

    def charge(self, session_id: str) -> dict:
        """The Charge of a paid session as `charge.refunded` carries it."""
        session = self.sessions[session_id]
        refunded = self.refunded(session["payment_intent"])
        return {
            "id": "ch_" + session["payment_intent"],
            "object": "charge",
            "amount": session["amount_total"],
            "amount_refunded": refunded,
            "refunded": refunded >= session["amount_total"],
            "currency": session["currency"],
            "payment_intent": session["payment_intent"],
            "metadata": {},
        }

    def event(self, event_type: str, obj: dict, event_id: str | None = None) -> dict:
        """A webhook event as Stripe sends it (a snapshot of `obj`)."""
        return {
            "id": event_id or self.new_id("evt"),
            "object": "event",
            "type": event_type,
            "api_version": "2025-01-01",
            "created": int(time.time()),
            "livemode": False,
            "data": {"object": json.loads(json.dumps(obj))},
        }


def signed(event: dict, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> tuple[bytes, dict]:
    """The body and headers Stripe posts for `event`, signed with `secret` at `timestamp` (now)."""
    body = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(body, secret, timestamp=timestamp)
    return body.encode(), {"Stripe-Signature": header, "Content-Type": "application/json"}


def _error(kind: str, message: str, code: str | None = None) -> dict:
    error = {"type": kind, "message": message}
    if code:
        error["code"] = code
    return {"error": error}


def serve() -> tuple[FakeStripe, ThreadingHTTPServer]:
    """Start a fake on a free loopback port; stop it with `server.shutdown()`."""
    fake = FakeStripe()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            path, _, query = self.path.partition("?")
            params = nested(parse_qsl(raw or query, keep_blank_values=True))
            headers = {name.lower(): value for name, value in self.headers.items()}
            status, body = fake.handle(method, path, params, headers)
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Request-Id", "req_fake")
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: N802 (http.server's names)
            self._answer("GET")

        def do_POST(self):  # noqa: N802
            self._answer("POST")

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return fake, server
