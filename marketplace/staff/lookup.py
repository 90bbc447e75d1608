"""The console's one search box: people, shops, products and orders found by phone (any spelling,
or part of it), by name (however its letters and spaces were typed) or by number (an id in any
digits). People come from services.search_users, the people page's own search."""

from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..catalog.models import Product
from ..core.numbers import DB_INT_MAX
from ..extensions import db
from ..orders.models import Order
from ..shops.models import Shop
from . import services
from .services import Query, name_matches, phone_matches, read_query

# Results shown of each kind; people have their own page for more.
KIND_LIMIT = 20


@dataclass
class Found:
    """What one query found, by kind, each newest first; `people_total` counts every matching
    account (the page links to the people page when there are more than shown)."""

    query: Query
    people: list[User] = field(default_factory=list)
    people_total: int = 0
    shops: list[Shop] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many results are shown in all."""
        return len(self.people) + len(self.shops) + len(self.products) + len(self.orders)


def _by_number(column, query: Query) -> list:
    return [column == query.number] if query.number is not None and query.number <= DB_INT_MAX else []


def _matching_users(query: Query):
    return select(User.id).where(or_(*services.user_conditions(query)))


def find(typed: str, limit: int = KIND_LIMIT) -> Found:
    """Everything the query finds (nothing for an empty query): one query per kind."""
    query = read_query(typed)
    found = Found(query)
    if not query.text:
        return found
    people = services.search_users(typed, page=1, per_page=limit)
    found.people, found.people_total = list(people.items), people.total or 0
    owners = _matching_users(query)

    def newest(model, *conditions, load=()):
        statement = select(model).where(or_(*conditions)).options(*(selectinload(rel) for rel in load))
        return list(db.session.scalars(statement.order_by(model.id.desc()).limit(limit)))

    found.shops = newest(
        Shop,
        name_matches(Shop.name, query),
        Shop.owner_id.in_(owners),
        *phone_matches(Shop.contact_phone, query),
        *_by_number(Shop.id, query),
        load=(Shop.owner,),
    )
    found.products = newest(
        Product, name_matches(Product.title, query), *_by_number(Product.id, query), load=(Product.shop,)
    )
    found.orders = newest(
        Order,
        *_by_number(Order.id, query),
        Order.buyer_id.in_(owners),
        name_matches(Order.receiver_name, query),
        *phone_matches(Order.receiver_phone, query),
        load=(Order.shop, Order.buyer),
    )
    return found
