"""The cart (/cart): guests and signed-in buyers alike. A guest's cart is found by a random token
in her signed session cookie; the header's count is kept in the session too, so pages that show
it run no query for it."""

from datetime import datetime

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, user_logged_in, user_logged_out

from ...core.dates import TEHRAN
from ...core.security import refuse_cross_site_post
from ...core.transaction import change
from ...extensions import csrf
from .. import cart as carts
from ..forms import ActionForm, AddToCartForm, CartLineForm
from ..models import Cart

bp = Blueprint("cart", __name__, url_prefix="/cart")
# when she signs in, her guest cart joins her own (see merge_on_login)
bp.record_once(lambda state: user_logged_in.connect(merge_on_login, state.app))
bp.record_once(lambda state: user_logged_out.connect(forget_on_logout, state.app))

TOKEN_KEY = "cart"  # noqa: S105 (a session key, not a secret)
COUNT_KEY = "cart_count"


def current_cart() -> Cart | None:
    """This visitor's cart, if she has one."""
    user_id = current_user.id if current_user.is_authenticated else None
    return carts.find_cart(user_id=user_id, token=session.get(TOKEN_KEY))


def remember(cart: Cart | None) -> None:
    """Keep the guest's token and the header's item count in the session cookie."""
    if cart is not None and cart.user_id is None:
        session[TOKEN_KEY] = cart.token
    session[COUNT_KEY] = carts.item_count(cart)


def _max_line() -> int:
    return current_app.config["MAX_LINE_QUANTITY"]


@bp.get("")
def show():
    """The cart, grouped by shop, priced now, with what stands in the way of each line."""
    cart = current_cart()
    groups = carts.grouped_lines(cart, max_line=_max_line(), today=datetime.now(TEHRAN).date())
    session[COUNT_KEY] = carts.item_count(cart)
    ready = bool(groups) and not any(line.problem for group in groups for line in group.lines)
    return render_template(
        "orders/cart.html", groups=groups, line_form=CartLineForm(), action_form=ActionForm(), ready=ready
    )


@bp.post("/add")
@csrf.exempt  # checked below: the product page is cached whole for visitors with no session
def add():
    """Add a product (from its page) and go to the cart.

    A visitor with a session posts the form's CSRF token. One without (the first thing she does
    here) was served the cached page, which holds no token: a post from another site is refused
    by the browser's Sec-Fetch-Site/Origin headers instead."""
    has_session = bool(session) or current_user.is_authenticated
    if has_session:
        csrf.protect()
    else:
        refuse_cross_site_post()
    form = AddToCartForm(meta={"csrf": False})
    if not form.validate_on_submit() or not isinstance(form.product_id.data, int):
        flash(_("This product could not be added. Please try again."), "error")
        return redirect(request.referrer if _same_site(request.referrer) else url_for("cart.show"))
    variant_id = int(form.variant_id.data) if (form.variant_id.data or "").isdigit() else None
    quantity = form.quantity.data if isinstance(form.quantity.data, int) and form.quantity.data > 0 else 1
    user_id = current_user.id if current_user.is_authenticated else None
    with change() as done:  # after the redirect the form is gone: a refusal is flashed
        cart = carts.open_cart(user_id=user_id, token=session.get(TOKEN_KEY))
        carts.add_item(cart, form.product_id.data, variant_id, quantity, max_line=_max_line())
    if done:
        remember(cart)
        flash(_("Added to your cart."), "success")
        return redirect(url_for("cart.show"))
    return redirect(request.referrer if _same_site(request.referrer) else url_for("cart.show"))


@bp.post("/update")
def update():
    """Change a line's quantity (0 removes it). A line of someone else's cart is never found."""
    form = CartLineForm()
    cart = current_cart()
    if cart is None or not form.validate_on_submit() or not isinstance(form.item_id.data, int):
        flash(_("Enter a whole number for the quantity."), "error")
        return redirect(url_for("cart.show"))
    quantity = form.quantity.data if isinstance(form.quantity.data, int) else 1
    with change() as done:  # after the redirect the form is gone: a refusal is flashed
        carts.set_quantity(cart, form.item_id.data, quantity, max_line=_max_line())
    if done:
        remember(cart)
    else:
        return redirect(url_for("cart.show"))


@bp.post("/prices-seen")
def prices_seen():
    """The buyer read the changed prices: stop flagging them."""
    cart = current_cart()
    if cart is not None and ActionForm().validate_on_submit():
        with change():
            carts.acknowledge_prices(cart)
    return redirect(url_for("cart.show"))


def _same_site(target: str | None) -> bool:
    return bool(target) and target.startswith(request.host_url)  # type: ignore[union-attr]


def merge_on_login(_app, user, **_kwargs) -> None:
    """Flask-Login's user_logged_in: the guest's cart joins her own (the login route commits it)."""
    token = session.pop(TOKEN_KEY, None)
    cart = carts.merge_guest_cart(token, user.id, max_line=_max_line())
    session[COUNT_KEY] = carts.item_count(cart)


def forget_on_logout(_app, **_kwargs) -> None:
    """Flask-Login's user_logged_out: her cart stays with her account; this browser starts empty."""
    session.pop(TOKEN_KEY, None)
    session.pop(COUNT_KEY, None)
