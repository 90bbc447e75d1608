"""The jury: scoring rules, the board's averages, spread and shares, decisions against places and
quotas, decisions told only when the fair publishes, the applicant's anonymous feedback, and the
staff pages (staff only, blind review)."""

import re

import pytest
from flask import render_template

from marketplace.accounts.models import Notification
from marketplace.bazaar import jury, jury_board, services
from marketplace.bazaar.models import Application, ApplicationStatus, FairDecision, JuryScore
from marketplace.catalog.models import Category
from marketplace.core.errors import RuleError
from marketplace.extensions import db
from tests.conftest import post_form
from tests.factories import ApplicationFactory, FairFactory, ShopFactory, UserFactory, category_id

ALL_FOUR = ("quality", "presentation", "readiness", "fit")


def _scores(*values):
    return dict(zip(ALL_FOUR, values, strict=True))


def _staff(name="داور"):
    return UserFactory(roles={"staff"}, display_name=name)


def _food_top() -> Category:
    return db.session.get(Category, category_id("pickles")).top


def _refusal(call) -> str:
    with pytest.raises(RuleError) as refused:
        call()
    return str(refused.value.message)


# ---------------------------------------------------------------- scoring


def test_a_juror_scores_every_criterion_and_scoring_again_updates_her_rows(app_ctx):
    fair = FairFactory(status="jurying")
    application = ApplicationFactory(fair=fair)
    juror = _staff()
    jury.score(application, juror, _scores(5, 4, "۳", "2"), {"quality": "  دوخت تمیز  "})
    jury.score(application, juror, _scores(4, 4, 3, 2), {"quality": "دوخت تمیز و ظریف"})
    rows = db.session.query(JuryScore).filter_by(application_id=application.id).order_by(JuryScore.criterion).all()
    assert [(row.criterion, row.score) for row in rows] == [
        ("fit", 2),
        ("presentation", 4),
        ("quality", 4),
        ("readiness", 3),
    ]
    assert {row.criterion: row.comment for row in rows}["quality"] == "دوخت تمیز و ظریف"


def test_only_staff_are_jurors(app_ctx):
    application = ApplicationFactory(fair=FairFactory(status="jurying"))
    producer = UserFactory(roles={"producer"})
    assert _refusal(lambda: jury.score(application, producer, _scores(3, 3, 3, 3), {})) == (
        "فقط کارشناسان مرکز می‌توانند داور باشند."
    )


def test_a_juror_may_not_score_her_own_shop(app_ctx):
    juror = UserFactory(roles={"staff", "producer"})
    shop = ShopFactory(owner=juror, status="approved")
    application = ApplicationFactory(fair=FairFactory(status="jurying"), shop=shop)
    assert _refusal(lambda: jury.score(application, juror, _scores(5, 5, 5, 5), {})) == (
        "شما نمی‌توانید به درخواستِ فروشگاه خودتان امتیاز بدهید."
    )
    assert db.session.query(JuryScore).count() == 0


@pytest.mark.parametrize("status", ["applications_open", "published", "closed"])
def test_scores_only_while_the_fair_is_being_juried(app_ctx, status):
    application = ApplicationFactory(fair=FairFactory(status=status))
    assert _refusal(lambda: jury.score(application, _staff(), _scores(3, 3, 3, 3), {})) == (
        "فقط در زمان داوریِ بازارچه می‌شود امتیاز داد."
    )


def test_every_criterion_needs_a_whole_score_from_one_to_five(app_ctx):
    application = ApplicationFactory(fair=FairFactory(status="jurying"))
    with pytest.raises(jury.ScoreErrors) as refused:
        jury.score(application, _staff(), {"quality": 6, "presentation": "0", "readiness": "3.5"}, {})
    errors = {field: str(message) for field, message in refused.value.errors}
    assert set(errors) == {"score-quality", "score-presentation", "score-readiness", "score-fit"}
    assert errors["score-fit"].startswith("برای «") and "امتیازی از ۱ تا ۵ انتخاب کنید" in errors["score-fit"]
    assert db.session.query(JuryScore).count() == 0


# ---------------------------------------------------------------- the board


def test_the_board_gives_per_criterion_and_overall_averages_and_the_jurors_spread(app_ctx):
    fair = FairFactory(status="jurying")
    middling, strong, unscored = (ApplicationFactory(fair=fair) for _ in range(3))
    first, second = _staff("داور یک"), _staff("داور دو")
    jury.score(middling, first, _scores(5, 4, 4, 3), {})  # her mean 4
    jury.score(middling, second, _scores(3, 2, 2, 1), {})  # his mean 2
    jury.score(strong, first, _scores(5, 5, 4, 4), {})
    board = jury_board.board(fair)
    assert [row.application.id for row in board.rows] == [strong.id, middling.id, unscored.id]
    row = board.rows[1]
    assert row.criteria == {"quality": 4.0, "presentation": 3.0, "readiness": 3.0, "fit": 2.0}
    assert (row.average, row.spread, row.jurors) == (3.0, 2.0, 2)
    assert (board.rows[0].average, board.rows[0].spread, board.rows[0].jurors) == (4.5, 0.0, 1)
    assert (board.rows[2].average, board.rows[2].jurors) == (None, 0)
    assert board.rows[0].readiness.items_total >= 0 and board.rows[0].number == 2


def test_the_board_hides_scores_from_a_juror_until_she_has_scored(app_ctx):
    fair = FairFactory(status="jurying")
    application = ApplicationFactory(fair=fair)
    first, second = _staff(), _staff()
    jury.score(application, first, _scores(4, 4, 4, 4), {})
    assert jury_board.board(fair, second, reveal=False).rows[0].hidden
    assert not jury_board.board(fair, second, reveal=True).rows[0].hidden
    assert not jury_board.board(fair, first, reveal=False).rows[0].hidden


def test_the_board_counts_quotas_first_timers_and_places_left(app_ctx):
    food = _food_top()
    fair = FairFactory(status="jurying", places=10, first_timer_percent=30, quotas={food.id: 25})
    ApplicationFactory(fair=fair, kind="food", status="accepted", first_timer=False)
    ApplicationFactory(fair=fair, status="accepted", first_timer=True)
    ApplicationFactory(fair=fair, status="submitted", first_timer=True)
    ApplicationFactory(fair=fair, status="withdrawn")
    board = jury_board.board(fair)
    assert len(board.rows) == 3  # the withdrawn one is left out
    assert (board.accepted, board.places_left) == (2, 8)
    assert (board.first_timer_target, board.first_timers_accepted, board.first_timers_waiting) == (3, 1, 1)
    [quota] = board.quotas
    assert (quota.category.id, quota.limit, quota.accepted, quota.full) == (food.id, 2, 1, False)


def test_a_share_of_places_rounds_down_but_a_quota_above_zero_keeps_one_place():
    assert jury.share_of_places(10, 25) == 2
    assert jury.share_of_places(10, 5) == 1
    assert jury.share_of_places(10, 0) == 0
    assert jury.share_of_places(7, 100) == 7


# ---------------------------------------------------------------- deciding


def test_an_accept_over_the_category_quota_is_refused_naming_the_category_and_numbers(app_ctx):
    food = _food_top()
    fair = FairFactory(status="jurying", places=10, quotas={food.id: 20})
    ApplicationFactory(fair=fair, kind="food", status="accepted")
    ApplicationFactory(fair=fair, kind="food", status="accepted")
    third = ApplicationFactory(fair=fair, kind="food")
    message = _refusal(lambda: jury.decide(third, _staff(), "accept", ""))
    assert message == "سهمیهٔ «خوراکی خانگی» پر است: 2 جا از 2 جا (20 درصدِ 10 جا) گرفته شده است."
    assert third.status == ApplicationStatus.SUBMITTED
    other = ApplicationFactory(fair=fair, kind="handicraft")
    jury.decide(other, _staff(), "accept", "")  # other categories are not held back
    assert other.status == ApplicationStatus.ACCEPTED


def test_an_accept_when_every_place_is_taken_is_refused(app_ctx):
    fair = FairFactory(status="jurying", places=2)
    ApplicationFactory(fair=fair, status="accepted")
    ApplicationFactory(fair=fair, status="accepted")
    late = ApplicationFactory(fair=fair)
    message = _refusal(lambda: jury.decide(late, _staff(), "accept", ""))
    assert message.startswith("همهٔ 2 جای بازارچه پر شده است.")
    jury.decide(late, _staff(), "waitlist", "")
    assert late.status == ApplicationStatus.WAITLISTED


def test_a_decision_is_recorded_and_nobody_is_told_until_the_fair_publishes(app_ctx):
    fair = FairFactory(status="jurying")
    application = ApplicationFactory(fair=fair)
    staff = _staff()
    assert jury.decide(application, staff, "reject", "  عکس‌ها  را روشن‌تر بگیرید ") == []
    assert application.status == ApplicationStatus.REJECTED
    assert application.decision_message == "عکس‌ها را روشن‌تر بگیرید"
    trail = db.session.query(FairDecision).filter_by(application_id=application.id).one()
    assert (trail.action, trail.from_status, trail.to_status, trail.actor_id) == (
        "reject",
        "submitted",
        "rejected",
        staff.id,
    )
    assert db.session.query(Notification).count() == 0


@pytest.mark.parametrize("status", ["applications_open", "published"])
def test_decisions_only_while_the_fair_is_being_juried(app_ctx, status):
    application = ApplicationFactory(fair=FairFactory(status=status))
    assert _refusal(lambda: jury.decide(application, _staff(), "accept", "")) == (
        "فقط در زمان داوریِ بازارچه می‌شود تصمیم گرفت."
    )


def test_an_unknown_decision_and_a_non_staff_decider_are_refused(app_ctx):
    application = ApplicationFactory(fair=FairFactory(status="jurying"))
    assert _refusal(lambda: jury.decide(application, _staff(), "maybe", "")) == (
        "یکی را انتخاب کنید: پذیرفتن، فهرست انتظار یا نپذیرفتن."
    )
    assert _refusal(lambda: jury.decide(application, UserFactory(roles={"producer"}), "accept", "")) == (
        "فقط کارشناسان مرکز می‌توانند دربارهٔ درخواست‌ها تصمیم بگیرند."
    )


def test_accepting_a_returning_producer_warns_when_first_timers_would_run_short(app_ctx):
    fair = FairFactory(status="jurying", places=2, first_timer_percent=50)  # one place kept
    returning = [ApplicationFactory(fair=fair, first_timer=False) for _ in range(2)]
    waiting_first_timer = ApplicationFactory(fair=fair, first_timer=True)
    assert jury.decide(returning[0], _staff(), "accept", "") == []
    [warning] = jury.decide(returning[1], _staff(), "accept", "")
    assert str(warning).startswith("دقت کنید: 1 جا برای کسانی که بار اول می‌آیند")
    assert returning[1].status == ApplicationStatus.ACCEPTED  # a warning, not a refusal
    assert jury_board.board(fair).first_timers_waiting == 1 and waiting_first_timer.status == "submitted"


# ---------------------------------------------------------------- publishing and feedback


def test_publishing_tells_every_applicant_her_decision_with_the_message_and_a_link(app_ctx):
    fair = FairFactory(status="jurying", title="بازارچه پاییزه")
    staff = _staff()
    accepted, waitlisted, rejected = (ApplicationFactory(fair=fair) for _ in range(3))
    withdrawn = ApplicationFactory(fair=fair, status="withdrawn")
    jury.decide(accepted, staff, "accept", "")
    jury.decide(waitlisted, staff, "waitlist", "")
    jury.decide(rejected, staff, "reject", "عکس‌ها را در نور روز بگیرید.")
    services.move_fair(fair, "publish", staff)
    notices = {row.user_id: row for row in db.session.query(Notification)}
    assert withdrawn.shop.owner_id not in notices
    assert notices[accepted.shop.owner_id].text == (
        "خبر خوب! شما در «بازارچه پاییزه» غرفه دارید. صفحه را باز کنید تا قدم‌های بعدی را ببینید."
    )
    assert notices[waitlisted.shop.owner_id].text.startswith("شما در فهرست انتظارِ «بازارچه پاییزه» هستید.")
    assert notices[rejected.shop.owner_id].text == (
        "درخواست شما برای «بازارچه پاییزه» این بار پذیرفته نشد. راهنماییِ داوران می‌تواند دفعهٔ بعد به شما کمک کند."
        " پیام مرکز: عکس‌ها را در نور روز بگیرید."
    )
    assert notices[accepted.shop.owner_id].link == f"/dashboard/fairs/applications/{accepted.id}"


def test_feedback_shows_after_publishing_only_and_never_a_jurors_name(app_ctx):
    fair = FairFactory(status="jurying")
    application = ApplicationFactory(fair=fair)
    first, second = _staff("فاطمه داوری"), _staff("زهرا قاضی")
    jury.score(application, first, _scores(4, 3, 5, 4), {"presentation": "بسته‌بندی ساده‌تر باشد"})
    jury.score(application, second, _scores(2, 3, 5, 4), {"quality": "لبه‌ها را تمیزتر بدوزید"})
    assert jury.feedback_for(application) is None
    jury.decide(application, first, "reject", "")
    services.move_fair(fair, "publish", first)
    feedback = jury.feedback_for(application)
    assert [(key, value) for key, _title, value in feedback.criteria] == [
        ("quality", 3.0),
        ("presentation", 3.0),
        ("readiness", 5.0),
        ("fit", 4.0),
    ]
    assert [comment for _title, comment in feedback.comments] == ["لبه‌ها را تمیزتر بدوزید", "بسته‌بندی ساده‌تر باشد"]
    html = render_template("bazaar/producer/_feedback.html", application=application)
    assert "لبه‌ها را تمیزتر بدوزید" in html and "۳٫۰ از ۵" in html
    assert "فاطمه" not in html and "زهرا" not in html
    fair.show_feedback = False
    assert jury.feedback_for(application) is None
    assert render_template("bazaar/producer/_feedback.html", application=application).strip() == ""


# ---------------------------------------------------------------- the staff pages


def _jurying_fair(make, **fields):
    fair = make(FairFactory, status="jurying", **fields)
    application = make(ApplicationFactory, fair=fair)
    return fair, application


def test_only_staff_reach_the_jury_pages(client, login, producer, make):
    fair, application = _jurying_fair(make)
    login(producer)
    assert client.get(f"/staff/fairs/{fair.id}/jury").status_code == 403
    assert client.get(f"/staff/fairs/{fair.id}/jury/{application.id}").status_code == 403
    response = post_form(
        client, f"/staff/fairs/{fair.id}/jury/{application.id}/decide", {"decision": "accept"}, token_from="/account"
    )
    assert response.status_code == 403


def test_a_juror_scores_through_the_page_and_then_sees_the_other_jurors(app, client, login, staff, make):
    fair, application = _jurying_fair(make)
    other = make(UserFactory, roles=frozenset({"staff"}), display_name="داور دیگر")
    with app.app_context():
        jury.score(
            db.session.get(Application, application.id),
            db.session.merge(other),
            _scores(2, 2, 2, 2),
            {"fit": "نظر دیگر"},
        )
        db.session.commit()
    login(staff)
    path = f"/staff/fairs/{fair.id}/jury/{application.id}"
    page = client.get(path).get_data(as_text=True)
    assert "داور دیگر" not in page and "نظر دیگر" not in page  # hidden until she scores
    form = {f"score-{key}": "۴" for key in ALL_FOUR} | {"comment-quality": "کار تمیز"}
    response = post_form(client, path, form, token_from=path)
    assert response.status_code == 302
    page = client.get(path).get_data(as_text=True)
    assert "امتیازهای شما ذخیره شد." in page
    assert "داور دیگر" in page and "نظر دیگر" in page
    assert re.search(r'name="score-quality" value="4" checked', page)
    with app.app_context():
        assert db.session.query(JuryScore).filter_by(juror_id=staff.id).count() == 4


def test_a_missing_score_is_shown_next_to_its_criterion_and_keeps_what_was_typed(client, login, staff, make):
    fair, application = _jurying_fair(make)
    login(staff)
    path = f"/staff/fairs/{fair.id}/jury/{application.id}"
    form = {"score-quality": "5", "score-presentation": "4", "score-readiness": "3", "comment-fit": "نمی‌دانم"}
    page = post_form(client, path, form, token_from=path).get_data(as_text=True)
    assert "امتیازی از ۱ تا ۵ انتخاب کنید" in page
    assert 'id="score-fit-error"' in page and "نمی‌دانم" in page
    assert re.search(r'name="score-quality" value="5" checked', page)


def test_deciding_through_the_page_refuses_a_full_quota_in_persian(app, client, login, staff, make):
    with app.app_context():
        food_id = _food_top().id
    fair = make(FairFactory, status="jurying", places=5, quotas={food_id: 20})
    make(ApplicationFactory, fair=fair, kind="food", status="accepted")
    application = make(ApplicationFactory, fair=fair, kind="food")
    login(staff)
    path = f"/staff/fairs/{fair.id}/jury/{application.id}"
    response = post_form(client, f"{path}/decide", {"decision": "accept", "message": "خوش آمدید"}, token_from=path)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "سهمیهٔ «خوراکی خانگی» پر است: ۱ جا از ۱ جا (۲۰ درصدِ ۵ جا) گرفته شده است." in page
    response = post_form(client, f"{path}/decide", {"decision": "waitlist", "message": "خوش آمدید"}, token_from=path)
    with app.app_context():
        saved = db.session.get(Application, application.id)
        assert (saved.status, saved.decision_message) == ("waitlisted", "خوش آمدید")


def test_blind_review_hides_names_and_the_logo_but_keeps_product_photos(app, client, login, staff, make):
    fair, application = _jurying_fair(make, blind_review=True)
    with app.app_context():
        saved = db.session.get(Application, application.id)
        saved.shop.logo_files = {"56": "logos/a-56.webp", "112": "logos/a-112.webp", "192": "logos/a-192.webp"}
        shop_name, owner_name = saved.shop.name, saved.shop.owner.display_name
        db.session.commit()
    login(staff)
    board = client.get(f"/staff/fairs/{fair.id}/jury").get_data(as_text=True)
    page = client.get(f"/staff/fairs/{fair.id}/jury/{application.id}").get_data(as_text=True)
    for html in (board, page):
        assert "متقاضی ۱" in html
        assert shop_name not in html and owner_name not in html
    assert "a-192.webp" not in page
    with app.app_context():
        db.session.get(Application, application.id).fair.blind_review = False
        db.session.commit()
    page = client.get(f"/staff/fairs/{fair.id}/jury/{application.id}").get_data(as_text=True)
    assert shop_name in page and "a-192.webp" in page


def test_the_board_page_shows_averages_and_quota_bars(app, client, login, staff, make):
    with app.app_context():
        food_id = _food_top().id
    fair = make(FairFactory, status="jurying", places=10, quotas={food_id: 30})
    application = make(ApplicationFactory, fair=fair, kind="food")
    with app.app_context():
        jury.score(db.session.get(Application, application.id), UserFactory(roles={"staff"}), _scores(5, 4, 4, 4), {})
        db.session.commit()
    login(staff)
    hidden = client.get(f"/staff/fairs/{fair.id}/jury").get_data(as_text=True)
    assert "۴٫۲" not in hidden and "پنهان" in hidden
    board = client.get(f"/staff/fairs/{fair.id}/jury?all=1").get_data(as_text=True)
    assert "۴٫۲" in board  # (5+4+4+4)/4 = 4.25, shown with one decimal
    assert "خوراکی خانگی: ۰ از ۳ جا" in board and 'class="jury-bar' in board
    assert "style=" not in board


def test_a_decision_without_a_button_is_refused_with_a_message(app, client, login, staff, make):
    fair, application = _jurying_fair(make)
    login(staff)
    path = f"/staff/fairs/{fair.id}/jury/{application.id}"
    response = post_form(client, f"{path}/decide", {"message": "سلام"}, token_from=path)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "یکی را انتخاب کنید: پذیرفتن، فهرست انتظار یا نپذیرفتن." in page
    with app.app_context():
        assert db.session.get(Application, application.id).status == "submitted"
