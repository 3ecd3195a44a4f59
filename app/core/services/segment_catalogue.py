"""The segments Kith shows, defined once: their keys, titles, queries and headings.

The window's segment pane lists them, `kith export --segment NAME` finds one by its title or
key, and the contact service names in each ChangeSet the keys ("all", "tag:Clients",
"stage:lead", "smart:3", ...) whose members or counts a change may have moved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.core.clock import SYSTEM_CLOCK, Clock
from app.core.domain.contact import Stage
from app.core.errors import UserFacingError
from app.core.services.segments import (
    FAVOURITES as FAVOURITES_FILTER,
)
from app.core.services.segments import (
    Attention,
    RuleKind,
    SegmentService,
    SmartSegment,
    attention_filter,
    stage_filter,
)
from app.core.storage import search
from app.core.storage.bulk_journal import Touched
from app.core.storage.database import Database
from app.core.storage.search import ListQuery

ALL = "all"
FAVOURITES = "favourites"
TRASH = "trash"
DUPLICATES = "duplicates"
"""Duplicate groups (issue 11's segment): any change to a contact's fields may move them."""
DUE = "due"
"""Reminders due (issue 12's segment): dates and liveness move them."""
_ATTENTION_TITLES = {Attention.PROBABLE_DUPLICATE: "Duplicates"}
"""Needs-attention lines whose title is not their reason's word (the window shows the groups)."""


def tag_key(name: str) -> str:
    """The key of a tag's segment, by the tag's stored name."""
    return f"tag:{name}"


def stage_key(value: str) -> str:
    """The key of a stage's segment ("stage:lead")."""
    return f"stage:{value}"


def smart_key(segment_id: int | None) -> str:
    """The key of a saved smart segment."""
    return f"smart:{segment_id}"


def import_key(operation_id: int) -> str:
    """The key of an import's segment."""
    return f"import:{operation_id}"


def attention_key(reason: Attention) -> str:
    """The key of a needs-attention segment ("attention:invalid phone")."""
    return f"attention:{reason.value}"


_OLD_TITLES = {"probable duplicate": attention_key(Attention.PROBABLE_DUPLICATE)}
"""Titles a line had before (casefolded), still found by `find` so that scripts keep working."""


def touched_keys(touched: Touched, smart: Iterable[SmartSegment]) -> frozenset[str]:
    """The keys of the segments whose members or counts a change may have moved.

    A change that only moved tags touches those tags' segments and the smart segments with a
    tag rule; one that only moved stages, likewise; a contact that appeared, disappeared or
    changed other fields may have moved any smart, attention, duplicate or due segment.
    """
    keys = {tag_key(t) for t in touched.tags}
    keys |= {stage_key(s) for s in touched.stages if s}
    if touched.favourite:
        keys.add(FAVOURITES)
    if touched.trash:
        keys.add(TRASH)
    if touched.lifecycle:
        keys.add(ALL)
        keys |= {import_key(i) for i in touched.imports}
    if touched.lifecycle or touched.fields:
        keys |= {attention_key(a) for a in Attention} | {DUPLICATES, DUE}
        keys |= {smart_key(s.id) for s in smart}
        return frozenset(keys)
    kinds = ({RuleKind.TAG_IS} if touched.tags else set()) | (
        {RuleKind.STAGE_IS} if touched.stages else set()
    )
    keys |= {smart_key(s.id) for s in smart if any(r.kind in kinds for r in s.rules)}
    return frozenset(keys)


@dataclass(frozen=True, slots=True)
class Segment:
    """One line of the segment list: a segment, or the heading of a group of them.

    Attributes:
        key: the segment's key ("stage:lead"), or "h:<group>" for a heading.
        title: what the window shows ("Lead", "Needs attention").
        query: what the segment selects; None for a heading.
        heading: whether this line is a group's heading rather than a segment.
        smart: the saved smart segment this is, if it is one.
    """

    key: str
    title: str
    query: ListQuery | None = None
    heading: bool = False
    smart: SmartSegment | None = None


def _heading(group: str, title: str) -> Segment:
    return Segment(f"h:{group}", title, heading=True)


def list_segments(
    tag_names: Sequence[str], smart: Sequence[SmartSegment], segments: SegmentService
) -> list[Segment]:
    """Every segment the window shows, in its order, with the headings of their groups.

    Args:
        tag_names: the tags to list (those that live contacts carry), in order.
        smart: the saved smart segments; one whose rules this version cannot read is left out
            (the rule editor can still open and fix it).
        segments: the segment service (recent imports, smart segments' filters).
    """
    out = [
        Segment(ALL, "All contacts", ListQuery()),
        Segment(FAVOURITES, "Favourites", ListQuery(filter=FAVOURITES_FILTER)),
        # Birthdays, follow-ups and keep-in-touch reminders due within the "days ahead"
        # setting, or overdue: where no tray shows them, this is where they are.
        Segment(DUE, "Due", ListQuery(filter=segments.due_filter())),
    ]
    if tag_names:
        out.append(_heading("tags", "Tags"))
        out += [Segment(tag_key(name), name, ListQuery(tag=name)) for name in tag_names]
    out.append(_heading("stages", "Stages"))
    out += [
        Segment(stage_key(s.value), s.value.capitalize(), ListQuery(filter=stage_filter(s)))
        for s in Stage
    ]
    out.append(_heading("smart", "Smart segments"))
    for seg in smart:
        try:
            query = ListQuery(filter=segments.filter_for(seg))
        except Exception:
            continue  # a rule this version cannot read; the rule editor can still fix it
        out.append(Segment(smart_key(seg.id), seg.name, query, smart=seg))
    imports = segments.recent_imports()
    if imports:
        out.append(_heading("imports", "Imports"))
        out += [
            Segment(
                import_key(i.operation_id),
                i.label.removeprefix("Import "),
                ListQuery(import_op=i.operation_id),
            )
            for i in imports
        ]
    out.append(_heading("attention", "Needs attention"))
    out += [
        Segment(
            attention_key(a),
            _ATTENTION_TITLES.get(a, a.value.capitalize()),
            ListQuery(filter=attention_filter(a)),
        )
        for a in Attention
    ]
    out.append(Segment(TRASH, "Trash", ListQuery(trash=True)))
    return out


class SegmentCatalogue:
    """The segments of one database, as the window lists them, and their counts.

    Args:
        db: the open database.
        clock: the clock whose day date rules count from (tests pass a `FixedClock`).
    """

    def __init__(self, db: Database, clock: Clock = SYSTEM_CLOCK) -> None:
        self._db = db
        self._segments = SegmentService(db, clock)

    def segments(self) -> list[Segment]:
        """Every segment the window shows, headings included, in its order."""
        with self._db.read() as conn:
            tags = [name for name, _ in search.tag_counts(conn)]
        return list_segments(tags, self._segments.smart_segments(), self._segments)

    def counts(self, chosen: Sequence[Segment]) -> list[int]:
        """How many contacts each chosen segment holds (0 for a heading)."""
        queries = [s.query for s in chosen if s.query is not None]
        found = iter(self._segments.counts(queries))
        return [0 if s.query is None else next(found) for s in chosen]

    def find(self, name: str) -> Segment:
        """The segment `name` names: its key ("stage:lead"), a tag, or a title as shown.

        A tag is found first, exactly as `kith export --segment TAG` always found it (by
        SQLite's case-insensitive comparison). Then a key, then a title or key ignoring case,
        then a title the segment had before ("Probable duplicate", now "Duplicates").

        Raises:
            UserFacingError: no segment has that name, or more than one has it; the message
                lists the choices.
        """
        wanted = name.strip()
        with self._db.read() as conn:
            tagged = search.count(conn, ListQuery(tag=name))
            tag_names = {t.casefold() for t, _ in search.tag_counts(conn)}
        if tagged or name.casefold() in tag_names:
            return Segment(tag_key(name), name, ListQuery(tag=name))
        listed = [s for s in self.segments() if not s.heading]
        by_key = [s for s in listed if s.key == wanted]
        if by_key:
            return by_key[0]
        fold = wanted.casefold()
        found = [s for s in listed if fold in (s.title.casefold(), s.key.casefold())]
        if not found and fold in _OLD_TITLES:
            found = [s for s in listed if s.key == _OLD_TITLES[fold]]
        if len(found) == 1:
            return found[0]
        if found:
            which = ", ".join(f"{s.title!r} ({s.key})" for s in found)
            raise UserFacingError(
                f"{name!r} names more than one segment: {which}. Give its key instead, "
                f"for example --segment {found[0].key!r}."
            )
        choices = "; ".join(f"{s.title} ({s.key})" for s in listed)
        raise UserFacingError(
            f"There is no tag or segment called {name!r}. Choose a title or key: {choices}."
        )
