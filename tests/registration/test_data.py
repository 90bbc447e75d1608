"""requirements.json: it loads, says what it must, and the validator refuses broken data loudly."""

import copy
import json

import pytest

from marketplace.registration import requirements as reqs
from marketplace.registration import services
from marketplace.registration.requirements import RequirementsInvalid, apply_overrides, validate_requirements

CODES = {"HB-1", "FD-1", "FD-2", "FD-3", "HC-1", "LB-1", "CR-1", "CR-2", "CR-3", "TM-1", "BC-1", "ST-1", "EC-1",
         "EC-2", "TX-1", "IN-1", "FN-1"}  # fmt: skip


@pytest.fixture(scope="module")
def raw():
    with open(reqs.DATA_FILE, encoding="utf-8") as source:
        return json.load(source)


def test_every_item_from_the_notes_is_there():
    loaded = reqs.load_requirements()
    assert {item.code for item in loaded.items} == CODES
    for item in loaded.items:
        assert item.title("fa") and item.title("en") and item.authority("fa") and item.summary("fa")
        assert len(item.steps("fa")) == len(item.steps("en")) >= 2
        assert all(link.url.startswith("https://") for link in item.links)
        assert item.applies and set(item.applies) <= set(reqs.KINDS)


def test_unverified_items_tell_her_to_ask():
    for item in reqs.load_requirements().items:
        if item.unverified:
            assert "برای اطمینان از اداره یا مرکز بپرسید" in item.unverified_note("fa")
            assert "ask the office or the centre" in item.unverified_note("en")
    assert reqs.load_requirements()["HB-1"].unverified  # validity and issuing body are unverified


def test_all_expands_to_the_five_kinds():
    assert reqs.load_requirements()["TM-1"].applies == dict.fromkeys(reqs.KINDS, "recommended")


def test_what_blocks_publishing_per_kind():
    """The decision written in the JSON note: only food and cosmetics have mandatory items."""

    def mandatory(kind):
        return {item.code for item in services.applicable_items(kind) if item.applies[kind] == "mandatory"}

    assert mandatory("food") == {"HB-1", "FD-1", "FD-2", "LB-1"}  # FD-1 or FD-2: one group
    assert mandatory("cosmetics") == {"HB-1", "FD-2", "LB-1"}
    for kind in ("handicraft", "textile", "general"):
        assert mandatory(kind) == set()
        assert reqs.load_requirements()["HB-1"].applies[kind] == "recommended"
    loaded = reqs.load_requirements()
    assert loaded["FD-1"].group == loaded["FD-2"].group == "health-licence"
    assert loaded.group_title("health-licence")


def test_prerequisite_order_is_topological_and_stable():
    food = [item.code for item in services.applicable_items("food")]
    assert food.index("HB-1") < food.index("FD-1") < food.index("LB-1")
    assert food.index("FD-2") < food.index("FD-3") and food.index("FD-2") < food.index("LB-1")
    food_shop = [item.code for item in services.applicable_items("food", "shop")]
    assert food_shop == ["HB-1", "HC-1", "TM-1", "EC-1", "EC-2", "TX-1", "IN-1", "FN-1"]
    handicraft_product = [item.code for item in services.applicable_items("handicraft", "product")]
    assert handicraft_product == ["CR-3", "BC-1", "ST-1"]
    assert services.applicable_items(["food", "handicraft"], "shop")[0].code == "HB-1"


def test_requirement_lookup():
    assert services.requirement("LB-1").level == "product"
    assert services.requirement("XX-9") is None


def _bad(raw, code, **changes):
    data = copy.deepcopy(raw)
    item = next(item for item in data["items"] if item["code"] == code)
    for key, value in changes.items():
        if value is None:
            del item[key]
        else:
            item[key] = value
    return data


def test_validator_refuses_a_cycle(raw):
    data = _bad(raw, "HB-1", prerequisites=["LB-1"])  # HB-1 → LB-1 → FD-1 → HB-1
    with pytest.raises(RequirementsInvalid, match="cycle"):
        validate_requirements(data)
    with pytest.raises(RequirementsInvalid, match="own prerequisite"):
        validate_requirements(_bad(raw, "TX-1", prerequisites=["TX-1"]))


def test_validator_refuses_unknown_kinds_levels_and_codes(raw):
    with pytest.raises(RequirementsInvalid, match="unknown kind 'jewellery'"):
        validate_requirements(_bad(raw, "CR-1", applies={"jewellery": "recommended"}))
    with pytest.raises(RequirementsInvalid, match="'food' is 'required'"):
        validate_requirements(_bad(raw, "FD-1", applies={"food": "required"}))
    with pytest.raises(RequirementsInvalid, match="level"):
        validate_requirements(_bad(raw, "FD-1", level="person"))
    with pytest.raises(RequirementsInvalid, match="unknown prerequisite"):
        validate_requirements(_bad(raw, "FD-1", prerequisites=["HB-9"]))
    with pytest.raises(RequirementsInvalid, match="evidence"):
        validate_requirements(_bad(raw, "FD-1", evidence={"fields": ["number", "selfie"], "required": []}))


def test_validator_refuses_missing_fields_and_duplicates(raw):
    with pytest.raises(RequirementsInvalid, match=r"FD-1: missing field\(s\): steps"):
        validate_requirements(_bad(raw, "FD-1", steps=None))
    with pytest.raises(RequirementsInvalid, match="Persian and English"):
        validate_requirements(_bad(raw, "FD-1", title={"fa": "گواهی"}))
    with pytest.raises(RequirementsInvalid, match="different number"):
        validate_requirements(_bad(raw, "HB-1", steps={"fa": ["یک"], "en": ["one", "two"]}))
    duplicated = copy.deepcopy(raw)
    duplicated["items"].append(copy.deepcopy(duplicated["items"][0]))
    with pytest.raises(RequirementsInvalid, match="used twice"):
        validate_requirements(duplicated)
    with pytest.raises(RequirementsInvalid, match="items"):
        validate_requirements({"items": []})


def test_validator_refuses_unverified_without_ask_the_office(raw):
    note = {"fa": "معلوم نیست.", "en": "Not known."}
    with pytest.raises(RequirementsInvalid, match="اداره یا مرکز"):
        validate_requirements(_bad(raw, "EC-2", unverified_note=note))


def test_validator_refuses_a_mandatory_item_whose_prerequisite_is_not(raw):
    data = _bad(raw, "HB-1", applies={"all": "recommended"})  # FD-1 is mandatory for food and needs HB-1
    with pytest.raises(RequirementsInvalid, match="FD-1: mandatory for food"):
        validate_requirements(data)


def test_overrides_seam_for_a_staff_editor(raw):
    edited = apply_overrides(raw, {"HB-1": {"applies": {"all": "mandatory"}}})
    loaded = validate_requirements(edited)
    assert loaded["HB-1"].applies["handicraft"] == "mandatory"
    assert raw["items"][0]["applies"]["handicraft"] == "recommended"  # the file's data is untouched
    with pytest.raises(RequirementsInvalid):
        validate_requirements(apply_overrides(raw, {"HB-1": {"applies": {"kids": "optional"}}}))


def test_loading_a_broken_file_fails_loudly(tmp_path, raw):
    path = tmp_path / "requirements.json"
    path.write_text(json.dumps(_bad(raw, "LB-1", prerequisites=[{"any_of": []}])), encoding="utf-8")
    with pytest.raises(RequirementsInvalid, match="LB-1"):
        reqs.load_requirements(path)
