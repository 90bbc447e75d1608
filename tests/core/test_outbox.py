"""The outbox on the test database: rows live and die with their transaction, the worker carries
them out after commit, failures are retried with back-off and parked, leases expire, and staff see
and retry what failed. The SMS backends are tested here too (Kavenegar against a local fake)."""

import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from sqlalchemy import func, select

from marketplace.accounts import services as accounts
from marketplace.accounts.models import PasswordReset
from marketplace.core import notify, outbox
from marketplace.core.dates import utcnow
from marketplace.extensions import db
from tests.conftest import post_form, sent_sms

# A handler for these tests: fails while `failures_left` says so, and records what it carried out.
flaky_state = {"failures_left": 0, "permanent": False, "carried_out": []}


@outbox.handler("test.flaky")
def _flaky(message):
    if flaky_state["failures_left"] > 0:
        flaky_state["failures_left"] -= 1
        if flaky_state["permanent"]:
            raise outbox.PermanentError("the message itself is wrong")
        raise RuntimeError("the other side is down")
    flaky_state["carried_out"].append(message.id)


@pytest.fixture(autouse=True)
def _reset_flaky():
    flaky_state.update(failures_left=0, permanent=False, carried_out=[])


def count_rows() -> int:
    return db.session.scalar(select(func.count(outbox.OutboxMessage.id)))


def test_rolled_back_change_leaves_no_row_and_committed_change_leaves_one(app, make_user):
    user = make_user(phone="+989121110001")
    with app.app_context():
        accounts.start_password_reset(user.phone)
        db.session.rollback()  # e.g. a later step of the same request refused
        assert count_rows() == 0
        assert db.session.scalar(select(func.count(PasswordReset.id))) == 0

        accounts.start_password_reset(user.phone)
        db.session.commit()
        [message] = db.session.scalars(select(outbox.OutboxMessage)).all()
        assert message.kind == "sms" and message.payload["to"] == user.phone
        assert message.done_at is None and message.attempts == 0
    assert sent_sms(app) == []  # committing sends nothing: the worker does


def test_reset_code_is_written_in_the_users_language(app, make_user):
    user = make_user(phone="+989121110002", locale="en")
    with app.app_context():
        _, code = accounts.start_password_reset(user.phone)
        db.session.commit()
        outbox.drain(app)
    [sms] = sent_sms(app)
    assert sms["text"].startswith("Rooyesh Market code: " + code)


def test_drain_delivers_once_and_records_done(app):
    with app.app_context():
        message = notify.queue_sms("+989121110003", "سلام")
        db.session.commit()
        assert outbox.drain(app) == {"done": 1, "retry": 0, "failed": 0, "lost": 0}
        assert outbox.drain(app)["done"] == 0  # nothing left
        db.session.refresh(message)
        assert message.done_at is not None and message.claim_token is None and message.attempts == 1
    [sms] = sent_sms(app)
    assert sms == {**sms, "id": message.id, "to": "+989121110003", "text": "سلام"}


def test_log_backend_drops_a_repeated_id_even_from_another_process(app, tmp_path):
    path = str(tmp_path / "outbox.log")
    first, second = notify.LogNotifier(path), notify.LogNotifier(path)  # two worker processes
    first.send_sms("+989121110004", "یک", message_id=7)
    second.send_sms("+989121110004", "یک", message_id=7)  # the row came back after a crash
    first.send_sms("+989121110004", "یک", message_id=7)
    second.send_sms("+989121110004", "دو", message_id=8)
    with open(path, encoding="utf-8") as sms_log:
        assert [json.loads(line)["id"] for line in sms_log] == [7, 8]


def test_failure_is_retried_with_growing_delay_then_done(app):
    app.config.update(OUTBOX_RETRY_BASE_SECONDS=10, OUTBOX_RETRY_MAX_SECONDS=3600)
    flaky_state["failures_left"] = 2
    with app.app_context():
        message = outbox.enqueue("test.flaky", {})
        db.session.commit()
        start = utcnow()
        assert outbox.drain(app, now=start)["retry"] == 1
        db.session.refresh(message)
        first_wait = (message.available_at.replace(tzinfo=start.tzinfo) - start).total_seconds()
        assert 8 <= first_wait <= 12 and "the other side is down" in message.last_error
        assert outbox.drain(app, now=start)["retry"] == 0  # not due again yet

        later = start + timedelta(seconds=13)
        assert outbox.drain(app, now=later)["retry"] == 1
        db.session.refresh(message)
        second_wait = (message.available_at.replace(tzinfo=start.tzinfo) - later).total_seconds()
        assert 16 <= second_wait <= 24  # doubled

        assert outbox.drain(app, now=later + timedelta(seconds=25))["done"] == 1
        db.session.refresh(message)
        assert message.done_at is not None and message.attempts == 3
    assert flaky_state["carried_out"] == [message.id]


def test_retries_run_out_and_the_row_is_parked_as_failed(app):
    app.config.update(OUTBOX_MAX_ATTEMPTS=3)
    flaky_state["failures_left"] = 99
    with app.app_context():
        message = outbox.enqueue("test.flaky", {})
        db.session.commit()
        moment = utcnow()
        outcomes = [outbox.drain(app, now=moment + timedelta(hours=n)) for n in range(4)]
        assert [o["retry"] for o in outcomes] == [1, 1, 0, 0]
        assert [o["failed"] for o in outcomes] == [0, 0, 1, 0]
        db.session.refresh(message)
        assert message.failed_at is not None and message.done_at is None
        assert outbox.status()["failed"] == 1 and outbox.status()["waiting"] == 0
    app.config.update(OUTBOX_MAX_ATTEMPTS=8)


def test_permanent_error_and_unknown_kind_fail_at_once(app):
    flaky_state.update(failures_left=1, permanent=True)
    with app.app_context():
        refused = outbox.enqueue("test.flaky", {})
        orphan = outbox.OutboxMessage(kind="no.such.kind", payload={})
        db.session.add(orphan)
        db.session.commit()
        assert outbox.drain(app)["failed"] == 2
        db.session.refresh(orphan)
        assert "no handler" in orphan.last_error and orphan.attempts == 1
        db.session.refresh(refused)
        assert "the message itself is wrong" in refused.last_error
    with pytest.raises(ValueError):
        outbox.enqueue("no.such.kind", {})


def test_dedupe_key_keeps_one_row(app):
    with app.app_context():
        first = outbox.enqueue("test.flaky", {"n": 1}, dedupe_key="order-7-paid")
        again = outbox.enqueue("test.flaky", {"n": 2}, dedupe_key="order-7-paid")
        db.session.commit()
        assert again.id == first.id and count_rows() == 1


def test_a_lease_that_ran_out_passes_to_another_worker(app):
    with app.app_context():
        message = outbox.enqueue("test.flaky", {})
        db.session.commit()
        start = utcnow()
        crashed = outbox.claim(batch=10, lease_seconds=60, now=start)  # this worker then dies
        assert crashed.ids == [message.id]
        assert outbox.claim(batch=10, lease_seconds=60, now=start + timedelta(seconds=30)).ids == []
        takeover = outbox.claim(batch=10, lease_seconds=60, now=start + timedelta(seconds=61))
        assert takeover.ids == [message.id]
        # the first worker wakes up: its lease is gone, so it records nothing
        assert outbox.carry_out(crashed.messages[0], crashed.token, app.config) == "lost"
        assert outbox.carry_out(takeover.messages[0], takeover.token, app.config) == "done"
        db.session.refresh(message)
        assert message.attempts == 2 and message.done_at is not None


def test_healthz_reports_the_queue_and_degrades_when_rows_wait_too_long(app, client):
    with app.app_context():
        message = outbox.enqueue("test.flaky", {})
        db.session.commit()
        message_id = message.id
    body = client.get("/healthz").get_json()
    assert body["checks"]["outbox"]["waiting"] == 1 and body["checks"]["outbox"]["ok"] is True
    with app.app_context():
        message = db.session.get(outbox.OutboxMessage, message_id)
        message.available_at = utcnow() - timedelta(seconds=app.config["OUTBOX_HEALTH_MAX_AGE_SECONDS"] + 60)
        db.session.commit()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["outbox"]["ok"] is False


def test_prune_removes_old_done_rows_only(app):
    with app.app_context():
        old, recent, failed = (outbox.enqueue("test.flaky", {}) for _ in range(3))
        old.done_at = utcnow() - timedelta(days=20)
        recent.done_at = utcnow() - timedelta(days=1)
        failed.failed_at = utcnow() - timedelta(days=60)
        db.session.commit()
        assert outbox.prune(keep_days=14) == 1
        assert {m.id for m in db.session.scalars(select(outbox.OutboxMessage))} == {recent.id, failed.id}


def test_staff_see_failed_rows_and_send_one_again(app, client, make_user, login):
    with app.app_context():
        message = notify.queue_sms("+989121110005", "کد ۱۲۳۴۵۶")
        message.failed_at, message.attempts, message.last_error = utcnow(), 8, "RuntimeError: Kavenegar down"
        db.session.commit()
        message_id = message.id
    producer = make_user(roles={"producer"})
    login(producer)
    assert client.get("/staff/outbox").status_code == 403
    assert post_form(client, f"/staff/outbox/{message_id}/retry", {}, token_from="/account").status_code == 403

    staff = app.test_client()
    login(make_user(roles={"staff"}), the_client=staff)
    html = staff.get("/staff/outbox").get_data(as_text=True)
    assert "Kavenegar down" in html and "۰۹۱۲" in html
    assert "۱۲۳۴۵۶" not in html  # the text may hold a reset code: staff see the error, not the text
    response = post_form(staff, f"/staff/outbox/{message_id}/retry", {}, token_from="/staff/outbox")
    assert response.status_code == 302
    with app.app_context():
        retried = db.session.get(outbox.OutboxMessage, message_id)
        assert retried.failed_at is None and retried.attempts == 0
        assert outbox.drain(app)["done"] == 1
    assert [line["id"] for line in sent_sms(app)] == [message_id]


# ---------------------------------------------------------------- Kavenegar, against a local fake


class FakeKavenegar(BaseHTTPRequestHandler):
    """Answers like Kavenegar's sms/send.json. `script` lists what to do with the next requests
    ("ok", "5xx", "418", "411", "slow"); a localid seen before is answered without sending again."""

    script: list[str] = []
    requests: list[dict] = []
    sent: dict[str, str] = {}

    def do_POST(self):  # noqa: N802  (http.server's name)
        fields = {k: v[0] for k, v in parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode()).items()}
        type(self).requests.append({"path": self.path, **fields})
        action = type(self).script.pop(0) if type(self).script else "ok"
        if action == "slow":
            time.sleep(1.0)
            action = "ok"
        if action == "5xx":
            return self._answer(502, {"return": {"status": 502, "message": "bad gateway"}})
        if action in ("418", "411"):
            return self._answer(int(action), {"return": {"status": int(action), "message": "رد شد"}})
        type(self).sent.setdefault(fields["localid"], fields["message"])  # Kavenegar's localid rule
        return self._answer(200, {"return": {"status": 200, "message": "تایید شد"}, "entries": [{"messageid": 1}]})

    def _answer(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def kavenegar(app):
    # state of its own per test: a slow answer of the previous test may still be running
    fake = type("Fake", (FakeKavenegar,), {"script": [], "requests": [], "sent": {}})
    server = ThreadingHTTPServer(("127.0.0.1", 0), fake)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config.update(
        NOTIFIER="kavenegar",
        KAVENEGAR_API_KEY="test-key",
        KAVENEGAR_SENDER="10004346",
        KAVENEGAR_URL=f"http://127.0.0.1:{server.server_port}/v1",
        KAVENEGAR_TIMEOUT_SECONDS=0.3,
    )
    app.extensions["notifier"] = notify.notifier_for(app)
    yield fake
    server.shutdown()
    app.config.update(NOTIFIER="log")
    app.extensions["notifier"] = notify.notifier_for(app)


def test_kavenegar_sends_with_key_sender_and_row_id(app, kavenegar):
    with app.app_context():
        message = notify.queue_sms("+989121110006", "کد: ۱۲۳")
        db.session.commit()
        assert outbox.drain(app)["done"] == 1
        message_id = message.id
    [request] = kavenegar.requests
    assert request == {
        "path": "/v1/test-key/sms/send.json",
        "receptor": "09121110006",
        "message": "کد: ۱۲۳",
        "localid": str(message_id),
        "sender": "10004346",
    }


def test_kavenegar_failures_are_retried_never_lost_never_doubled(app, kavenegar):
    kavenegar.script = ["5xx", "418", "slow", "ok"]  # down, out of credit, too slow, then fine
    with app.app_context():
        message = notify.queue_sms("+989121110007", "سفارش شما رسید")
        db.session.commit()
        moment = utcnow()
        for hour in range(4):
            outbox.drain(app, now=moment + timedelta(hours=hour))
        db.session.refresh(message)
        assert message.done_at is not None and message.attempts == 4
        localid = str(message.id)
    assert len(kavenegar.requests) == 4 and set(kavenegar.sent) == {localid}
    # the timed-out request did reach Kavenegar and was sent; the retry carried the same localid,
    # so the person got the message once
    assert [r["localid"] for r in kavenegar.requests] == [localid] * 4


def test_kavenegar_refusing_the_message_itself_fails_at_once(app, kavenegar):
    kavenegar.script = ["411"]  # invalid receptor: trying again cannot help
    with app.app_context():
        message = notify.queue_sms("+989121110008", "سلام")
        db.session.commit()
        assert outbox.drain(app)["failed"] == 1
        db.session.refresh(message)
        assert "411" in message.last_error and message.attempts == 1
    assert kavenegar.sent == {}


def test_kavenegar_needs_a_key(app):
    app.config.update(NOTIFIER="kavenegar", KAVENEGAR_API_KEY="")
    try:
        with pytest.raises(ValueError, match="KAVENEGAR_API_KEY"):
            notify.notifier_for(app)
    finally:
        app.config.update(NOTIFIER="log")


@outbox.handler("test.writer")
def _writer(message):
    db.session.add(outbox.OutboxMessage(kind="test.flaky", payload={}))  # not allowed: handlers act outside


def test_a_handler_that_writes_rows_is_refused_and_its_rows_dropped(app):
    with app.app_context():
        message = outbox.enqueue("test.writer", {})
        db.session.commit()
        assert outbox.drain(app)["failed"] == 1
        assert count_rows() == 1
        db.session.refresh(message)
        assert "changed rows" in message.last_error


def test_rows_left_when_half_the_lease_has_gone_are_given_back(app):
    app.config.update(OUTBOX_LEASE_SECONDS=0.2)
    try:
        with app.app_context():
            slow = outbox.enqueue("test.slow", {})
            waiting = outbox.enqueue("test.flaky", {})
            db.session.commit()
            assert outbox.run_once(app)["done"] == 1  # the slow one took the whole lease
            db.session.refresh(waiting)
            assert waiting.claim_token is None and waiting.attempts == 0 and waiting.done_at is None
            db.session.refresh(slow)
            assert slow.done_at is not None
    finally:
        app.config.update(OUTBOX_LEASE_SECONDS=120)


@outbox.handler("test.slow")
def _slow(message):
    time.sleep(0.15)


# A scheduled task writes the database: its rows and "done" commit together, or neither does.
task_state = {"fail": False}


@outbox.task("test.task")
def _task(message):
    db.session.add(outbox.OutboxMessage(kind="test.flaky", payload={"made_by": message.id}))
    if task_state["fail"]:
        raise RuntimeError("half-way")


def test_a_task_is_not_run_before_its_time_and_commits_its_rows_with_done(app):
    task_state["fail"] = False
    with app.app_context():
        later = utcnow() + timedelta(hours=48)
        message = outbox.enqueue("test.task", {}, available_at=later)
        db.session.commit()
        assert outbox.drain(app)["done"] == 0
        assert outbox.drain(app, now=later + timedelta(seconds=1))["done"] >= 1
        db.session.refresh(message)
        assert message.done_at is not None
        made = db.session.scalars(select(outbox.OutboxMessage).where(outbox.OutboxMessage.kind == "test.flaky")).all()
        assert [row.payload["made_by"] for row in made] == [message.id]


def test_a_failed_task_leaves_none_of_its_rows_and_is_retried(app):
    task_state["fail"] = True
    with app.app_context():
        message = outbox.enqueue("test.task", {})
        db.session.commit()
        assert outbox.run_once(app)["retry"] == 1
        db.session.refresh(message)
        assert message.done_at is None and "half-way" in message.last_error
        assert count_rows() == 1  # only the task's own row: what it added was rolled back
        task_state["fail"] = False
        assert outbox.drain(app, now=utcnow() + timedelta(hours=1))["done"] == 2  # the task, then its row
