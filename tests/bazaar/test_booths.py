"""Booths: the layout, the automatic assignment (needs, neighbours, first-timers), placing by hand,
the booth-assigned notice, and the map as SVG."""

import xml.etree.ElementTree as ET

import pytest

from marketplace.accounts.models import Notification
from marketplace.bazaar import booth_map, booths
from marketplace.bazaar.models import Application, BoothSize, FairStatus
from marketplace.core.errors import RuleError
from marketplace.core.persian import to_persian_digits
from marketplace.extensions import db
from tests.conftest import post_form
from tests.factories import ApplicationFactory, FairFactory, ShopFactory

SVG = "{http://www.w3.org/2000/svg}"


def _accepted(fair, kind="handicraft", first_timer=False, **needs):
    application = ApplicationFactory(fair=fair, kind=kind, status="accepted", first_timer=first_timer)
    for name, value in needs.items():
        setattr(application, name, value)
    db.session.flush()
    return application


def _grid(fair, rows, cols, prefix="A"):
    zone = booths.add_zone(fair, f"سالن {prefix}", rows, cols, prefix)
    return {(booth.row, booth.col): booth for booth in zone.booths}


def _notices(application):
    return db.session.query(Notification).filter_by(user_id=application.shop.owner_id).all()


# ---------------------------------------------------------------- layout


def test_a_zone_is_a_grid_of_coded_booths_with_corners_and_the_entrance_row(app_ctx):
    fair = FairFactory()
    zone = booths.add_zone(fair, "  سالن   الف ", 2, 3, "b")
    assert zone.name == "سالن الف"
    assert [booth.code for booth in zone.booths] == ["B-01", "B-02", "B-03", "B-04", "B-05", "B-06"]
    corners = {(booth.row, booth.col) for booth in zone.booths if booth.is_corner}
    assert corners == {(0, 0), (0, 2), (1, 0), (1, 2)}
    assert [booth.near_entrance for booth in zone.booths] == [True, True, True, False, False, False]
    second = booths.add_zone(fair, "حیاط", 1, 2, "C", entrance_first_row=False)
    assert second.position == zone.position + 1
    assert not any(booth.near_entrance for booth in second.booths)


def test_booth_codes_stay_unique_in_the_fair_and_bad_grids_are_refused(app_ctx):
    fair = FairFactory()
    booths.add_zone(fair, "سالن الف", 1, 3, "A")
    with pytest.raises(RuleError) as refused:
        booths.add_zone(fair, "سالن ب", 1, 3, "a")
    assert refused.value.field == "prefix"
    assert str(refused.value.message) == "کد غرفه‌هایی که با A شروع می‌شوند در این بازارچه هست. پیشوند دیگری بنویسید."
    with pytest.raises(RuleError) as refused:
        booths.add_zone(fair, "سالن الف", 1, 3, "D")
    assert refused.value.field == "name"
    for rows, cols, field in ((0, 3, "rows"), (21, 3, "rows"), (2, 0, "cols"), (2, 31, "cols")):
        with pytest.raises(RuleError) as refused:
            booths.add_zone(fair, "سالن ت", rows, cols, "T")
        assert refused.value.field == field
    with pytest.raises(RuleError) as refused:
        booths.add_zone(fair, "سالن ت", 1, 1, "غرفه")
    assert refused.value.field == "prefix"


def test_a_booth_changes_and_a_closed_fair_keeps_its_layout(app_ctx):
    fair = FairFactory()
    cells = _grid(fair, 1, 2)
    booths.update_booth(cells[(0, 1)], BoothSize.LARGE, True, False, False)
    assert cells[(0, 1)].size == "large" and cells[(0, 1)].has_power and not cells[(0, 1)].near_entrance
    with pytest.raises(RuleError):
        booths.update_booth(cells[(0, 1)], "huge", True, False, False)
    fair.status = FairStatus.CLOSED
    with pytest.raises(RuleError) as refused:
        booths.add_zone(fair, "حیاط", 1, 1, "Z")
    assert str(refused.value.message) == "این بازارچه بسته شده است و غرفه‌هایش همان‌طور که بود می‌ماند."
    with pytest.raises(RuleError):
        booths.update_booth(cells[(0, 0)], BoothSize.SMALL, False, False, False)


def test_a_zone_with_a_placed_producer_cannot_be_removed(app_ctx):
    fair = FairFactory()
    cells = _grid(fair, 1, 2)
    empty = booths.add_zone(fair, "حیاط", 1, 2, "Y")
    booths.remove_zone(empty)
    assert [booth.code for booth in fair.booths] == ["A-01", "A-02"]
    application = _accepted(fair)
    booths.place(application, cells[(0, 0)])
    with pytest.raises(RuleError) as refused:
        booths.remove_zone(cells[(0, 0)].zone)
    assert "سالن A" in str(refused.value.message)


# ---------------------------------------------------------------- assignment


def test_assignment_gives_power_to_those_who_need_it_and_room_to_two_people(app_ctx):
    fair = FairFactory()
    cells = _grid(fair, 1, 4)
    for col in range(4):
        booths.update_booth(cells[(0, col)], BoothSize.SMALL, col == 3, False, False)
    booths.update_booth(cells[(0, 1)], BoothSize.MEDIUM, False, False, False)
    plain = _accepted(fair)
    power = _accepted(fair, kind="food", needs_power=True)
    pair = _accepted(fair, kind="textile", two_people=True, needs_table=True)
    report = booths.assign_booths(fair)
    assert power.booth.code == "A-04"
    assert pair.booth.code == "A-02"
    assert plain.booth is not None and not plain.booth.has_power
    assert report.placed == 3 and report.problems == [] and report.unplaced == []


def test_what_could_not_be_met_is_reported(app_ctx):
    fair = FairFactory()
    cells = _grid(fair, 1, 3)
    for col in range(3):
        booths.update_booth(cells[(0, col)], BoothSize.SMALL, col == 0, False, False)
    first = _accepted(fair, needs_power=True)
    second = _accepted(fair, kind="food", needs_power=True)
    pair = _accepted(fair, kind="textile", two_people=True)
    report = booths.assign_booths(fair)
    assert first.booth.code == "A-01" and second.booth is None and pair.booth is None
    assert report.unplaced == [second, pair]
    assert [str(problem) for problem in report.problems] == [
        "2 تولیدکننده برق لازم دارند، ولی فقط 1 غرفهٔ برق‌دار خالی است.",
        "1 تولیدکننده با دو نفر می‌آیند، ولی فقط 0 غرفهٔ متوسط یا بزرگ خالی است.",
    ]


def test_neighbours_sell_different_kinds_of_products_when_the_hall_allows_it(app_ctx):
    fair = FairFactory()
    _grid(fair, 2, 3)
    # Made in an order that clusters them if the rule is missing: three food, then three handicraft.
    people = [_accepted(fair, kind="food") for _ in range(3)] + [_accepted(fair) for _ in range(3)]
    report = booths.assign_booths(fair)
    assert report.same_category_pairs == 0
    placed = [application.booth for application in people]
    for i, application in enumerate(people):
        for other in people[i + 1 :]:
            if booths.neighbours(application.booth, other.booth):
                assert application.category_id != other.category_id
    assert len({booth.id for booth in placed}) == 6


def test_first_timers_are_spread_and_some_stand_near_the_entrance(app_ctx):
    fair = FairFactory()
    _grid(fair, 2, 4)
    people = []
    for i in range(8):  # one kind for all: only the first-timer rule separates them
        people.append(_accepted(fair, first_timer=i % 2 == 0))
    booths.assign_booths(fair)
    newcomers = [application.booth for application in people if application.first_timer]
    for i, booth in enumerate(newcomers):
        for other in newcomers[i + 1 :]:
            assert not booths.neighbours(booth, other), (booth.code, other.code)
    assert any(booth.near_entrance for booth in newcomers)
    assert not all(booth.near_entrance for booth in newcomers)


def test_a_hand_placed_producer_keeps_her_booth_when_the_assignment_runs_again(app_ctx):
    fair = FairFactory()
    cells = _grid(fair, 1, 3)
    mine = _accepted(fair)
    other = _accepted(fair, kind="food")
    booths.place(mine, cells[(0, 2)])
    assert mine.booth_locked
    report = booths.assign_booths(fair)
    assert mine.booth.code == "A-03" and report.kept == 1
    assert other.booth is not None and other.booth.code != "A-03"
    booths.unplace(mine)
    assert mine.booth is None and not mine.booth_locked


def test_a_taken_booth_or_one_of_another_fair_is_refused(app_ctx):
    fair = FairFactory()
    cells = _grid(fair, 1, 2)
    first, second = _accepted(fair), _accepted(fair, kind="food")
    booths.place(first, cells[(0, 0)])
    with pytest.raises(RuleError) as refused:
        booths.place(second, cells[(0, 0)])
    assert refused.value.field == "booth"
    assert str(refused.value.message) == f"غرفهٔ A-01 را پیش‌تر به «{first.shop.name}» داده‌اید."
    elsewhere = FairFactory()
    far = booths.add_zone(elsewhere, "سالن", 1, 1, "Q").booths[0]
    with pytest.raises(RuleError) as refused:
        booths.place(second, far)
    assert str(refused.value.message) == "این غرفه مال بازارچهٔ دیگری است."
    waiting = ApplicationFactory(fair=fair, status="waitlisted")
    with pytest.raises(RuleError):
        booths.place(waiting, cells[(0, 1)])


def test_she_is_told_her_booth_once_per_change(app_ctx):
    fair = FairFactory()
    cells = _grid(fair, 1, 3)
    application = _accepted(fair)
    booths.assign_booths(fair)
    notices = _notices(application)
    assert len(notices) == 1
    assert application.booth.code in notices[0].text and fair.title in notices[0].text
    assert notices[0].link == f"/dashboard/fairs/applications/{application.id}/booth"
    booths.assign_booths(fair)
    booths.assign_booths(fair)
    assert len(_notices(application)) == 1
    booths.place(application, cells[(0, 2)])
    booths.place(application, cells[(0, 2)])
    assert len(_notices(application)) == 2
    assert application.pass_code and len(application.pass_code) == 8


# ---------------------------------------------------------------- the map


def test_the_map_is_valid_svg_with_codes_and_escaped_names(app_ctx):
    fair = FairFactory()
    cells = _grid(fair, 2, 2)
    booths.update_booth(cells[(1, 1)], BoothSize.MEDIUM, True, True, False)
    tricky = ShopFactory(name='<b>گل & "سنبل"</b>', status="approved")
    application = ApplicationFactory(fair=fair, shop=tricky, status="accepted")
    booths.place(application, cells[(0, 1)])
    svg = booth_map.map_svg(fair, highlight_application_id=application.id)
    root = ET.fromstring(svg)  # noqa: S314 (our own SVG; parsing it shows every name is escaped)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img" and root.get("aria-label")
    assert root.find(f"{SVG}title").text == f"نقشهٔ غرفه‌های {fair.title}"
    texts = ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]
    assert {"A-01", "A-02", "A-03", "A-04"} <= set(texts)
    assert '<b>گل & "سنبل"</b>'[:15] in "".join(texts)
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert "غرفهٔ شما" in texts  # her booth is marked
    zones = [group for group in root.iter(f"{SVG}g") if group.get("class") == "zone"]
    assert [zone.get("aria-label") for zone in zones] == ["بخش سالن A"]
    assert "ورودی" in "".join(texts) and "برق" in texts
    anonymous = booth_map.map_svg(fair, show_names=False)
    assert "سنبل" not in anonymous and "A-02" in anonymous


def test_the_text_list_beside_the_map_names_each_booth(app_ctx):
    fair = FairFactory()
    cells = _grid(fair, 1, 2)
    application = _accepted(fair, kind="food")
    booths.place(application, cells[(0, 1)])
    rows = booth_map.map_rows(fair)
    assert [(row.booth.code, row.application) for row in rows] == [("A-01", None), ("A-02", application)]
    assert rows[1].category_name and rows[1].fill != booth_map.EMPTY_FILL
    assert db.session.get(Application, application.id).booth_id == cells[(0, 1)].id


# ---------------------------------------------------------------- pages


def _layout_fair(app, make, status="jurying"):
    fair = make(FairFactory, status=status)
    with app.test_request_context():
        booths.add_zone(db.session.merge(fair), "سالن الف", 1, 3, "A")
        db.session.commit()
    return fair


def test_staff_build_the_layout_and_assign_booths_through_the_page(app, client, staff, login, make):
    fair = _layout_fair(app, make)
    application = make(ApplicationFactory, fair=fair, status="accepted")
    with app.app_context():
        shop_name = db.session.get(Application, application.id).shop.name
    login(staff)
    page = f"/staff/fairs/{fair.id}/booths"
    html = client.get(page).get_data(as_text=True)
    assert "A-01" in html and "A-03" in html and shop_name in html
    response = post_form(
        client,
        f"{page}/zones",
        {"name": "حیاط", "rows": "۲", "cols": "۲", "prefix": "b", "entrance_first_row": "y"},
        token_from=page,
    )
    assert response.status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "B-04" in html
    refused = post_form(
        client, f"{page}/zones", {"name": "ایوان", "rows": "1", "cols": "2", "prefix": "A"}, token_from=page
    )
    assert refused.status_code == 422
    assert "کد غرفه‌هایی که با A شروع می‌شوند در این بازارچه هست." in refused.get_data(as_text=True)
    assigned = post_form(client, f"{page}/assign", {}, token_from=page, follow_redirects=True)
    assert "غرفه‌ها چیده شد" in assigned.get_data(as_text=True)
    with app.app_context():
        placed = db.session.get(Application, application.id)
        assert placed.booth is not None and not placed.booth_locked
        assert db.session.query(Notification).filter_by(user_id=placed.shop.owner_id).count() == 1


def test_placing_by_hand_refuses_a_taken_booth_on_the_page(app, client, staff, login, make):
    fair = _layout_fair(app, make)
    first = make(ApplicationFactory, fair=fair, status="accepted")
    second = make(ApplicationFactory, fair=fair, status="accepted", kind="food")
    with app.app_context():
        booth_id = db.session.merge(fair).booths[0].id
        first_name = db.session.get(Application, first.id).shop.name
    login(staff)
    page = f"/staff/fairs/{fair.id}/booths"
    ok = post_form(client, f"{page}/place", {"application": first.id, "booth": booth_id}, token_from=page)
    assert ok.status_code == 302
    taken = post_form(client, f"{page}/place", {"application": second.id, "booth": booth_id}, token_from=page)
    assert taken.status_code == 422
    # shown next to the booth field, digits in Persian
    assert to_persian_digits(f"غرفهٔ A-01 را پیش‌تر به «{first_name}» داده‌اید.") in taken.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Application, first.id).booth_locked
        assert db.session.get(Application, second.id).booth_id is None


def test_the_printable_map_page_has_the_svg_and_a_table(app, client, staff, producer, login, make):
    fair = _layout_fair(app, make)
    login(staff)
    html = client.get(f"/staff/fairs/{fair.id}/booths/map").get_data(as_text=True)
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'role="img"' in html
    assert "<table" in html and "A-02" in html
    other = app.test_client()
    login(producer, the_client=other)
    assert other.get(f"/staff/fairs/{fair.id}/booths/map").status_code == 403
    assert other.get(f"/staff/fairs/{fair.id}/booths").status_code == 403


def test_the_public_map_shows_a_published_fairs_accepted_shops_only(app, client, make):
    fair = _layout_fair(app, make, status="published")
    shop = make(ShopFactory, name="عسل <کوهستان>", status="approved")
    accepted_one = make(ApplicationFactory, fair=fair, shop=shop, status="accepted")
    waiting = make(ApplicationFactory, fair=fair, status="waitlisted")
    with app.test_request_context():
        waiting_name = db.session.get(Application, waiting.id).shop.name
        booths.assign_booths(db.session.merge(fair))
        db.session.commit()
    response = client.get(f"/bazaar/{fair.slug}/map.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    ET.fromstring(svg)  # noqa: S314 (our own SVG)
    assert "عسل &lt;کوهستان&gt;" in svg and waiting_name not in svg
    assert accepted_one.id
    draft = make(FairFactory, status="jurying")
    assert client.get(f"/bazaar/{draft.slug}/map.svg").status_code == 404
