"""The department's identity (units.Department) as every page, document and e-mail reads it.

One row, read once and kept in the process: the header of every page would otherwise cost a
query. A save in this process forgets it at once (units.signals); other processes (the web
server's other workers, the background worker) read it again within IDENTITY_SECONDS.
"""

import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Department, EarlierIdentity

_memo: dict = {}
_saves = [0]


def _seconds() -> float | None:
    # None keeps it until the next save: the test suite counts queries per page.
    return getattr(settings, "DEPARTMENT_IDENTITY_SECONDS", 60)


def current() -> Department:
    """The stored identity, or an empty one (nothing printed) when none is stored yet."""
    seconds = _seconds()
    found = _memo.get("department")
    if found is not None and (seconds is None or time.monotonic() - _memo["at"] < seconds):
        return found
    department = Department.objects.order_by("pk").first()
    if department is None:
        return Department(issuing_name="", director_title="", deputy_title="")
    _memo.update(department=department, at=time.monotonic())
    _memo.pop("earlier", None)  # read again with it (units.identity.on)
    return department


DATED_FIELDS = ("name", "short_name", "parent_agency", "issuing_name", "place")


def _earlier() -> list:
    """The earlier identities, oldest first, kept with the current one."""
    if "earlier" not in _memo or "department" not in _memo:
        current()
        _memo["earlier"] = list(EarlierIdentity.objects.order_by("until"))
    return _memo["earlier"]


def on(day) -> Department:
    """The identity a document dated `day` prints: today's, or the earlier names in force on
    that day (EarlierIdentity, e.g. the province before the merger of 01/07/2025). None (an
    undated document): today's. The result is not saved."""
    today = current()
    if day is None:
        return today
    older = next((row for row in _earlier() if day <= row.until), None)
    if older is None:
        return today
    dated = Department(**{f.attname: getattr(today, f.attname) for f in Department._meta.fields})
    for name in DATED_FIELDS:
        setattr(dated, name, getattr(older, name))
    return dated


def forget() -> None:
    _memo.clear()


def saves() -> int:
    """How many times the identity was saved or deleted in this process (the test suite forgets
    the kept copy after a test that changed it and was rolled back)."""
    return _saves[0]


@receiver([post_save, post_delete], sender=EarlierIdentity,
          dispatch_uid="units.earlier_identity_changed")
@receiver([post_save, post_delete], sender=Department, dispatch_uid="units.identity_changed")
def _changed(sender, **kwargs):
    _saves[0] += 1
    forget()


# Field defaults of a new plan (campaigns.Campaign): what the department prints today.
def parent_agency() -> str:
    return current().parent_agency


def issuing_name() -> str:
    return current().issuing_name or "SỞ GIÁO DỤC VÀ ĐÀO TẠO"


def place() -> str:
    return current().place


def director_name() -> str:
    return current().director_name


def director_title() -> str:
    return current().director_title or "GIÁM ĐỐC"


def stamp_workbook(workbook, *, issuer: str | None = None) -> None:
    """Put the department on every sheet of a workbook it hands out, as its PDFs carry it in
    their heading: the printed page header (a sheet prints only its table, so the header is the
    one place every printed page shows who issued it), page numbers in the footer, and the
    file's author. `issuer` is the name the document was issued under (a plan's or a decision's
    own); otherwise the department's name today. Rows are untouched, so a reader of the table
    finds it where it always was."""
    name = issuer if issuer is not None else current().name
    # "&" starts a code in Excel's header syntax ("&P" is the page): a literal one is doubled.
    printed = name.upper().replace("&", "&&")
    for sheet in workbook.worksheets:
        sheet.oddHeader.left.text = printed
        sheet.oddFooter.right.text = "&P / &N"
    if name:
        workbook.properties.creator = name
