"""A campaign with several units, tasks and reports in every state, for the tests that follow
each dashboard figure to its list; and reading those figures and lists back from the HTML."""

import datetime
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.utils import timezone

from scoring import services
from tasks.models import Cadence, IndicatorKind, ReportStatus
from units.models import UnitKind

from ..factories import AssignmentFactory, ProgressReportFactory, TaskFactory, UnitFactory
from .conftest import at


@dataclass
class World:
    scored: object
    unit_c: object  # a school
    unit_d: object  # a centre no longer active
    t3: object  # monthly yes/no on item 3


def every_state(scored, cast) -> World:
    """The scored plan (units A and B on T1 and T2) plus the Office, a school C and an inactive
    centre D; reports accepted on time and late, awaiting review on time and late, returned,
    drafts and periods never reported; one unit's dissemination confirmed; the
    self-assessment open so that the ranking has every unit."""
    c = UnitFactory(name="Trường THPT Chơn Thành", kind=UnitKind.SCHOOL, parent=cast.root)
    d = UnitFactory(name="Trung tâm GDTX Bù Đốp", kind=UnitKind.CENTRE, parent=cast.root,
                    is_active=False)
    office = cast.office_unit
    t3 = TaskFactory(item=scored.t1.item.campaign.items.get(number=3), cadence=Cadence.MONTHLY,
                     indicator_kind=IndicatorKind.YES_NO, target_value=1, unit_of_measure="")
    for unit in (office, c, d):
        AssignmentFactory(task=scored.t1, unit=unit)
    for unit in (office, c, d):
        AssignmentFactory(task=t3, unit=unit)

    def report(task, unit, period, status, sent=None, value=100):
        assignment = task.assignments.get(unit=unit)
        return ProgressReportFactory(
            assignment=assignment, period=period, status=status, value=value,
            submitted_at=at(sent) if sent else None,
            reviewed_at=at(sent + datetime.timedelta(days=3)) if sent
            and status == ReportStatus.RETURNED else None)

    day = datetime.date
    b, t1, t2 = cast.unit_b, scored.t1, scored.t2
    report(t1, b, "2022-Q1", ReportStatus.SUBMITTED, day(2022, 4, 2))  # waiting, late
    report(t1, b, "2022-Q2", ReportStatus.RETURNED, day(2022, 6, 20))
    report(t1, b, "2022-Q3", ReportStatus.DRAFT)
    report(t2, b, "2022", ReportStatus.SUBMITTED, day(2022, 12, 1))  # waiting, on time
    report(t1, office, "2022-Q1", ReportStatus.ACCEPTED, day(2022, 3, 25))
    for month in ("01", "02", "03"):
        report(t3, office, f"2022-{month}", ReportStatus.ACCEPTED, day(2022, int(month), 20),
               value=1)
    report(t3, office, "2022-04", ReportStatus.SUBMITTED, day(2022, 5, 9), value=1)
    report(t3, office, "2022-05", ReportStatus.RETURNED, day(2022, 5, 30), value=0)
    report(t1, c, "2022-Q1", ReportStatus.SUBMITTED, day(2022, 3, 31))
    report(t3, c, "2022-01", ReportStatus.ACCEPTED, day(2022, 2, 3), value=1)
    report(t1, d, "2022-Q1", ReportStatus.ACCEPTED, day(2022, 3, 1))
    scored.campaign.disseminations.filter(unit=cast.unit_a).update(
        confirmed_at=timezone.now(), disseminated_on=day(2022, 2, 1))
    services.open_first_round(scheme=scored.scheme, deadline=day(2099, 1, 1), user=cast.office)
    return World(scored=scored, unit_c=c, unit_d=d, t3=t3)


# -- reading pages ----------------------------------------------------------------------------

class _Page(HTMLParser):
    """The figures of a page (links with data-figure, and the count they show) and the rows of
    its first table's body (an empty list's single row spans every column: not a row)."""

    def __init__(self):
        super().__init__()
        self.figures = []  # [name, href, text]
        self._open = []  # figures whose <a> is open
        self.rows = 0
        self.next = None  # the link to the next page of the list
        self._in_body = False
        self._tables = 0
        self._row = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "data-figure" in attrs:
            figure = [attrs["data-figure"], attrs["href"], "", attrs.get("data-count")]
            self.figures.append(figure)
            self._open.append(figure)
        elif tag == "a" and attrs.get("rel") == "next":
            self.next = attrs["href"]
            self._open.append(None)
        elif tag == "a":
            self._open.append(None)
        if tag == "table":
            self._tables += 1
        if tag == "tbody" and self._tables == 1:
            self._in_body = True
        if tag == "tr" and self._in_body:
            self._row = True
        if tag == "td" and self._in_body and "colspan" in attrs:
            self._row = False

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            self._open.pop()
        if tag == "tr" and self._in_body:
            self.rows += bool(self._row)
        if tag == "tbody":
            self._in_body = False

    def handle_data(self, data):
        for figure in self._open:
            if figure is not None:
                figure[2] += data


def figures_of(html) -> list[tuple[str, str, int]]:
    """(name, href, the number the figure shows) for each figure link of a page."""
    page = _Page()
    page.feed(html)
    found = []
    for name, href, text, count in page.figures:
        if count is not None:
            number = int(count)
        else:
            digits = re.findall(r"\d+", text.replace(".", ""))
            assert digits, (name, text)
            number = int(digits[0])
        found.append((name, href.replace("&amp;", "&"), number))
    return found


def rows_of(html) -> int:
    """How many rows the first table of a page lists."""
    page = _Page()
    page.feed(html)
    return page.rows


def rows_on_every_page(html, fetch) -> int:
    """How many rows a paginated list holds: this page's, then each next page's (`fetch`
    returns the HTML of a link)."""
    total = 0
    while True:
        page = _Page()
        page.feed(html)
        total += page.rows
        if page.next is None:
            return total
        html = fetch(page.next.replace("&amp;", "&"))
