"""The registration requirements as data: requirements.json, read once, validated, in prerequisite order.

The file is the source (titles, plain steps, links, which kinds each item applies to and how
strongly). Staff edit titles, steps, links and kinds in the console (registration/edits.py); their
edits are stored per item in `requirement_edit` and merged over the file by `apply_overrides()`
before the same validation.
"""

import copy
import json
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

from flask import has_app_context
from flask_babel import get_locale
from sqlalchemy import column, select, table

from ..catalog.models import KINDS
from ..core.pagecache import forget_request_version, request_version
from ..extensions import db

log = logging.getLogger("marketplace")
DATA_FILE = Path(__file__).with_name("requirements.json")
LEVELS = ("shop", "product")
REQUIREMENTS = ("mandatory", "recommended", "optional")  # strongest first
EVIDENCE_FIELDS = ("number", "issued_on", "expires_on", "document")
CONFIDENCES = ("high", "medium", "low")
# Producer-facing text of an unverified item must send her to someone who knows.
ASK_THE_OFFICE = "برای اطمینان از اداره یا مرکز بپرسید"
ITEM_FIELDS = (
    "code",
    "title",
    "summary",
    "steps",
    "authority",
    "links",
    "level",
    "applies",
    "prerequisites",
    "evidence",
    "validity",
    "confidence",
    "unverified",
    "note",
)


class RequirementsInvalid(ValueError):
    """requirements.json (or an override) breaks a rule; the message says which item and why."""


def _current_language() -> str:
    try:
        return "en" if str(get_locale() or "fa") == "en" else "fa"
    except (RuntimeError, AttributeError):  # outside a request: Persian, the default
        return "fa"


@dataclass(frozen=True)
class Prerequisite:
    """Items that must come first; any one of `any_of` is enough."""

    any_of: tuple[str, ...]


@dataclass(frozen=True)
class Link:
    url: str
    label: dict

    def text(self) -> str:
        """The link's label in the reader's language."""
        return self.label[_current_language()]


@dataclass(frozen=True)
class Item:
    """One registration item (a licence, certificate, label…) as the JSON describes it. Texts come
    in Persian and English; `item.title()` gives the reader's language, `item.title("en")` English."""

    code: str
    texts: dict  # field → {"fa": …, "en": …}; steps are tuples
    links: tuple[Link, ...]
    level: str
    applies: dict  # kind → mandatory / recommended / optional ("all" already expanded)
    prerequisites: tuple[Prerequisite, ...]
    evidence_fields: tuple[str, ...]
    evidence_required: tuple[str, ...]
    validity_months: int | None
    confidence: str
    unverified: bool
    group: str | None
    later: bool
    note: str
    position: int = 0

    def _text(self, name: str, locale: str | None):
        value = self.texts.get(name)
        if not value:
            return () if name == "steps" else ""
        return value["en" if (locale or _current_language()) == "en" else "fa"]

    def title(self, locale: str | None = None) -> str:
        """The item's name, e.g. «مجوز مشاغل خانگی»."""
        return self._text("title", locale)

    def summary(self, locale: str | None = None) -> str:
        """One or two sentences: what it is and why it matters."""
        return self._text("summary", locale)

    def steps(self, locale: str | None = None) -> tuple[str, ...]:
        """The short numbered steps, in order."""
        return self._text("steps", locale)

    def authority(self, locale: str | None = None) -> str:
        """Who issues it."""
        return self._text("authority", locale)

    def validity(self, locale: str | None = None) -> str:
        """How long it is valid, when known (else empty)."""
        return self._text("validity", locale)

    def unverified_note(self, locale: str | None = None) -> str:
        """What is not certain and whom to ask (empty for verified items)."""
        return self._text("unverified_note", locale)

    def badge(self, locale: str | None = None) -> str:
        """The badge shown on a product once verified (empty when the item has none)."""
        return self._text("badge", locale)

    def requirement(self, kinds) -> str | None:
        """How strongly this item is asked for the given kinds (the strongest of them), or None."""
        found = [self.applies[kind] for kind in kinds if kind in self.applies]
        return min(found, key=REQUIREMENTS.index) if found else None

    def applies_to(self, kinds) -> bool:
        """True when the item concerns at least one of `kinds`."""
        return any(kind in self.applies for kind in kinds)


@dataclass(frozen=True)
class Requirements:
    """All items, in a stable prerequisite order (each item after the ones it needs)."""

    items: tuple[Item, ...]
    groups: dict = field(default_factory=dict)
    note: str = ""
    _by_code: dict[str, Item] = field(init=False, repr=False, compare=False)  # built from items

    def __post_init__(self):
        object.__setattr__(self, "_by_code", {item.code: item for item in self.items})

    def get(self, code: str) -> Item | None:
        """The item with this code, or None."""
        return self._by_code.get(code)

    def __getitem__(self, code: str) -> Item:
        return self._by_code[code]

    def group_title(self, group: str) -> str:
        """An any-of group's title in the reader's language."""
        return self.groups[group]["title"][_current_language()]


def _fail(code: str, message: str) -> NoReturn:
    raise RequirementsInvalid(f"requirements: {code}: {message}")


def _need_texts(code: str, raw: dict, name: str, *, lists: bool = False, allow_empty: bool = False) -> dict:
    value = raw.get(name)
    if not isinstance(value, dict) or not {"fa", "en"} <= set(value):
        _fail(code, f"'{name}' needs Persian and English (fa, en)")
    for language in ("fa", "en"):
        text = value[language]
        if lists:
            if not isinstance(text, list) or not text or not all(isinstance(s, str) and s.strip() for s in text):
                _fail(code, f"'{name}.{language}' must be a list of non-empty steps")
        elif not isinstance(text, str) or (not text.strip() and not allow_empty):
            _fail(code, f"'{name}.{language}' must be non-empty text")
    if lists and len(value["fa"]) != len(value["en"]):
        _fail(code, f"'{name}' has a different number of Persian and English steps")
    if lists:
        return {"fa": tuple(value["fa"]), "en": tuple(value["en"])}
    return {"fa": value["fa"], "en": value["en"]}


def _expand_applies(code: str, applies) -> dict:
    if not isinstance(applies, dict) or not applies:
        _fail(code, "'applies' must map kinds (or 'all') to mandatory/recommended/optional")
    expanded = {}
    if "all" in applies:
        expanded = dict.fromkeys(KINDS, applies["all"])
    for kind, level in applies.items():
        if kind != "all" and kind not in KINDS:
            _fail(code, f"unknown kind {kind!r} in 'applies' (kinds: {', '.join(KINDS)}, or all)")
        if kind != "all":
            expanded[kind] = level
    for kind, level in expanded.items():
        if level not in REQUIREMENTS:
            _fail(code, f"'{kind}' is {level!r}; use one of {', '.join(REQUIREMENTS)}")
    return expanded


def _parse_item(raw: dict, position: int, groups: dict) -> Item:
    code = raw.get("code") if isinstance(raw, dict) else None
    if not isinstance(code, str) or not code:
        raise RequirementsInvalid(f"requirements: item #{position + 1} has no code")
    missing = [name for name in ITEM_FIELDS if name not in raw]
    if missing:
        _fail(code, f"missing field(s): {', '.join(missing)}")
    if raw["level"] not in LEVELS:
        _fail(code, f"level {raw['level']!r} must be 'shop' or 'product'")
    links = raw["links"]
    if not isinstance(links, list) or not links:
        _fail(code, "'links' needs at least one official site")
    parsed_links = []
    for link in links:
        url = link.get("url", "") if isinstance(link, dict) else ""
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.netloc:
            _fail(code, f"link {url!r} is not a web address")
        parsed_links.append(Link(url=url, label=_need_texts(code, link, "label")))
    prerequisites = []
    for entry in raw["prerequisites"]:
        members = (entry,) if isinstance(entry, str) else tuple((entry or {}).get("any_of") or ())
        if not members or not all(isinstance(member, str) for member in members):
            _fail(code, f"prerequisite {entry!r} must be a code or {{'any_of': [codes]}}")
        prerequisites.append(Prerequisite(any_of=members))
    evidence = raw["evidence"]
    fields = tuple(evidence.get("fields") or ()) if isinstance(evidence, dict) else ()
    required = tuple(evidence.get("required") or ()) if isinstance(evidence, dict) else ()
    if not fields or any(name not in EVIDENCE_FIELDS for name in fields):
        _fail(code, f"evidence fields must be some of {', '.join(EVIDENCE_FIELDS)}")
    if not set(required) <= set(fields):
        _fail(code, "required evidence must be among the evidence fields")
    validity = raw["validity"]
    if not isinstance(validity, dict):
        _fail(code, "'validity' must be {fa, en, months}")
    months = validity.get("months")
    if months is not None and (not isinstance(months, int) or months <= 0):
        _fail(code, "'validity.months' must be a positive whole number or null")
    if raw["confidence"] not in CONFIDENCES:
        _fail(code, f"confidence must be one of {', '.join(CONFIDENCES)}")
    unverified = raw["unverified"]
    if not isinstance(unverified, bool):
        _fail(code, "'unverified' must be true or false")
    unverified_note = None
    if unverified:
        unverified_note = _need_texts(code, raw, "unverified_note")
        if ASK_THE_OFFICE not in unverified_note["fa"]:
            _fail(code, f"an unverified item must tell the producer «{ASK_THE_OFFICE}»")
    group = raw.get("group")
    if group is not None and group not in groups:
        _fail(code, f"unknown group {group!r}")
    texts = {
        "title": _need_texts(code, raw, "title"),
        "summary": _need_texts(code, raw, "summary"),
        "steps": _need_texts(code, raw, "steps", lists=True),
        "authority": _need_texts(code, raw, "authority"),
        "validity": _need_texts(code, {"validity": validity}, "validity", allow_empty=True),
        "unverified_note": unverified_note,
        "badge": _need_texts(code, raw, "badge") if raw.get("badge") else None,
    }
    return Item(
        code=code,
        texts=texts,
        links=tuple(parsed_links),
        level=raw["level"],
        applies=_expand_applies(code, raw["applies"]),
        prerequisites=tuple(prerequisites),
        evidence_fields=fields,
        evidence_required=required,
        validity_months=months,
        confidence=raw["confidence"],
        unverified=unverified,
        group=group,
        later=bool(raw.get("later", False)),
        note=str(raw["note"]),
        position=position,
    )


def _prerequisite_order(items: list[Item]) -> list[Item]:
    """Each item after every item it may need (Kahn's algorithm, ties kept in file order).
    A cycle is refused, naming the items caught in it."""
    by_code = {item.code: item for item in items}
    needs = {item.code: {member for pre in item.prerequisites for member in pre.any_of} for item in items}
    for item in items:
        unknown = sorted(needs[item.code] - set(by_code))
        if unknown:
            _fail(item.code, f"unknown prerequisite(s) {', '.join(unknown)}")
        if item.code in needs[item.code]:
            _fail(item.code, "an item cannot be its own prerequisite")
    ordered: list[Item] = []
    done: set[str] = set()
    waiting = list(items)
    while waiting:
        ready = next((item for item in waiting if needs[item.code] <= done), None)
        if ready is None:
            cycle = ", ".join(item.code for item in waiting)
            raise RequirementsInvalid(f"requirements: prerequisite cycle among {cycle}")
        ordered.append(ready)
        done.add(ready.code)
        waiting.remove(ready)
    return ordered


def _check_mandatory_chain(items: list[Item]) -> None:
    """A mandatory item must be reachable: for each kind where it is mandatory, each of its
    prerequisites that concerns that kind must have a member that is mandatory there too."""
    by_code = {item.code: item for item in items}
    for item in items:
        for kind, level in item.applies.items():
            if level != "mandatory":
                continue
            for prerequisite in item.prerequisites:
                members = [by_code[code] for code in prerequisite.any_of if kind in by_code[code].applies]
                if members and not any(member.applies[kind] == "mandatory" for member in members):
                    _fail(item.code, f"mandatory for {kind} but its prerequisite {prerequisite.any_of} is not")


def validate_requirements(data: dict) -> Requirements:
    """Check a requirements document and build the items in prerequisite order.

    Raises RequirementsInvalid for a missing field, an unknown kind or level, an unknown or
    cyclic prerequisite, a duplicate code, or an unverified item without «ask the office»."""
    if not isinstance(data, dict) or not isinstance(data.get("items"), list) or not data["items"]:
        raise RequirementsInvalid("requirements: the document needs a non-empty 'items' list")
    groups = data.get("groups") or {}
    for name, group in groups.items():
        _need_texts(f"group {name}", group, "title")
    items = [_parse_item(raw, position, groups) for position, raw in enumerate(data["items"])]
    seen = set()
    for item in items:
        if item.code in seen:
            _fail(item.code, "the code is used twice")
        seen.add(item.code)
    for name in groups:
        members = [item for item in items if item.group == name]
        if len({item.level for item in members}) > 1:
            _fail(members[0].code, f"the members of group {name!r} must share one level")
    ordered = _prerequisite_order(items)
    _check_mandatory_chain(items)
    return Requirements(items=tuple(ordered), groups=groups, note=str(data.get("note", "")))


def apply_overrides(data: dict, overrides: dict[str, dict]) -> dict:
    """The seam for a staff editor: a copy of `data` with each item's fields replaced by the
    override stored for its code (e.g. {"HB-1": {"applies": {...}}}). Validated afterwards like the file."""
    if not overrides:
        return data
    merged = copy.deepcopy(data)
    for raw in merged["items"]:
        raw.update(copy.deepcopy(overrides.get(raw.get("code"), {})))
    return merged


# The table of staff edits (registration.models.RequirementEdit), named here without importing the
# models module, which imports this one.
_EDITS = table("requirement_edit", column("item_code"), column("fields"))


def _stored_rows() -> dict[str, str]:
    """The edits as stored: item code → its fields' JSON text."""
    return {code: fields for code, fields in db.session.execute(select(_EDITS.c.item_code, _EDITS.c.fields))}


def stored_overrides() -> dict[str, dict]:
    """Staff edits of the requirement items (registration/edits.py), by item code."""
    return _overrides(_stored_rows())


def _overrides(rows: dict[str, str]) -> dict[str, dict]:
    return {code: fields for code, raw in rows.items() if (fields := json.loads(raw))}


def edits_version() -> int | None:
    """When to look at the edits again: the public pages' content version, which every committed
    edit moves (RequirementEdit is a public table) and which the request reads once anyway (the
    page cache reads it too). None outside an app context, e.g. while the app starts."""
    return request_version() if has_app_context() else None


def forget_loaded() -> None:
    """After a save (or a test's rollback): load the edits again."""
    _cache.clear()
    forget_request_version()


def read_file(path: Path | None = None) -> dict:
    """requirements.json as parsed JSON (unvalidated, without staff edits)."""
    with open(path or DATA_FILE, encoding="utf-8") as source:
        return json.load(source)


@dataclass(frozen=True)
class _Loaded:
    version: int | None
    rows: dict  # the edits' rows it was built from
    requirements: Requirements


_cache: dict[str, _Loaded] = {}
_lock = threading.Lock()


def load_requirements(path: Path | None = None, *, reload: bool = False) -> Requirements:
    """The validated requirements: requirements.json with staff edits over it (only for the
    bundled file, not for a `path` given by a test or a check).

    Kept per process. When the content version moved (any public write, an edit among them) the
    edits' rows are read again (one small query) and the data is rebuilt only if they changed."""
    key = str(path or DATA_FILE)
    version = edits_version() if path is None else None
    cached = _cache.get(key)
    if not reload and cached is not None and cached.version == version:
        return cached.requirements
    with _lock:
        rows = _stored_rows() if version is not None else {}
        if not reload and cached is not None and cached.rows == rows:
            _cache[key] = _Loaded(version, rows, cached.requirements)
            return cached.requirements
        data = read_file(path)
        overrides = _overrides(rows)
        try:
            loaded = validate_requirements(apply_overrides(data, overrides))
        except RequirementsInvalid:
            if not overrides:
                raise
            # edits saved against an older file that a new file no longer accepts: the file alone
            # keeps the site up, and the log says what staff should look at again
            log.exception("staff edits of the requirements no longer validate; using the file alone")
            loaded = validate_requirements(data)
        _cache[key] = _Loaded(version, rows, loaded)
        return loaded
