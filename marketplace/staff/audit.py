"""The audit log: every staff write is recorded automatically, in the same transaction as the write.

A write request (POST, PUT, PATCH, DELETE) by a staff member or administrator, or by anyone while
assisting a producer, opens an `AuditContext` in `g` (`open_audit`, a before_request hook). Two
session listeners do the rest: `before_flush` notes which rows the request inserts, updates and
deletes (table, id, changed column names: never values, so no password hash or code reaches the
log), and `before_commit` adds one `StaffAction` row describing them — flushed by that commit, so
the record and the change are committed together or not at all. A request that changed nothing
writes nothing; code outside a request (CLI, worker) is not a staff action.

`ACTION_LABELS` names the actions for people; an action without a label shows its key."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import Select, inspect, select
from sqlalchemy.orm import Session

from ..accounts.access import acting_user
from ..accounts.models import AssistSession, User
from ..core.database import listen_to_sessions
from ..core.dates import as_utc, format_jalali, tehran_midnight
from ..core.messages import lazy_gettext as _l
from ..core.persian import normalize_text, to_latin_digits
from ..core.tables import csv_bytes, csv_text
from ..extensions import db
from .models import StaffAction

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Bookkeeping rows that come with writes but are not what staff did.
UNRECORDED_TABLES = frozenset({"staff_action", "search_change", "page_version", "outbox_message"})
SUMMARY_LIMIT = 40  # rows named in one record; a bulk import says "and N more"
PAGE_SIZE = 30

# Every write endpoint of the app, named for people (tests/staff/test_audit.py keeps this complete).
ACTION_LABELS = {
    # accounts
    "accounts.account": _l("Account details changed"),
    "accounts.become_producer": _l("Became a producer"),
    "accounts.change_password": _l("Password changed"),
    "accounts.login": _l("Logged in"),
    "accounts.logout": _l("Logged out"),
    "accounts.reset_confirm": _l("Password reset"),
    "accounts.reset_request": _l("Reset code asked for"),
    "accounts.signup": _l("Signed up"),
    "accounts.switch_locale": _l("Language changed"),
    "notifications.mark_all_read": _l("Notices marked as read"),
    # her shop and products
    "wizard.step_name": _l("Shop name changed"),
    "wizard.step_story": _l("Shop story changed"),
    "wizard.step_colours": _l("Shop colours changed"),
    "wizard.step_logo": _l("Shop logo changed"),
    "wizard.step_social": _l("Shop's social links changed"),
    "wizard.step_kit": _l("Shop sent for review"),
    "shops.settings": _l("Shop settings changed"),
    "shops.payout": _l("Payout details changed"),
    "products.new": _l("Product created"),
    "products.edit": _l("Product changed"),
    "products.duplicate": _l("Product copied"),
    "products.add_photos": _l("Product photos added"),
    "products.photo_action": _l("Product photo changed"),
    "products.status_action": _l("Product sent for review, archived or restored"),
    "registration.shop_item": _l("Shop licence evidence sent"),
    "registration.product_item": _l("Product licence evidence sent"),
    # orders
    "cart.add": _l("Added to the cart"),
    "cart.update": _l("Cart changed"),
    "cart.prices_seen": _l("New cart prices seen"),
    "checkout.start": _l("Order placed"),
    "orders.cancel": _l("Order cancelled by the buyer"),
    "orders.confirm_delivery": _l("Delivery confirmed by the buyer"),
    "orders.favourite": _l("Favourite changed"),
    "orders.follow": _l("Follow changed"),
    "orders.review": _l("Review written"),
    "reviews.reply": _l("Review answered"),
    "order_messages.buyer_thread": _l("Message to the shop"),
    "order_messages.producer_thread": _l("Message to the buyer"),
    "desk.accept": _l("Order accepted"),
    "desk.cancel": _l("Order cancelled by the shop"),
    "desk.ship": _l("Order sent"),
    "desk.deliver": _l("Order marked delivered"),
    "desk.money_received": _l("Money marked received"),
    "desk.settings": _l("Delivery settings changed"),
    "payments.stripe_webhook": _l("Card payment event"),
    # her fairs
    "fairs.apply": _l("Applied to a fair"),
    "fairs.application": _l("Fair application changed"),
    "fairs.withdraw": _l("Fair application withdrawn"),
    "fairs.confirm_offer": _l("Waitlist place taken"),
    "fairs.sales": _l("Fair sales recorded"),
    # the console
    "staff.shop_detail": _l("Decision on a shop"),
    "staff.user_detail": _l("Roles changed"),
    "staff.set_active": _l("Account activated or deactivated"),
    "staff.send_reset_code": _l("Reset code sent"),
    "staff.import_products": _l("Products imported"),
    "staff.outbox_retry": _l("Message sent again"),
    "staff_products.review": _l("Decision on a product"),
    "staff_products.english": _l("Product's English title changed"),
    "registration.decide": _l("Licence evidence decided"),
    "registration.waive": _l("Licence item waived"),
    "staff_assist.send_code": _l("Consent code sent"),
    "staff_assist.confirm_code": _l("Assisting started (code)"),
    "staff_assist.paper": _l("Assisting started (paper consent)"),
    "staff_assist.end": _l("Assisting ended"),
    "staff_money.settle": _l("Shop's account settled"),
    "staff_money.payments_page": _l("Exchange rate set"),
    "staff_settings.index": _l("Platform settings changed"),
    "staff_settings.category": _l("Category renamed"),
    "staff_settings.requirement": _l("Requirement item edited"),
    "staff_settings.reset_requirement": _l("Requirement item reset"),
    "staff_fairs.new": _l("Fair created"),
    "staff_fairs.edit": _l("Fair changed"),
    "staff_fairs.clone": _l("Fair copied"),
    "staff_fairs.move": _l("Fair moved to its next state"),
    "staff_fairs.score": _l("Fair application scored"),
    "staff_fairs.decide": _l("Decision on a fair application"),
    "staff_fairs.booths_add_zone": _l("Fair zone added"),
    "staff_fairs.zone_remove": _l("Fair zone removed"),
    "staff_fairs.booth_update": _l("Booth changed"),
    "staff_fairs.booths_assign": _l("Booths assigned"),
    "staff_fairs.booth_place": _l("Producer placed in a booth"),
    "staff_fairs.booth_unplace": _l("Producer taken out of a booth"),
    "staff_fairs.checkin": _l("Fair check-in"),
    "staff_fairs.sales": _l("Fair sales recorded by staff"),
}

# Objects the console has a page for: object type → (endpoint, its id argument).
OBJECT_PAGES = {
    "shop": ("staff.shop_detail", "shop_id"),
    "user": ("staff.user_detail", "user_id"),
    "product": ("staff_products.review", "product_id"),
    "fair": ("staff_fairs.show", "fair_id"),
}


# What kinds of objects are called (the table or URL name is the key); unknown kinds show their key.
OBJECT_LABELS = {
    "shop": _l("Shop"),
    "user": _l("Account"),
    "product": _l("Product"),
    "fair": _l("Fair"),
    "order": _l("Order"),
    "application": _l("Fair application"),
    "assist_session": _l("Assisted session"),
    "registration_record": _l("Licence evidence"),
}


def object_label(kind: str) -> str:
    """The translated name of an object kind; an unknown kind is shown as it is."""
    label = OBJECT_LABELS.get(kind)
    return str(label) if label is not None else kind


def action_label(action: str) -> str:
    """The translated name of an action key; an unknown key is shown as it is."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


# ---------------------------------------------------------------- recording


@dataclass
class AuditContext:
    """What one write request by staff changed so far: {id(row): [row, op, changed columns]}."""

    actor: User
    on_behalf_of: User | None = None
    assist_session_id: int | None = None
    changes: dict[int, list] = field(default_factory=dict)

    def note(self, row, op: str, columns=()) -> None:
        """Remember that `row` was inserted, updated or deleted (an insert stays an insert)."""
        if inspect(row).mapper.local_table.name in UNRECORDED_TABLES:
            return
        seen = self.changes.get(id(row))
        if seen is None:
            self.changes[id(row)] = [row, op, set(columns)]
        else:
            seen[1] = "delete" if op == "delete" else seen[1]
            seen[2].update(columns)

    def summary(self) -> list[dict]:
        """The changed rows as JSON-ready dicts (table, id, op, column names), in the order noted."""
        rows = []
        for row, op, columns in self.changes.values():
            state = inspect(row)
            if state.identity is None:  # added, then rolled back with a savepoint: never written
                continue
            key = state.identity[0] if len(state.identity) == 1 else "/".join(map(str, state.identity))
            rows.append({"table": state.mapper.local_table.name, "id": key, "op": op, "columns": sorted(columns)})
        if len(rows) > SUMMARY_LIMIT:
            rows = rows[:SUMMARY_LIMIT] + [{"table": "…", "id": None, "op": "more", "columns": [], "more": len(rows)}]
        return rows


def open_audit() -> None:
    """before_request: a write request by staff (or while assisting) gets an AuditContext."""
    g.pop("staff_audit", None)
    if request.method not in WRITE_METHODS or not current_user.is_authenticated:
        return
    actor = acting_user()
    assisting = g.get("assisting") is not None
    if not (assisting or actor.has_role("staff")):
        return
    g.staff_audit = AuditContext(
        actor=actor,
        on_behalf_of=current_user._get_current_object() if assisting else None,
        assist_session_id=g.assist.id if assisting else None,
    )


def _current_audit(session: Session) -> AuditContext | None:
    if not has_request_context() or session is not db.session():
        return None
    return g.get("staff_audit")


def _before_flush(session: Session, _context, _instances) -> None:
    audit = _current_audit(session)
    if audit is None:
        return
    for row in session.new:
        audit.note(row, "insert")
    for row in session.dirty:
        if session.is_modified(row, include_collections=False):
            state = inspect(row)
            columns = [attr.key for attr in state.mapper.column_attrs if state.attrs[attr.key].history.has_changes()]
            audit.note(row, "update", columns)
    for row in session.deleted:
        audit.note(row, "delete")


def _before_commit(session: Session) -> None:
    audit = _current_audit(session)
    if audit is None:
        return
    session.flush()  # whatever is still pending is part of this request's change
    summary = audit.summary()
    audit.changes.clear()
    if not summary:
        return
    object_type, object_id = _object_of(summary)
    session.add(
        StaffAction(
            actor_id=audit.actor.id,
            actor_name=audit.actor.display_name,
            on_behalf_of_id=audit.on_behalf_of.id if audit.on_behalf_of is not None else None,
            on_behalf_of_name=audit.on_behalf_of.display_name if audit.on_behalf_of is not None else "",
            assist_session_id=audit.assist_session_id,
            action=request.endpoint or request.path[:80],
            object_type=object_type,
            object_id=object_id,
            summary=summary,
            reason=normalize_text(request.form.get("reason", ""))[:2000],
            ip=(request.remote_addr or "")[:45],
        )
    )


def _forget_changes(session: Session, previous_transaction) -> None:
    """A rolled-back request wrote nothing: forget what it noted (a savepoint's rollback is not the end)."""
    audit = _current_audit(session)
    if audit is not None and not previous_transaction.nested:
        audit.changes.clear()


def _object_of(summary: list[dict]) -> tuple[str, int | None]:
    """What the request acted on: the object its URL names (shop_id=5 → shop 5), else the first row."""
    for name, value in (request.view_args or {}).items():
        if name.endswith("_id") and isinstance(value, int):
            return name[:-3], value
    first = summary[0]
    return first["table"], first["id"] if isinstance(first["id"], int) else None


def init_audit(app) -> None:
    """Record staff writes: the request hook and the session listeners (registered once)."""
    app.before_request(open_audit)
    listen_to_sessions(
        {"before_flush": _before_flush, "before_commit": _before_commit, "after_soft_rollback": _forget_changes}
    )


# ---------------------------------------------------------------- reading


@dataclass
class AuditFilter:
    """What the log viewer shows: every field optional."""

    actor_id: int | None = None
    action: str = ""
    object_type: str = ""
    object_id: int | None = None
    assisted_only: bool = False
    since: date | None = None
    until: date | None = None


def filtered(filters: AuditFilter) -> Select:
    """The log's rows matching `filters`, newest first (dates are whole days in Tehran)."""
    statement = select(StaffAction).order_by(StaffAction.created_at.desc(), StaffAction.id.desc())
    if filters.actor_id is not None:
        statement = statement.where(StaffAction.actor_id == filters.actor_id)
    if filters.action:
        statement = statement.where(StaffAction.action == filters.action)
    if filters.object_type:
        statement = statement.where(StaffAction.object_type == filters.object_type)
    if filters.object_id is not None:
        statement = statement.where(StaffAction.object_id == filters.object_id)
    if filters.assisted_only:
        statement = statement.where(StaffAction.assist_session_id.is_not(None))
    if filters.since is not None:
        statement = statement.where(StaffAction.created_at >= tehran_midnight(filters.since))
    if filters.until is not None:
        statement = statement.where(StaffAction.created_at < tehran_midnight(filters.until + timedelta(days=1)))
    return statement


def log_page(filters: AuditFilter, page: int):
    """One page of the filtered log."""
    return db.paginate(filtered(filters), page=page, per_page=PAGE_SIZE, error_out=False)


def filter_choices() -> tuple[list[tuple[int, str]], list[tuple[str, str]], list[str]]:
    """The actors, actions and object types that occur in the log (for the filter's lists)."""
    actors = db.session.execute(
        select(StaffAction.actor_id, StaffAction.actor_name).distinct().order_by(StaffAction.actor_name)
    ).all()
    actions = db.session.scalars(select(StaffAction.action).distinct().order_by(StaffAction.action)).all()
    types = db.session.scalars(
        select(StaffAction.object_type)
        .where(StaffAction.object_type != "")
        .distinct()
        .order_by(StaffAction.object_type)
    ).all()
    seen: dict[int, str] = {}
    for actor_id, name in actors:
        seen.setdefault(actor_id, name)
    return list(seen.items()), [(key, action_label(key)) for key in actions], list(types)


def log_csv(filters: AuditFilter) -> bytes:
    """The filtered log as a spreadsheet-safe CSV file (core.tables.csv_bytes)."""
    headers = (
        _l("Time"), _l("Staff member"), _l("On behalf of"), _l("Action"), _l("Object"), _l("Object number"),
        _l("Reason"), _l("Changed rows"), _l("IP address"),
    )  # fmt: skip
    rows = [[csv_text(str(header)) for header in headers]]
    for action in db.session.scalars(filtered(filters)):
        changed = "; ".join(f"{row['table']} {row['id']} {row['op']}" for row in action.summary or [])
        object_id = "" if action.object_id is None else str(action.object_id)
        cells = (
            to_latin_digits(format_jalali(as_utc(action.created_at))), action.actor_name, action.on_behalf_of_name,
            action_label(action.action), object_label(action.object_type), object_id, action.reason, changed, action.ip,
        )  # fmt: skip
        rows.append([csv_text(cell) for cell in cells])
    return csv_bytes(rows)


def done_for(producer: User) -> list[tuple[AssistSession, list[StaffAction]]]:
    """Every assisted session on the producer's account, newest first, with the actions in each."""
    sessions = db.session.scalars(
        select(AssistSession)
        .where(AssistSession.producer_id == producer.id, AssistSession.started_at.is_not(None))
        .order_by(AssistSession.started_at.desc(), AssistSession.id.desc())
    ).all()
    actions: dict[int, list[StaffAction]] = {session.id: [] for session in sessions}
    if actions:
        for action in db.session.scalars(
            select(StaffAction)
            .where(StaffAction.assist_session_id.in_(list(actions)))
            .order_by(StaffAction.created_at, StaffAction.id)
        ):
            actions[action.assist_session_id].append(action)  # type: ignore[index]
    return [(session, actions[session.id]) for session in sessions]
