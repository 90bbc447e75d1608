"""Fifty buyers press "place order" at the same moment for the last units: exactly the stock is
sold, stock never goes below zero, every loser is told which item ran out, and no order, checkout
or payment is left half made. On SQLite (BEGIN IMMEDIATE and a busy timeout: writers queue, none
fails with "database is locked") and on PostgreSQL (TEST_DATABASE_URL).

These tests commit for real, from 50 threads, each with its own app context, session and
connection, the way 50 requests would. They therefore do not use the `app` fixture (whose
rolled-back transaction would serialise them on one connection): they build their own app with
`app_factory`, and delete every row they committed afterwards."""

import threading
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.catalog.models import Product, ProductVariant
from marketplace.core.database import begin_write
from marketplace.core.errors import RuleError
from marketplace.extensions import db
from marketplace.orders import cart as carts
from marketplace.orders import checkout
from marketplace.orders.models import Cart, Checkout, Order, OrderItem, OrderStatus
from marketplace.payments.models import Payment, PaymentStatus
from marketplace.search.models import SearchChange
from tests.factories import ProductFactory, ShopFactory, UserFactory

BUYERS = 50


def table_keys() -> dict[str, set[tuple]]:
    """The primary key of every row of every table, by table name."""
    keys = {}
    for table in db.metadata.sorted_tables:
        columns = list(table.primary_key.columns)
        keys[table.name] = {tuple(row) for row in db.session.execute(select(*columns))}
    return keys


class Committed:
    """An app whose commits are real, with the rows every table held before the test; on close,
    every row added since is deleted (whatever module's receiver wrote it: orders, payments,
    search's change log, notifications, the outbox…), so the other tests find the database as it was."""

    def __init__(self, app: Flask):
        self.app = app
        with app.app_context():
            upgrade()  # the `app` fixture migrates the database; this test may be the first to run
            self.before = table_keys()

    def new_rows(self, table: str) -> set[tuple]:
        """Keys of the rows of `table` added since the test began (inside an app context)."""
        return table_keys()[table] - self.before[table]

    def close(self) -> None:
        """Delete the rows the test added, children first, and check nothing is left over."""
        with self.app.app_context():
            now = table_keys()
            for table in reversed(db.metadata.sorted_tables):
                columns = list(table.primary_key.columns)
                for key in now[table.name] - self.before[table.name]:
                    db.session.execute(
                        table.delete().where(*(column == value for column, value in zip(columns, key, strict=True)))
                    )
            db.session.commit()
            assert table_keys() == self.before, "the test left committed rows behind"


@pytest.fixture
def committed(app_factory):
    live = Committed(app_factory())
    yield live
    live.close()


@dataclass
class Race:
    """What the buyers got: the checkout ids of the winners, the refusals' messages, any error."""

    sold: list[int] = field(default_factory=list)
    refused: list[list[str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lowest_stock: list[int] = field(default_factory=list)


def seed(app: Flask, *, stock: int, variant_stock: int | None = None) -> tuple[int, int | None, int, list[int]]:
    """A published product (or one option of it) with `stock` units left, and 50 buyers with one
    unit of it in their carts, committed. Returns (product id, variant id, shop id, buyer ids)."""
    with app.app_context():
        shop = ShopFactory(status="approved")
        product = ProductFactory(shop=shop, status="published", title="گلیم آخر", stock=stock)
        variant = None
        if variant_stock is not None:
            product.option1_name = "اندازه"
            variant = ProductVariant(value1="بزرگ", stock=variant_stock)
            product.variants = [ProductVariant(value1="کوچک", stock=stock - variant_stock), variant]
        db.session.flush()
        buyers = []
        for _ in range(BUYERS):
            buyer = UserFactory()
            cart = carts.open_cart(user_id=buyer.id, token=None)
            carts.add_item(cart, product.id, variant.id if variant else None, 1, max_line=20)
            buyers.append(buyer.id)
        db.session.commit()
        return product.id, variant.id if variant else None, shop.id, buyers


def buy(app: Flask, buyer_id: int, shop_id: int, start: threading.Barrier, race: Race) -> None:
    """One buyer's "place order", as the POST request does it: BEGIN IMMEDIATE on SQLite, the
    service, one commit; a refusal rolls back. (A request context: the refusals are worded for a reader.)"""
    with app.test_request_context("/checkout", method="POST"):
        start.wait(timeout=60)
        try:
            begin_write()
            buyer = db.session.get(User, buyer_id)
            cart = carts.find_cart(user_id=buyer_id, token=None)
            choice = checkout.CheckoutChoice({shop_id: "pickup_centre"}, "centre", None)
            done = checkout.place_order(app, buyer, cart, choice)
            db.session.commit()
            race.sold.append(done.id)
        except RuleError as refusal:
            db.session.rollback()
            errors = getattr(refusal, "errors", [(refusal.field, refusal.message)])
            race.refused.append([f"{where}: {message}" for where, message in errors])
        except Exception as error:  # noqa: BLE001 (any other failure is what the test looks for)
            db.session.rollback()
            race.errors.append(repr(error))


def watch_stock(app: Flask, product_id: int, variant_id: int | None, stop: threading.Event, race: Race) -> None:
    """Read the stock over and over while the buyers run, keeping the lowest value seen."""
    with app.app_context():
        lowest = None
        while not stop.is_set():
            values = [db.session.scalar(select(Product.stock).where(Product.id == product_id))]
            if variant_id is not None:
                values.append(db.session.scalar(select(ProductVariant.stock).where(ProductVariant.id == variant_id)))
            db.session.rollback()  # a new read transaction each time, to see the latest commits
            lowest = min([*values] if lowest is None else [lowest, *values])
        race.lowest_stock.append(lowest if lowest is not None else 0)


def run_race(app: Flask, product_id: int, variant_id: int | None, shop_id: int, buyers: list[int]) -> Race:
    """All buyers at once (a barrier releases them together), and a watcher of the stock."""
    race = Race()
    start = threading.Barrier(len(buyers))
    stop = threading.Event()
    watcher = threading.Thread(target=watch_stock, args=(app, product_id, variant_id, stop, race))
    threads = [threading.Thread(target=buy, args=(app, buyer, shop_id, start, race)) for buyer in buyers]
    watcher.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    stop.set()
    watcher.join(timeout=10)
    assert not any(thread.is_alive() for thread in threads), "a buyer never finished"
    return race


def check_outcome(live: Committed, race: Race, *, product_id: int, buyers: list[int], sold: int) -> None:
    """Exactly `sold` checkouts, each whole (its order, item, event and payment); everyone else
    refused with the item named; nothing orphaned; the losers' carts untouched."""
    assert race.errors == [], f"buyers failed with errors (e.g. database is locked): {race.errors[:3]}"
    assert len(race.sold) == sold
    assert len(race.refused) == BUYERS - sold
    for messages in race.refused:
        assert any(message.startswith("cart: ") and "گلیم آخر" in message for message in messages), messages
    with live.app.app_context():
        checkouts = list(db.session.scalars(select(Checkout).where(Checkout.id.in_(race.sold))))
        assert len(checkouts) == sold
        for row in checkouts:
            assert len(row.orders) == 1 and row.buyer_id in buyers
            order = row.orders[0]
            assert order.status == OrderStatus.AWAITING_CONFIRMATION
            assert [(item.product_id, item.quantity) for item in order.items] == [(product_id, 1)]
            assert [event.action for event in order.events] == ["placed"]
            assert row.payment is not None and row.payment.reference == f"checkout-{row.id}"
            assert row.payment.status == PaymentStatus.PENDING and row.payment.amount_rial == row.total_rial
        # nothing half made: the new rows are exactly the winners' checkouts, orders, items and payments
        assert len(live.new_rows(Checkout.__tablename__)) == sold
        assert len(live.new_rows(Order.__tablename__)) == sold
        assert len(live.new_rows(OrderItem.__tablename__)) == sold
        assert len(live.new_rows(Payment.__tablename__)) == sold
        units = db.session.scalar(select(func.sum(OrderItem.quantity)).where(OrderItem.product_id == product_id))
        assert units == sold
        winners = set(db.session.scalars(select(Checkout.buyer_id).where(Checkout.id.in_(race.sold))))
        for cart in db.session.scalars(select(Cart).where(Cart.user_id.in_(buyers))):
            assert len(cart.items) == (0 if cart.user_id in winners else 1)
        changes = select(func.count()).where(SearchChange.entity == "product", SearchChange.entity_id == product_id)
        assert db.session.scalar(changes) >= 1  # the "in stock" facet hears of the sale
    assert race.lowest_stock and min(race.lowest_stock) >= 0


@pytest.mark.parametrize("stock", [1, 5], ids=["last item", "last five"])
def test_fifty_buyers_for_the_last_units(committed, stock):
    product_id, _, shop_id, buyers = seed(committed.app, stock=stock)
    race = run_race(committed.app, product_id, None, shop_id, buyers)
    check_outcome(committed, race, product_id=product_id, buyers=buyers, sold=stock)
    with committed.app.app_context():
        assert db.session.get(Product, product_id).stock == 0


def test_fifty_buyers_for_the_last_of_one_option(committed):
    """Three left of «large», two of «small»: the large ones sell out, the small ones stay, and the
    product's total follows its options."""
    product_id, variant_id, shop_id, buyers = seed(committed.app, stock=5, variant_stock=3)
    race = run_race(committed.app, product_id, variant_id, shop_id, buyers)
    check_outcome(committed, race, product_id=product_id, buyers=buyers, sold=3)
    with committed.app.app_context():
        product = db.session.get(Product, product_id)
        assert {v.value1: v.stock for v in product.variants} == {"بزرگ": 0, "کوچک": 2}
        assert product.stock == 2
        assert db.session.scalar(select(sa.func.min(ProductVariant.stock))) >= 0
