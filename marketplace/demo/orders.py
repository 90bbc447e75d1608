"""Demo orders: a few in every state, across the demo buyers and shops, through the real services
(cart → checkout → the producer's and the buyer's actions), so the order desk, the buyer's orders,
reviews, messages and the ledger all have something to show. Idempotent: skipped when any order exists."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import Flask
from sqlalchemy import func, select

from ..accounts.models import User
from ..catalog.models import Product
from ..core.dates import utcnow
from ..extensions import db
from ..orders import cart as carts
from ..orders import checkout, reviews, services, threads
from ..orders.models import Address, Order
from ..shops.models import Shop, ShopStatus


@dataclass(frozen=True)
class DemoOrder:
    """One demo checkout: who buys, from which producers (index into data.PRODUCERS), how, and how far it got."""

    buyer: int
    producers: tuple[int, ...]
    delivery: str
    payment: str
    reached: str  # awaiting_confirmation, accepted, shipped, delivered, cancelled_buyer, cancelled_producer
    days_ago: int
    settled: bool = False
    review: int = 0  # stars the buyer gave each item (0: no review)
    reply: bool = False  # the producer answered the review


PLAN = (
    DemoOrder(0, (0,), "post", "cod", "awaiting_confirmation", 0),
    DemoOrder(1, (0, 2), "pickup_centre", "centre", "awaiting_confirmation", 1),
    DemoOrder(2, (1,), "courier", "cod", "accepted", 3),
    DemoOrder(3, (0,), "post", "centre", "shipped", 6),
    DemoOrder(0, (0,), "post", "cod", "delivered", 20, settled=True, review=5, reply=True),
    DemoOrder(1, (3,), "pickup_centre", "centre", "delivered", 12, review=4),
    DemoOrder(2, (4,), "courier", "cod", "delivered", 9),
    DemoOrder(3, (2,), "pickup_centre", "centre", "cancelled_buyer", 4),
    DemoOrder(0, (5,), "post", "cod", "cancelled_producer", 8),
)
TRACKING = "۲۱۴۰۱۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵"
REVIEW_TEXT = {
    5: "دوخت بسیار تمیز و رنگ‌ها همان‌طور که در عکس بود. بسته‌بندی هم عالی بود؛ ممنونم.",
    4: "کیفیت خوب و خوش‌طعم؛ فقط کمی دیرتر از آنچه فکر می‌کردم آماده شد.",
}
REPLY_TEXT = "ممنون از لطفتان؛ خوشحالم که پسندیدید. منتظر سفارش بعدی‌تان هستم."
# (who writes: "buyer" or "producer", text) on the first awaiting and the accepted order
THREAD = (
    ("buyer", "سلام، می‌شود رنگ سرمه‌ای را بفرستید؟"),
    ("producer", "سلام، حتماً. تا پس‌فردا آماده می‌شود."),
)


def orders_exist() -> bool:
    """True when any order is stored (the demo then adds none)."""
    return bool(db.session.scalar(select(func.count(Order.id))))


def open_demo_shops(app: Flask, shops: list[Shop]) -> None:
    """Let the demo shops deliver every way and take cash on delivery."""
    for shop in shops:
        checkout.save_delivery_settings(
            app,
            shop,
            post_fee_rial=700_000,
            courier_fee_rial=400_000,
            pickup_centre=True,
            allow_cod=True,
        )


def _first_products(shop: Shop) -> list[Product]:
    rows = db.session.scalars(
        select(Product).where(Product.shop_id == shop.id, Product.is_public).order_by(Product.id).limit(2)
    )
    return [row for row in rows if row.made_to_order or row.stock > 1][:1]


def load_orders(app: Flask, buyers: list[User], shops: list[Shop], staff: User) -> int:
    """Place and move the demo orders; returns how many orders were made."""
    if orders_exist():
        return 0
    approved = [shop for shop in shops if shop.status == ShopStatus.APPROVED]
    open_demo_shops(app, approved)
    made = 0
    for plan in PLAN:
        buyer = buyers[plan.buyer]
        cart = carts.open_cart(user_id=buyer.id, token=None)
        for index in plan.producers:
            for product in _first_products(approved[index]):
                variant = next((row for row in product.variants if row.stock > 0), None)
                carts.add_item(cart, product.id, variant.id if variant else None, 1, max_line=20)
        address = _address(buyer) if plan.delivery in ("post", "courier") else None
        delivery = {approved[index].id: plan.delivery for index in plan.producers}
        placed_at = utcnow() - timedelta(days=plan.days_ago, hours=plan.buyer + 2)
        placed = checkout.place_order(
            app, buyer, cart, checkout.CheckoutChoice(delivery, plan.payment, address), now=placed_at
        )
        for order in placed.orders:
            _advance(order, plan, placed_at.date(), staff)
            made += 1
    db.session.flush()
    return made


def _address(buyer: User) -> Address:
    """The buyer's saved address, made the first time."""
    saved = checkout.buyer_addresses(buyer.id)
    if saved:
        return saved[0]
    typed = checkout.AddressData(
        buyer.display_name,
        buyer.phone,
        "خراسان رضوی",
        "مشهد",
        "بلوار وکیل‌آباد، هاشمیه ۲۴، پلاک ۱۸، واحد ۳",
        "9188812345",
    )
    return checkout.add_address(buyer.id, typed)


def _advance(order: Order, plan: DemoOrder, placed_on: date, staff: User) -> None:
    owner = order.shop.owner_id
    if plan.reached == "cancelled_buyer":
        services.cancel(order, actor_id=order.buyer_id, reason="", by="buyer")
        return
    if plan.reached == "cancelled_producer":
        services.cancel(order, actor_id=owner, reason="مواد اولیه تمام شده است؛ ببخشید.", by="producer")
        return
    if plan.reached in ("awaiting_confirmation", "accepted") and plan.days_ago in (0, 3):
        for side, text in THREAD:
            author = order.buyer if side == "buyer" else order.shop.owner
            threads.post_message(order, author, threads.Side(side), text)
    if plan.reached == "awaiting_confirmation":
        return
    services.mark_seen(order)
    services.accept(order, actor_id=owner, expected_ship_date=placed_on + timedelta(days=2), today=placed_on)
    if plan.reached == "accepted":
        return
    services.ship(
        order,
        actor_id=owner,
        carrier="پست" if plan.delivery == "post" else "",
        tracking_code=TRACKING if plan.delivery == "post" else "",
    )
    if plan.reached == "shipped":
        return
    services.deliver(order, actor_id=order.buyer_id)
    if plan.review:
        for item in order.items:
            review = reviews.add_review(
                order, item, buyer_id=order.buyer_id, rating=plan.review, body=REVIEW_TEXT[plan.review]
            )
            if plan.reply:
                reviews.reply(review, REPLY_TEXT)
    if plan.settled:
        entry = services.write_ledger_line(order)
        services.settle_ledger([entry], actor_id=staff.id)
