"""Applications: applying and its rules, editing until the deadline (discounts until the fair
ends), withdrawing, the waitlist's 48-hour offers as scheduled outbox tasks, and the producer's
pages (with their Persian refusals, and another producer's application as a 404)."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from marketplace.accounts.models import Notification
from marketplace.bazaar import applications, waitlist
from marketplace.bazaar.applications import ApplicationData
from marketplace.bazaar.models import Application, ApplicationStatus, FairDecision, JuryScore
from marketplace.core import outbox
from marketplace.core.dates import as_utc, utcnow
from marketplace.core.errors import RuleError
from marketplace.core.numerals import fa_digits
from marketplace.core.outbox import OutboxMessage
from marketplace.extensions import db
from marketplace.registration import services as registration
from marketplace.shops.services import owned_shop
from tests.conftest import post_form
from tests.factories import ApplicationFactory, FairFactory, ProductFactory, ShopFactory, UserFactory

A = ApplicationStatus


def _shop(products=3, kind="handicraft", status="approved"):
    """An approved shop with `products` published products of `kind`."""
    shop = ShopFactory(status=status)
    items = [ProductFactory(shop=shop, kind=kind, status="published") for _ in range(products)]
    return shop, items


def _data(products, **changes) -> ApplicationData:
    values = {"product_ids": [product.id for product in products]}
    values.update(changes)
    return ApplicationData(**values)


def _refused(call, *args) -> RuleError:
    with pytest.raises(RuleError) as refused:
        call(*args)
    return refused.value


def _notices(user) -> list[str]:
    return list(db.session.scalars(select(Notification.text).where(Notification.user_id == user.id)))


# ---------------------------------------------------------------- applying


def test_apply_saves_products_discounts_needs_category_and_tells_her(app_ctx):
    fair = FairFactory()
    shop, products = _shop(3)
    bag = ProductFactory(shop=shop, category="decor", status="published")
    now = utcnow()
    application = applications.apply(
        fair,
        shop,
        shop.owner,
        _data(
            [*products, bag],
            discounts={products[0].id: 15, bag.id: None},
            needs_power=True,
            two_people=True,
            note="  سلام،   میز   کوچک  ",
        ),
        now,
    )
    assert application.status == A.SUBMITTED and application.first_timer
    assert {item.product_id: item.discount_percent for item in application.items} == {
        products[0].id: 15,
        products[1].id: 0,
        products[2].id: 0,
        bag.id: 0,
    }
    assert application.needs_power and application.two_people and not application.needs_table
    assert application.note == "سلام، میز کوچک"
    # three of four products are needlework (handicraft): that top category is the application's
    assert application.category_id == products[0].category.top.id
    assert application.category_id != bag.category.top.id
    trail = db.session.scalars(select(FairDecision.action).where(FairDecision.application_id == application.id))
    assert list(trail) == ["apply"]
    assert any("درخواست شما" in text and fair.title in text for text in _notices(shop.owner))


def test_after_the_deadline_she_cannot_apply(app_ctx):
    fair = FairFactory()
    shop, products = _shop(3)
    late = as_utc(fair.applications_close_at) + timedelta(minutes=1)
    refused = _refused(applications.apply, fair, shop, shop.owner, _data(products), late)
    assert "مهلت" in str(refused.message)
    just_in_time = as_utc(fair.applications_close_at) - timedelta(minutes=1)
    assert applications.apply(fair, shop, shop.owner, _data(products), just_in_time).status == A.SUBMITTED


def test_a_shop_not_approved_cannot_apply(app_ctx):
    fair = FairFactory()
    shop, products = _shop(3, status="submitted")
    refused = _refused(applications.apply, fair, shop, shop.owner, _data(products), utcnow())
    assert "تأیید" in str(refused.message)


def test_too_few_or_too_many_products_are_refused(app_ctx):
    fair = FairFactory(min_products=3, max_products=4)
    shop, products = _shop(5)
    few = _refused(applications.apply, fair, shop, shop.owner, _data(products[:2]), utcnow())
    assert few.field == "products" and "دست‌کم ۳ محصول" in fa_digits(str(few.message))
    many = _refused(applications.apply, fair, shop, shop.owner, _data(products), utcnow())
    assert many.field == "products" and "حداکثر ۴ محصول" in fa_digits(str(many.message))
    # the same product ticked twice counts once
    twice = _refused(applications.apply, fair, shop, shop.owner, _data([products[0]] * 3), utcnow())
    assert twice.field == "products"


def test_products_of_another_shop_are_refused(app_ctx):
    fair = FairFactory()
    shop, products = _shop(2)
    _other, theirs = _shop(1)
    refused = _refused(applications.apply, fair, shop, shop.owner, _data([*products, *theirs]), utcnow())
    assert refused.field == "products" and "خودتان" in str(refused.message)
    assert theirs[0].title not in str(refused.message)  # another producer's product is not named
    missing = _refused(
        applications.apply, fair, shop, shop.owner, ApplicationData([p.id for p in products] + [10**9]), utcnow()
    )
    assert missing.field == "products"


def test_unpublished_products_are_refused_by_name(app_ctx):
    fair = FairFactory()
    shop, products = _shop(2)
    draft = ProductFactory(shop=shop, status="draft", title="شال نیمه‌کاره")
    refused = _refused(applications.apply, fair, shop, shop.owner, _data([*products, draft]), utcnow())
    assert refused.field == "products" and "شال نیمه‌کاره" in str(refused.message)
    assert "منتشر" in str(refused.message)


def test_a_second_application_to_the_same_fair_is_refused(app_ctx):
    fair = FairFactory()
    shop, products = _shop(3)
    applications.apply(fair, shop, shop.owner, _data(products), utcnow())
    refused = _refused(applications.apply, fair, shop, shop.owner, _data(products), utcnow())
    assert "قبلاً" in str(refused.message)
    assert db.session.query(Application).filter_by(fair_id=fair.id, shop_id=shop.id).count() == 1


def test_the_unique_constraint_turns_a_racing_second_application_into_a_message(app_ctx, monkeypatch):
    fair = FairFactory()
    shop, products = _shop(3)
    applications.apply(fair, shop, shop.owner, _data(products), utcnow())
    # the other transaction's row is not seen by the check (as in a race): the constraint says no
    monkeypatch.setattr(applications, "application_for", lambda fair, shop: None)
    refused = _refused(applications.apply, fair, shop, shop.owner, _data(products), utcnow())
    assert "قبلاً" in str(refused.message)
    assert db.session.query(Application).filter_by(fair_id=fair.id).count() == 1


def test_food_needs_verified_licences_when_the_fair_asks(app_ctx):
    fair = FairFactory()
    shop, crafts = _shop(2)
    pickle = ProductFactory(shop=shop, kind="food", status="published", title="ترشی لیته")
    refused = _refused(applications.apply, fair, shop, shop.owner, _data([*crafts, pickle]), utcnow())
    assert refused.field == "products" and "ترشی لیته" in str(refused.message)
    assert "بهداشت" in str(refused.message)
    registration.waive_missing(pickle, UserFactory(roles={"staff"}), "آزمایش")
    assert applications.apply(fair, shop, shop.owner, _data([*crafts, pickle]), utcnow()).status == A.SUBMITTED


def test_food_without_verified_licences_is_welcome_when_the_fair_does_not_ask(app_ctx):
    fair = FairFactory(food_requires_verified=False)
    shop, products = _shop(3, kind="food")
    assert applications.apply(fair, shop, shop.owner, _data(products), utcnow()).status == A.SUBMITTED


def test_discounts_over_90_percent_and_long_notes_are_refused_next_to_their_field(app_ctx):
    fair = FairFactory()
    shop, products = _shop(3)
    refused = _refused(
        applications.apply, fair, shop, shop.owner, _data(products, discounts={products[1].id: 91}), utcnow()
    )
    assert refused.field == f"discount_{products[1].id}" and "۹۰ درصد" in fa_digits(str(refused.message))
    long_note = _refused(applications.apply, fair, shop, shop.owner, _data(products, note="ب" * 1001), utcnow())
    assert long_note.field == "note"


def test_first_timer_means_no_accepted_place_at_a_fair_that_already_started(app_ctx):
    shop, products = _shop(3)
    upcoming = FairFactory(status="published")
    ApplicationFactory(fair=upcoming, shop=shop, items=products, status="accepted")
    fair = FairFactory()
    application = applications.apply(fair, shop, shop.owner, _data(products), utcnow())
    assert application.first_timer  # the other fair has not started yet
    applications.withdraw(application, shop.owner, utcnow())
    past = FairFactory(
        status="closed",
        applications_open_at=utcnow() - timedelta(days=60),
        applications_close_at=utcnow() - timedelta(days=50),
        starts_at=utcnow() - timedelta(days=40),
        ends_at=utcnow() - timedelta(days=39),
    )
    ApplicationFactory(fair=past, shop=shop, items=products, status="rejected")
    assert applications.is_first_timer(shop, fair, utcnow())
    ApplicationFactory(
        fair=FairFactory(
            status="closed",
            starts_at=utcnow() - timedelta(days=20),
            ends_at=utcnow() - timedelta(days=19),
            applications_open_at=utcnow() - timedelta(days=30),
            applications_close_at=utcnow() - timedelta(days=25),
        ),
        shop=shop,
        items=products,
        status="accepted",
    )
    again = applications.apply(fair, shop, shop.owner, _data(products), utcnow())
    assert not again.first_timer


# ---------------------------------------------------------------- editing and withdrawing


def test_she_edits_until_the_deadline_and_then_only_her_discounts(app_ctx):
    fair = FairFactory()
    shop, products = _shop(4)
    application = applications.apply(fair, shop, shop.owner, _data(products[:3]), utcnow())
    applications.update_application(
        application, _data(products[1:], discounts={products[3].id: 20}, needs_table=True, note="میز"), utcnow()
    )
    assert sorted(item.product_id for item in application.items) == sorted(p.id for p in products[1:])
    assert application.needs_table and application.note == "میز"
    after_deadline = as_utc(fair.applications_close_at) + timedelta(hours=1)
    saved = applications.application_data(application)
    refused = _refused(applications.update_application, application, _data(products[:3]), after_deadline)
    assert refused.field == "products" and "مهلت" in str(refused.message)
    saved.discounts[products[1].id] = 30
    applications.update_application(application, saved, after_deadline)
    assert {item.product_id: item.discount_percent for item in application.items}[products[1].id] == 30


def test_discounts_change_after_acceptance_until_the_fair_ends(app_ctx):
    fair = FairFactory(status="published")
    shop, products = _shop(3)
    application = ApplicationFactory(fair=fair, shop=shop, items=products, status="accepted")
    data = applications.application_data(application)
    data.discounts[products[0].id] = 25
    applications.update_application(application, data, utcnow())
    assert application.items[0].discount_percent == 25
    refused = _refused(applications.update_application, application, _data(products[:2]), utcnow())
    assert refused.field == "products"
    data.discounts[products[0].id] = 10
    refused = _refused(applications.update_application, application, data, as_utc(fair.ends_at))
    assert application.items[0].discount_percent == 25 and refused.field == ""


def test_withdraw_records_the_decision_and_tells_her(app_ctx):
    fair = FairFactory()
    shop, products = _shop(3)
    application = applications.apply(fair, shop, shop.owner, _data(products), utcnow())
    applications.withdraw(application, shop.owner, utcnow())
    assert application.status == A.WITHDRAWN and application.withdrawn_at is not None
    trail = db.session.scalar(
        select(FairDecision).where(FairDecision.application_id == application.id, FairDecision.action == "withdraw")
    )
    assert trail.from_status == "submitted" and trail.to_status == "withdrawn"
    assert any("انصراف" in text for text in _notices(shop.owner))
    again = _refused(applications.withdraw, application, shop.owner, utcnow())
    assert again.field == ""
    # withdrawn, she may apply again while applications are open (the same row comes back)
    back = applications.apply(fair, shop, shop.owner, _data(products), utcnow())
    assert back.id == application.id and back.status == A.SUBMITTED


def test_no_withdrawing_once_the_fair_started(app_ctx):
    fair = FairFactory(status="live")
    shop, products = _shop(3)
    application = ApplicationFactory(fair=fair, shop=shop, items=products, status="accepted")
    refused = _refused(applications.withdraw, application, shop.owner, as_utc(fair.starts_at))
    assert "شروع" in str(refused.message)
    assert application.status == A.ACCEPTED


# ---------------------------------------------------------------- the waitlist


def _published_fair_with_waitlist(places=2, waitlisted=2):
    """A published fair with `places` accepted applications and `waitlisted` ones in line."""
    fair = FairFactory(status="published", places=places)
    accepted = [ApplicationFactory(fair=fair, status="accepted") for _ in range(places)]
    line = []
    for number in range(waitlisted):
        application = ApplicationFactory(fair=fair, status="waitlisted")
        application.submitted_at = utcnow() - timedelta(days=10 - number)
        line.append(application)
    db.session.flush()
    return fair, accepted, line


def test_an_accepted_withdrawal_offers_the_place_to_the_first_on_the_waitlist(app_ctx):
    fair, accepted, line = _published_fair_with_waitlist()
    now = utcnow()
    applications.withdraw(accepted[0], accepted[0].shop.owner, now)
    first, second = line
    assert waitlist.offer_open(first, now) and first.offered_at is not None
    assert as_utc(first.offer_expires_at) == now + timedelta(hours=48)
    assert second.offered_at is None
    task = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "bazaar.offer_lapses"))
    assert task.payload["application_id"] == first.id
    assert as_utc(task.available_at) == as_utc(first.offer_expires_at)
    assert str(first.id) in task.dedupe_key
    offer_text = [text for text in _notices(first.shop.owner) if "۴۸" in text or "تأیید" in text]
    assert offer_text and re.search(r"[۰-۹]{4}", offer_text[0])  # the deadline, as a Jalali date
    # a second free place is not offered while the open offer holds it and the places are full
    assert waitlist.places_taken(fair, now) == 2
    assert waitlist.offer_next_place(fair, now) is None


def test_an_offer_lapses_after_48_hours_and_passes_to_the_next(app, app_ctx):
    fair, accepted, line = _published_fair_with_waitlist()
    now = utcnow()
    applications.withdraw(accepted[0], accepted[0].shop.owner, now)
    db.session.commit()
    outbox.drain(app, now=now + timedelta(hours=47))
    first, second = (db.session.get(Application, application.id) for application in line)
    db.session.refresh(first)
    assert first.offer_lapsed_at is None and waitlist.offer_open(first, now + timedelta(hours=47))
    outbox.drain(app, now=now + timedelta(hours=49))
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.status == A.WAITLISTED and first.offer_lapsed_at is not None
    assert second.offered_at is not None and second.offer_lapsed_at is None
    assert as_utc(second.offer_expires_at) > now + timedelta(hours=49)  # she has her own 48 hours
    assert any("به موقع" in text for text in _notices(first.shop.owner))
    # the lapsed one cannot confirm any more; the next one can
    refused = _refused(waitlist.confirm_offer, first, now + timedelta(hours=50))
    assert "باز نیست" in str(refused.message)
    waitlist.confirm_offer(second, now + timedelta(hours=50))
    assert second.status == A.ACCEPTED


def test_confirming_within_48_hours_accepts_her_once(app, app_ctx):
    fair, accepted, line = _published_fair_with_waitlist()
    now = utcnow()
    applications.withdraw(accepted[0], accepted[0].shop.owner, now)
    first = line[0]
    waitlist.confirm_offer(first, now + timedelta(hours=47))
    assert first.status == A.ACCEPTED and first.decided_at is not None
    assert any("تأیید شد" in text for text in _notices(first.shop.owner))
    refused = _refused(waitlist.confirm_offer, first, now + timedelta(hours=47))
    assert refused.field == ""
    db.session.commit()
    # the lapse task finds the offer taken and does nothing; nobody else is offered a place
    outbox.drain(app, now=now + timedelta(hours=49))
    db.session.refresh(first)
    assert first.status == A.ACCEPTED and first.offer_lapsed_at is None
    assert line[1].offered_at is None


def test_the_lapse_task_and_a_confirm_that_read_the_offer_open_cannot_both_win(app, app_ctx):
    fair, accepted, line = _published_fair_with_waitlist(places=1, waitlisted=1)
    now = utcnow()
    applications.withdraw(accepted[0], accepted[0].shop.owner, now)
    db.session.commit()
    outbox.drain(app, now=now + timedelta(hours=49))  # the lapse task commits first
    first = db.session.get(Application, line[0].id)
    db.session.refresh(first)
    assert first.offer_lapsed_at is not None
    # her confirm read the row before the lapse: it still looked open to her
    set_committed_value(first, "offer_lapsed_at", None)
    assert waitlist.offer_open(first, now + timedelta(hours=47))
    refused = _refused(waitlist.confirm_offer, first, now + timedelta(hours=47))
    assert "باز نیست" in str(refused.message)
    db.session.refresh(first)
    assert first.status == A.WAITLISTED and first.offer_lapsed_at is not None


def test_declining_an_offer_by_withdrawing_passes_it_on(app_ctx):
    fair, accepted, line = _published_fair_with_waitlist()
    now = utcnow()
    applications.withdraw(accepted[0], accepted[0].shop.owner, now)
    applications.withdraw(line[0], line[0].shop.owner, now + timedelta(hours=1))
    assert waitlist.offer_open(line[1], now + timedelta(hours=1))


def test_no_offer_before_the_results_are_published_or_when_places_are_full(app_ctx):
    fair, accepted, line = _published_fair_with_waitlist(places=2)
    fair.status = "jurying"
    applications.withdraw(accepted[0], accepted[0].shop.owner, utcnow())
    assert line[0].offered_at is None
    fair.status = "published"
    fair.places = 1  # the one still accepted fills it
    assert waitlist.offer_next_place(fair, utcnow()) is None
    fair.places = 2
    assert waitlist.offer_next_place(fair, utcnow()) == line[0]


def test_waitlist_order_is_the_jurys_best_average_then_earliest_application(app_ctx):
    fair, _accepted, line = _published_fair_with_waitlist(waitlisted=4)
    line[0].submitted_at = utcnow()  # the first made became the last
    juror = UserFactory(roles={"staff"})
    for application, score in ((line[2], 3), (line[3], 4)):
        db.session.add(JuryScore(application_id=application.id, juror_id=juror.id, criterion="quality", score=score))
    db.session.flush()
    assert waitlist.waitlist_order(fair) == [line[3], line[2], line[1], line[0]]


def test_decisions_are_hidden_from_her_until_the_fair_is_published(app_ctx):
    fair = FairFactory(status="jurying")
    application = ApplicationFactory(fair=fair, status="rejected")
    assert applications.shown_status(application) == A.SUBMITTED
    fair.status = "published"
    assert applications.shown_status(application) == A.REJECTED


# ---------------------------------------------------------------- the pages


@pytest.fixture
def world(app, make_user):
    """A producer with an approved shop and four published products, another producer with her
    own application, and a fair taking applications."""
    owner = make_user(roles={"producer"}, name="فاطمه حسینی")
    rival = make_user(roles={"producer"}, name="زهرا محمدی")
    with app.app_context():
        shop = ShopFactory(owner=owner, status="approved", name="گلدوزی توس")
        products = [
            ProductFactory(shop=shop, kind="handicraft", status="published", title=f"رومیزی {n}") for n in range(4)
        ]
        draft = ProductFactory(shop=shop, status="draft", title="پیش‌نویس")
        fair = FairFactory(title="بازارچه بهاره", min_products=3, max_products=4)
        rival_shop = ShopFactory(owner=rival, status="approved", name="مربای التیمور")
        rival_application = ApplicationFactory(fair=fair, shop=rival_shop)
        db.session.commit()
        ids = {
            "fair": fair.id,
            "products": [product.id for product in products],
            "draft": draft.id,
            "rival_application": rival_application.id,
        }
    return {"owner": owner, "rival": rival, **ids}


def browser(app, login, user):
    the_client = app.test_client()
    login(user, the_client=the_client)
    return the_client


def test_the_fairs_page_lists_open_calls_and_the_dashboard_links_it(app, login, world):
    owner = browser(app, login, world["owner"])
    page = owner.get("/dashboard/fairs/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "بازارچه بهاره" in html
    assert f"/dashboard/fairs/{world['fair']}/apply" in html
    assert "مربای التیمور" not in html  # never another applicant's name
    home = owner.get("/dashboard").get_data(as_text=True)
    assert "/dashboard/fairs/" in home and "بازارچه بهاره" in home


def test_the_apply_page_shows_the_fair_her_products_and_readiness(app, login, world):
    owner = browser(app, login, world["owner"])
    page = owner.get(f"/dashboard/fairs/{world['fair']}/apply")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "رومیزی 0" in html and "۱۰۰٬۰۰۰ تومان" in html
    assert "پیش‌نویس" not in html  # only published products
    assert 'name="discount_' in html and 'name="needs_power"' in html and 'name="note"' in html
    assert "/dashboard/registration" in html and '/dashboard"' in html  # where to improve readiness
    assert "رایگان" in html  # the fee
    assert "<script" not in html.split("</head>")[1] and " style=" not in html


def test_a_refused_form_keeps_what_she_typed_with_the_persian_message(app, login, world):
    owner = browser(app, login, world["owner"])
    path = f"/dashboard/fairs/{world['fair']}/apply"
    first, second = world["products"][:2]
    response = post_form(
        owner,
        path,
        {"products": [first, second], f"discount_{first}": "۱۵", "needs_table": "y", "note": "یک میز کوچک"},
        token_from=path,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "دست‌کم ۳ محصول" in html
    assert re.search(rf'value="{first}" id="product-{first}" checked', html)
    assert re.search(rf'value="{world["products"][2]}" id="product-{world["products"][2]}">', html)
    assert re.search(rf'name="discount_{first}"[^>]*value="(15|۱۵)"', html) or re.search(
        rf'value="(15|۱۵)"[^>]*name="discount_{first}"', html
    )
    assert "یک میز کوچک" in html and re.search(r'<input checked[^>]*name="needs_table"', html)
    with app.app_context():
        assert db.session.query(Application).filter_by(fair_id=world["fair"]).count() == 1  # only the rival's


def test_a_discount_over_90_is_refused_next_to_its_product(app, login, world):
    owner = browser(app, login, world["owner"])
    path = f"/dashboard/fairs/{world['fair']}/apply"
    chosen = world["products"][:3]
    response = post_form(owner, path, {"products": chosen, f"discount_{chosen[1]}": "95"}, token_from=path)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "بین ۰ تا ۹۰ درصد" in html
    assert 'value="95"' in html


def test_applying_editing_withdrawing_through_the_pages(app, login, world):
    owner = browser(app, login, world["owner"])
    path = f"/dashboard/fairs/{world['fair']}/apply"
    chosen = world["products"][:3]
    response = post_form(
        owner, path, {"products": chosen, f"discount_{chosen[0]}": "۲۰", "needs_power": "y"}, token_from=path
    )
    assert response.status_code == 302
    page_path = response.headers["Location"]
    assert re.fullmatch(r"/dashboard/fairs/applications/\d+", page_path)
    page = owner.get(page_path).get_data(as_text=True)
    assert "دریافت شده" in page and "رومیزی" in page
    assert "برند" in page  # her readiness
    # applying again goes to her application
    assert owner.get(path).headers["Location"] == page_path
    # edit: a fourth product
    response = post_form(owner, page_path, {"products": world["products"], "needs_power": "y"}, token_from=page_path)
    assert response.status_code == 302
    with app.app_context():
        application = db.session.scalar(select(Application).where(Application.id == int(page_path.rsplit("/", 1)[1])))
        assert len(application.items) == 4 and application.needs_power
    response = post_form(owner, page_path + "/withdraw", {}, token_from=page_path)
    assert response.status_code == 302
    page = owner.get(page_path).get_data(as_text=True)
    assert "انصراف" in page and "دوباره" in page


def test_another_producers_application_is_404(app, login, world):
    owner = browser(app, login, world["owner"])
    other = f"/dashboard/fairs/applications/{world['rival_application']}"
    assert owner.get(other).status_code == 404
    mine = browser(app, login, world["rival"])
    token_page = "/dashboard/fairs/"
    assert post_form(owner, other + "/withdraw", {}, token_from=token_page).status_code == 404
    assert post_form(owner, other + "/confirm", {}, token_from=token_page).status_code == 404
    assert mine.get(other).status_code == 200


def test_buyers_and_visitors_do_not_reach_the_pages(app, client, make_user, login, world):
    assert client.get("/dashboard/fairs/").status_code == 302
    buyer = browser(app, login, make_user(name="علی"))
    assert buyer.get("/dashboard/fairs/").status_code == 403


def test_the_application_page_shows_the_decision_and_the_offer_to_confirm(app, login, world):
    with app.app_context():
        fair = FairFactory(status="published", places=1)
        winner = ApplicationFactory(fair=fair, status="accepted")
        mine = ApplicationFactory(fair=fair, shop=owned_shop(db.session.merge(world["owner"])), status="waitlisted")
        mine.decision_message = "محصولات زیبایی دارید؛ در فهرست انتظارید."
        applications.withdraw(winner, winner.shop.owner, utcnow())
        db.session.commit()
        mine_id = mine.id
    owner = browser(app, login, world["owner"])
    path = f"/dashboard/fairs/applications/{mine_id}"
    html = owner.get(path).get_data(as_text=True)
    assert "فهرست انتظار" in html and "محصولات زیبایی دارید" in html
    assert f"/dashboard/fairs/applications/{mine_id}/confirm" in html
    assert re.search(r"[۰-۹]{4}", html)
    response = post_form(owner, path + "/confirm", {}, token_from=path)
    assert response.status_code == 302
    html = owner.get(path).get_data(as_text=True)
    assert "پذیرفته" in html and "/confirm" not in html
    # discounts only, now that the deadline is behind her
    assert 'name="products"' not in html


def test_the_decision_stays_hidden_before_publishing(app, login, world):
    with app.app_context():
        fair = FairFactory(status="jurying")
        mine = ApplicationFactory(fair=fair, shop=owned_shop(db.session.merge(world["owner"])), status="rejected")
        mine.decision_message = "این بار نه"
        db.session.commit()
        mine_id = mine.id
    owner = browser(app, login, world["owner"])
    html = owner.get(f"/dashboard/fairs/applications/{mine_id}").get_data(as_text=True)
    assert "این بار نه" not in html and "دریافت شد" in html
