"""Staff: the fair's booth layout (zones, booths), the automatic assignment, placing a producer by
hand, and the printable booth map."""

from typing import TypeVar

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3

from ...accounts.access import role_required
from ...core.transaction import change
from ...extensions import db
from .. import booths
from ..booth_map import map_rows, map_svg
from ..forms import ActionForm, BoothForm, PlaceForm, ZoneForm, whole_number
from ..models import Application, BazaarEvent, Booth, FairStatus, Zone
from ..services import FAIR_STATUS_LABELS, accepted_applications
from . import staff_bp

# What a staff URL names inside a fair.
_InFair = TypeVar("_InFair", Booth, Zone, Application)


def _in_fair(model: type[_InFair], object_id: int, fair: BazaarEvent) -> _InFair:
    """The fair's booth, zone or application, or 404 (one of another fair is not found)."""
    found = db.get_or_404(model, object_id)
    if found.fair_id != fair.id:
        abort(404)
    return found


def _back(fair: BazaarEvent):
    return redirect(url_for("staff_fairs.booths", fair_id=fair.id))


def _needs(application: Application) -> str:
    """«needs power, two people» for the placement list."""
    needs = []
    if application.needs_power:
        needs.append(_("needs power"))
    if application.two_people:
        needs.append(_("two people"))
    if application.needs_table:
        needs.append(_("table"))
    return "، ".join(needs)


def _place_form(fair: BazaarEvent, accepted: list[Application], form: PlaceForm | None = None) -> PlaceForm:
    form = form or PlaceForm()
    form.application.choices = [
        SelectChoice(
            application.id,
            application.shop.name
            + (f" ({application.booth.code})" if application.booth is not None else "")
            + (f" · {_needs(application)}" if _needs(application) else ""),
        )
        for application in accepted
    ]
    taken = {application.booth_id for application in accepted if application.booth_id}
    form.booth.choices = [SelectChoice(booth.id, booth.code) for booth in fair.booths if booth.id not in taken]
    return form


@staff_bp.get("/<int:fair_id>/booths", endpoint="booths")
@role_required("staff")
def layout(fair_id: int):
    return _layout_page(db.get_or_404(BazaarEvent, fair_id))


def _layout_page(fair: BazaarEvent, zone_form: ZoneForm | None = None, place_form: PlaceForm | None = None):
    """The layout editor, assignment and placement page (again with a refused form's errors)."""
    zones = booths.zones_with_booths(fair)
    accepted = accepted_applications(fair)
    by_booth = {application.booth_id: application for application in accepted if application.booth_id}
    booth_forms = {}
    for zone in zones:
        for booth in zone.booths:
            booth_forms[booth.id] = BoothForm(
                prefix=f"b{booth.id}",
                formdata=None,
                data={
                    "size": booth.size,
                    "has_power": booth.has_power,
                    "is_corner": booth.is_corner,
                    "near_entrance": booth.near_entrance,
                },
            )
    return render_template(
        "bazaar/staff/booths.html",
        fair=fair,
        zones=zones,
        by_booth=by_booth,
        accepted=accepted,
        unplaced=[application for application in accepted if application.booth_id is None],
        booth_forms=booth_forms,
        zone_form=zone_form or ZoneForm(),
        place_form=_place_form(fair, accepted, place_form),
        action_form=ActionForm(),
        editable=fair.status != FairStatus.CLOSED,
        status_label=FAIR_STATUS_LABELS.get(FairStatus(fair.status), fair.status),
        needs=_needs,
        size_labels=booths.BOOTH_SIZE_LABELS,
    )


@staff_bp.post("/<int:fair_id>/booths/zones")
@role_required("staff")
def booths_add_zone(fair_id: int):
    fair = db.get_or_404(BazaarEvent, fair_id)
    form = ZoneForm()
    if form.validate_on_submit():
        with change(form) as done:
            zone = booths.add_zone(
                fair,
                form.name.data or "",
                whole_number(form.rows.data) or 0,
                whole_number(form.cols.data) or 0,
                form.prefix.data or "",
                entrance_first_row=bool(form.entrance_first_row.data),
            )
        if done:
            flash(_("Zone «%(name)s» added with %(num)s booths.", name=zone.name, num=len(zone.booths)), "success")
            return _back(fair)
    return _layout_page(fair, zone_form=form), 422


@staff_bp.post("/<int:fair_id>/booths/<int:booth_id>")
@role_required("staff")
def booth_update(fair_id: int, booth_id: int):
    fair = db.get_or_404(BazaarEvent, fair_id)
    booth = _in_fair(Booth, booth_id, fair)
    form = BoothForm(prefix=f"b{booth.id}")
    if form.validate_on_submit():
        with change(form) as done:
            booths.update_booth(
                booth, form.size.data, form.has_power.data, form.is_corner.data, form.near_entrance.data
            )
        if done:
            flash(_("Booth %(code)s saved.", code=booth.code), "success")
    else:
        flash(_("Choose the booth's size."), "error")
    return _back(fair)


@staff_bp.post("/<int:fair_id>/booths/zones/<int:zone_id>/remove")
@role_required("staff")
def zone_remove(fair_id: int, zone_id: int):
    fair = db.get_or_404(BazaarEvent, fair_id)
    zone = _in_fair(Zone, zone_id, fair)
    form = ActionForm()
    if form.validate_on_submit():
        name = zone.name
        with change(form) as done:
            booths.remove_zone(zone)
        if done:
            flash(_("Zone «%(name)s» removed.", name=name), "success")
    return _back(fair)


@staff_bp.post("/<int:fair_id>/booths/assign")
@role_required("staff")
def booths_assign(fair_id: int):
    fair = db.get_or_404(BazaarEvent, fair_id)
    form = ActionForm()
    if form.validate_on_submit():
        with change(form) as done:
            report = booths.assign_booths(fair)
        if done:
            flash(
                _(
                    "Booths assigned: %(placed)s placed automatically (%(changed)s changed), "
                    "%(kept)s kept where staff placed them.",
                    placed=report.placed,
                    changed=report.changed,
                    kept=report.kept,
                ),
                "success",
            )
            for problem in report.problems:
                flash(problem, "error")
            if report.same_category_pairs:
                flash(
                    _(
                        "%(num)s pair(s) of neighbours sell the same kind of products: the hall had no better choice.",
                        num=report.same_category_pairs,
                    ),
                    "info",
                )
    return _back(fair)


@staff_bp.post("/<int:fair_id>/booths/place")
@role_required("staff")
def booth_place(fair_id: int):
    fair = db.get_or_404(BazaarEvent, fair_id)
    form = _place_form(fair, accepted_applications(fair), PlaceForm())
    if form.validate_on_submit():
        application = _in_fair(Application, form.application.data, fair)
        booth = db.get_or_404(Booth, form.booth.data)  # another fair's booth: refused by booths.place, with why
        with change(form) as done:
            booths.place(application, booth)
        if done:
            flash(_("«%(shop)s» placed in booth %(code)s.", shop=application.shop.name, code=booth.code), "success")
            return _back(fair)
    return _layout_page(fair, place_form=form), 422


@staff_bp.post("/<int:fair_id>/booths/unplace/<int:application_id>")
@role_required("staff")
def booth_unplace(fair_id: int, application_id: int):
    fair = db.get_or_404(BazaarEvent, fair_id)
    application = _in_fair(Application, application_id, fair)
    form = ActionForm()
    if form.validate_on_submit():
        with change(form) as done:
            booths.unplace(application)
        if done:
            flash(_("«%(shop)s» has no booth now.", shop=application.shop.name), "success")
    return _back(fair)


@staff_bp.get("/<int:fair_id>/booths/map")
@role_required("staff")
def booth_map(fair_id: int):
    fair = db.get_or_404(BazaarEvent, fair_id)
    # The SVG is built from escaped parts only (map_svg escapes every name and code).
    svg = Markup(map_svg(fair))  # noqa: S704
    return render_template(
        "bazaar/staff/booth_map.html",
        fair=fair,
        svg=svg,
        rows=map_rows(fair),
        size_labels=booths.BOOTH_SIZE_LABELS,
    )
