"""A report's history as people read it: each step with what it changed, before → after.

Every step that writes the report keeps a snapshot of its values after the step
(`ReportEvent.values`, see `ProgressReport.snapshot`); what a step changed is the difference
from the snapshot before it. Computed from the events already read: no query per event.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.numbers import format_number

# The snapshot's fields a person reads, in order, with their names. The status is said by
# the step itself (submitted, returned…).
FIELDS = (("value", _("Value reached")), ("value_date", _("Date reached")),
          ("narrative", _("Narrative")))


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None  # None: the first value given
    after: str | None  # None: cleared
    long: bool = False  # a text: shown in full on demand rather than inline


@dataclass
class Step:
    event: object
    changes: list = field(default_factory=list)


def _shown(name, value, yes_no=False):
    if value in (None, ""):
        return None
    if name == "value":
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        if yes_no:  # stored as 1 or 0; people answered Yes or No
            return _("Yes") if number else _("No")
        return format_number(number)
    if name == "value_date":
        try:
            return date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except (TypeError, ValueError):
            return str(value)
    return str(value)


def history_of(events, *, yes_no=False) -> list[Step]:
    """Each event with the changes its snapshot holds against the previous snapshot;
    `yes_no` for a task answered Yes or No."""
    steps, previous = [], {}
    for event in events:
        step = Step(event=event)
        values = event.values or {}
        if "status" in values:  # a snapshot of the report, not an evidence file's checksum
            for name, label in FIELDS:
                before, after = previous.get(name), values.get(name)
                if (before or None) != (after or None):
                    step.changes.append(Change(label=label,
                                               before=_shown(name, before, yes_no),
                                               after=_shown(name, after, yes_no),
                                               long=name == "narrative"))
            previous = values
        steps.append(step)
    return steps
