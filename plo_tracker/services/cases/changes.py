"""A case as it would be once one record is saved into it, or removed from it.

The one place both the save (``CaseService``) and the as-you-type check (``drafts``) build
the changed case, so a form explains exactly what a save would refuse. Changing a person's
or a child's short name (key) renames it in every record that names it (``domain.keys``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from plo_tracker.domain import keys
from plo_tracker.domain.model import (
    Assessment,
    Booking,
    CaseHistory,
    Child,
    Concern,
    Event,
    KeepApart,
    Party,
    PlanAction,
    Strength,
    event_for_type,
)
from plo_tracker.errors import NotFound, ValidationError
from plo_tracker.validation import shown

Record = Child | Party | Event | Assessment | PlanAction | Booking | Concern | Strength | KeepApart

# kind -> (CaseHistory field, the record's id attribute, its type)
KINDS: dict[str, tuple[str, str, type]] = {
    "child": ("children", "id", Child),
    "party": ("parties", "row_id", Party),
    "event": ("events", "id", Event),
    "assessment": ("assessments", "id", Assessment),
    "action": ("plan_actions", "id", PlanAction),
    "booking": ("scheduled", "id", Booking),
    "concern": ("concerns", "id", Concern),
    "strength": ("strengths", "id", Strength),
    "keep_apart": ("keep_apart", "id", KeepApart),
}


def kind_of(record: Any) -> str:
    # Strength is a kind of Concern: test it first.
    for kind in ("strength", *KINDS):
        if type(record) is KINDS[kind][2]:
            return kind
    raise ValidationError("This is not a part of a case that can be saved.")


def replaced(items: tuple[Any, ...], new: Any, key: str = "id") -> tuple[Any, ...]:
    """The items with ``new`` added (no id yet) or in place of the item with its id."""
    if getattr(new, key) is None:
        return (*items, new)
    if not any(getattr(i, key) == getattr(new, key) for i in items):
        raise NotFound("That record is no longer part of this case; it may have been deleted.")
    return tuple(new if getattr(i, key) == getattr(new, key) else i for i in items)


def with_record(case: CaseHistory, record: Record) -> CaseHistory:
    """The case as it would be once ``record`` is saved (added, or replacing its old self)."""
    kind = kind_of(record)
    field, id_attr, _type = KINDS[kind]
    if kind == "event":
        record = event_for_type(record)  # only the fields this type of event has
    new = replace(case, **{field: replaced(getattr(case, field), record, id_attr)})
    if kind == "party":
        old = _previous(case.parties, record, "row_id")
        if old is not None and old.id != record.id:
            new = keys.rename_party(new, old.id, record.id)
    elif kind == "child":
        old = _previous(case.children, record, "id")
        if old is not None and old.key and record.key and old.key != record.key:
            new = keys.rename_child(new, old.key, record.key)
        elif old is not None and old.key and not record.key:
            uses = keys.uses_of_child(case, old.key)
            if uses:
                raise ValidationError(
                    f"Short name: {keys.describe_uses(uses)} name {old.name} by the short "
                    f"name '{shown(old.key)}'; give a new short name instead of removing it.",
                    field="key",
                )
    return new


def without_record(case: CaseHistory, kind: str, item_id: int) -> CaseHistory:
    """The case with one record removed; refused while other records name it."""
    if kind not in KINDS:
        raise ValidationError(f"'{shown(kind)}' is not something that can be deleted from a case.")
    field, id_attr, _type = KINDS[kind]
    items = getattr(case, field)
    gone = [i for i in items if getattr(i, id_attr) == item_id]
    if gone and kind == "party":
        uses = keys.uses_of_party(case, gone[0].id)
        if uses:
            raise ValidationError(
                f"This person is named in {keys.describe_uses(uses)}. Change or remove those "
                "first; nothing was deleted."
            )
    if gone and kind == "child":
        uses = keys.uses_of_child(case, gone[0].key)
        if uses:
            raise ValidationError(
                f"This child is named in {keys.describe_uses(uses)}. Change or remove those "
                "first; nothing was deleted."
            )
    return replace(case, **{field: tuple(i for i in items if getattr(i, id_attr) != item_id)})


def _previous(items: tuple[Any, ...], record: Any, id_attr: str) -> Any:
    record_id = getattr(record, id_attr)
    if record_id is None:
        return None
    return next((i for i in items if getattr(i, id_attr) == record_id), None)
