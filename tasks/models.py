"""Tasks under a plan's content items, assigned to units, with progress reports and evidence."""

import calendar
import datetime
import re
import unicodedata
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from campaigns.models import CampaignStatus, ContentItem
from units.models import Unit


class IndicatorKind(models.TextChoices):
    PERCENT = "percent", _("Percentage")
    COUNT = "count", _("Count")
    YES_NO = "yes_no", _("Yes / no")
    DATE = "date", _("Date reached")


class Cadence(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    ONCE = "once", _("Once")


@dataclass(frozen=True)
class Period:
    """A reporting period of a task: its key (stored on reports), label and due date."""

    key: str
    label: str
    due: datetime.date


def period_label(key: str | None) -> str:
    """'2022-Q3' → 'Quý 3/2022', '2022-05' → '05/2022', '2022' → '2022'."""
    if not key:
        return ""
    year, _sep, part = key.partition("-")
    if part.startswith("Q"):
        return gettext("Quarter %(quarter)s/%(year)s") % {"quarter": part[1:], "year": year}
    if part:
        return f"{part}/{year}"
    return year


ROMAN_QUARTERS = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
_PERIOD_FORMS = [
    # (pattern on the folded text, builder of the key from the match)
    (re.compile(r"(\d{4})-q([1-4])"), lambda m: f"{m[1]}-Q{m[2]}"),
    (re.compile(r"(?:quy|quarter|q)\s*([1-4]|i{1,3}|iv)\s*[/.-]\s*(\d{4})"),
     lambda m: f"{m[2]}-Q{ROMAN_QUARTERS.get(m[1], m[1])}"),
    (re.compile(r"(\d{4})-(\d{1,2})"), lambda m: _month_key(m[1], m[2])),
    (re.compile(r"(?:thang|month)?\s*(\d{1,2})\s*[/.-]\s*(\d{4})"),
     lambda m: _month_key(m[2], m[1])),
    (re.compile(r"(?:nam|year)?\s*(\d{4})"), lambda m: m[1]),
]


def _month_key(year: str, month: str) -> str | None:
    return f"{year}-{int(month):02d}" if 1 <= int(month) <= 12 else None


def parse_period(text: str) -> str | None:
    """A period as people write it — the key ("2022-Q3", "2022-09", "2022") or as the pages
    show it ("Quý 3/2022", "09/2022", "Tháng 9/2022", "Năm 2022", "Quý III/2022") — as its key;
    None when it is none of these."""
    folded = unicodedata.normalize("NFKD", text.strip().lower().replace("đ", "d"))
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    for pattern, key in _PERIOD_FORMS:
        match = pattern.fullmatch(folded)
        if match:
            return key(match)
    return None


def closed_reason(campaign) -> str | None:
    """Why a campaign's reports can no longer change, or None while it runs.

    A closed plan is never edited again, so its last change is its closing: `updated_at` is
    the day it ended.
    """
    if campaign.status != CampaignStatus.CLOSED:
        return None
    ended = timezone.localtime(campaign.updated_at).date()
    return gettext("Plan %(plan)s ended on %(date)s; its reports can no longer be changed.") % {
        "plan": campaign.code, "date": ended.strftime("%d/%m/%Y")}


def periods_for(cadence: str, year: int, deadline: datetime.date | None) -> list[Period]:
    """The reporting periods of a year; a monthly or quarterly report is due at period end."""
    if cadence == Cadence.MONTHLY:
        return [
            Period(f"{year}-{m:02d}", period_label(f"{year}-{m:02d}"),
                   datetime.date(year, m, calendar.monthrange(year, m)[1]))
            for m in range(1, 13)
        ]
    if cadence == Cadence.QUARTERLY:
        ends = [(3, 31), (6, 30), (9, 30), (12, 31)]
        return [
            Period(f"{year}-Q{q}", period_label(f"{year}-Q{q}"),
                   datetime.date(year, *ends[q - 1]))
            for q in range(1, 5)
        ]
    return [Period(str(year), str(year), deadline or datetime.date(year, 12, 31))]


class TaskQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Readers of everything see every task; anyone else the tasks of their own unit."""
        if viewer.reads_everything:
            return self
        return self.filter(assignments__unit_id=viewer.unit_id)

    def with_assignment_count(self):
        return self.annotate(assignment_count=Count("assignments", distinct=True))


class Task(models.Model):
    item = models.ForeignKey(
        ContentItem, verbose_name=_("content item"), on_delete=models.CASCADE,
        related_name="tasks",
    )
    title = models.CharField(pgettext_lazy("task", "title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    indicator_kind = models.CharField(
        _("indicator"), max_length=10, choices=IndicatorKind.choices,
        default=IndicatorKind.PERCENT,
    )
    indicator_label = models.CharField(
        _("indicator wording"), max_length=200, blank=True,
        help_text=_("E.g. 100 % thủ tục hành chính được công khai."),
    )
    target_value = models.DecimalField(
        _("target"), max_digits=12, decimal_places=2, null=True, blank=True,
        help_text=_("For a percentage 0–100; for a count the number to reach."),
    )
    unit_of_measure = models.CharField(_("unit of measure"), max_length=60, blank=True)
    cadence = models.CharField(
        _("reporting cadence"), max_length=10, choices=Cadence.choices, default=Cadence.QUARTERLY
    )
    deadline = models.DateField(_("deadline"))
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("lead unit"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="led_tasks",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["item__number", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("tasks:task", args=[self.pk])

    def periods(self, deadline=None) -> list[Period]:
        return periods_for(self.cadence, self.item.campaign.year, deadline or self.deadline)

    def value_bounds(self) -> tuple[Decimal, Decimal | None]:
        """The range a reported value may take (upper None: no upper bound)."""
        if self.indicator_kind == IndicatorKind.PERCENT:
            return Decimal(0), Decimal(100)
        if self.indicator_kind == IndicatorKind.YES_NO:
            return Decimal(0), Decimal(1)
        return Decimal(0), None


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Readers of everything see every unit's assignments; anyone else their own unit's."""
        if viewer.reads_everything:
            return self
        return self.filter(unit_id=viewer.unit_id)

    def for_unit(self, unit_id):
        return self.filter(unit_id=unit_id)

    def with_progress(self, today: datetime.date):
        """One query for a list of assignments with what their reports say.

        Annotates the latest report (period, status, value or date), how many past-due periods are
        reported (submitted or accepted), and how many reports wait for review or were returned.
        `Assignment.overdue_count` then needs no query.
        """
        latest = ProgressReport.objects.filter(assignment=OuterRef("pk")).order_by("-period")
        reported = Q(reports__status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED])
        return self.select_related("task__item__campaign", "unit").annotate(
            latest_period=Subquery(latest.values("period")[:1]),
            latest_status=Subquery(latest.values("status")[:1]),
            latest_value=Subquery(latest.values("value")[:1]),
            # A "date" task reports the day it was done, not a number.
            latest_value_date=Subquery(latest.values("value_date")[:1]),
            reported_count=Count("reports", filter=reported & Q(reports__period_due__lte=today),
                                 distinct=True),
            waiting_count=Count("reports", filter=Q(reports__status=ReportStatus.SUBMITTED),
                                distinct=True),
            returned_count=Count("reports", filter=Q(reports__status=ReportStatus.RETURNED),
                                 distinct=True),
        )


class Assignment(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="assignments"
    )
    target_value = models.DecimalField(
        _("own target"), max_digits=12, decimal_places=2, null=True, blank=True,
        help_text=_("Leave empty to use the task's target."),
    )
    deadline = models.DateField(
        _("own deadline"), null=True, blank=True,
        help_text=_("Leave empty to use the task's deadline."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["task__item__number", "task_id", "unit__order", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="assignment_unique_unit"),
        ]
        # The Office and Union dashboard counts assignments by (task, own deadline): read
        # from this index alone, without visiting sixty thousand rows for their deadline.
        indexes = [models.Index(fields=["task", "deadline"], name="assignment_task_deadline")]

    def __str__(self):
        return f"{self.task} – {self.unit}"

    def get_absolute_url(self):
        return reverse("tasks:assignment", args=[self.pk])

    @property
    def effective_target(self):
        return self.target_value if self.target_value is not None else self.task.target_value

    @property
    def effective_deadline(self):
        return self.deadline or self.task.deadline

    def periods(self) -> list[Period]:
        return self.task.periods(self.effective_deadline)

    def period(self, key: str) -> Period | None:
        return next((p for p in self.periods() if p.key == key), None)

    def due_periods(self, today: datetime.date) -> list[Period]:
        return [p for p in self.periods() if p.due <= today]

    def next_period(self, today: datetime.date) -> Period | None:
        return next((p for p in self.periods() if p.due >= today), None)

    def due_soon(self, today: datetime.date, days: int) -> bool:
        """Whether the next period falls due within `days` and its report is not yet sent
        (needs `with_progress`: the latest report is the next period's once it exists)."""
        upcoming = self.next_period(today)
        if upcoming is None or (upcoming.due - today).days > days:
            return False
        sent = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
        return not (self.latest_period == upcoming.key and self.latest_status in sent)

    def overdue_count(self, today: datetime.date) -> int:
        """Past-due periods without a submitted or accepted report (needs `with_progress`)."""
        return max(0, len(self.due_periods(today)) - self.reported_count)


@dataclass(frozen=True)
class Workload:
    """What a unit's assignments ask of it today. The home page's counters and to-do list and
    the unit's task page all count from this, so they cannot disagree."""

    assignments: int
    overdue_tasks: int  # assignments with a past-due period neither submitted nor accepted
    returned_reports: int  # reports sent back to the unit to correct
    due_soon: int = 0  # assignments whose next period falls due within DUE_SOON_DAYS, not sent

    # How far ahead "due soon" looks: the reminders' default week, and the week after it.
    DUE_SOON_DAYS = 14

    @classmethod
    def of(cls, assignments, today: datetime.date) -> "Workload":
        """`assignments` read with `with_progress(today)`; no query.

        Only running plans ask anything: a closed plan's assignments are history (its reports
        can no longer change), so they are neither counted nor overdue.
        """
        running = [a for a in assignments
                   if a.task.item.campaign.status == CampaignStatus.LAUNCHED]
        return cls(assignments=len(running),
                   overdue_tasks=sum(1 for a in running if a.overdue_count(today)),
                   returned_reports=sum(a.returned_count for a in running),
                   due_soon=sum(1 for a in running if a.due_soon(today, cls.DUE_SOON_DAYS)))

    @property
    def pending(self) -> bool:
        return bool(self.overdue_tasks or self.returned_reports)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report status", "Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


class ProgressReportQuerySet(models.QuerySet):
    def awaiting_review(self):
        return self.filter(status=ReportStatus.SUBMITTED)


class ProgressReport(models.Model):
    """What a unit reached on an assignment in one period, with the narrative and evidence."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="reports"
    )
    period = models.CharField(_("period"), max_length=10)
    period_due = models.DateField(_("due"))
    value = models.DecimalField(_("value reached"), max_digits=12, decimal_places=2, null=True,
                                blank=True)
    value_date = models.DateField(_("date reached"), null=True, blank=True)
    narrative = models.TextField(_("narrative"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["assignment_id", "period"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "period"], name="report_unique_period"),
        ]
        # The review queue and the Office's dashboard take the oldest submitted, and the oldest
        # returned, reports of a status in order.
        indexes = [models.Index(fields=["status", "submitted_at"]),
                   models.Index(fields=["status", "reviewed_at"], name="report_status_reviewed"),
                   # The Office's dashboard: which assignments reported their current period.
                   models.Index(fields=["period", "status", "assignment"],
                                name="report_period_status")]

    def __str__(self):
        return f"{self.assignment} – {self.period}"

    def get_absolute_url(self):
        return reverse("tasks:report", args=[self.pk])

    @property
    def audit_unit_id(self) -> int:
        """The unit the audit trail files this report under (see core.audit.trail.record)."""
        return self.assignment.unit_id

    @property
    def period_label(self):
        return period_label(self.period)

    @property
    def is_editable(self):
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)

    @property
    def is_late(self):
        submitted = self.submitted_at and timezone.localtime(self.submitted_at).date()
        return bool(submitted and submitted > self.period_due)

    @property
    def closed_reason(self) -> str | None:
        """Why nothing of this report can change any more (its plan closed), or None."""
        return closed_reason(self.assignment.task.item.campaign)

    def holds(self, data) -> bool:
        """Whether the report stores exactly these typed values (keys missing: stored empty)."""
        return (self.value == data.get("value") and self.value_date == data.get("value_date")
                and self.narrative == (data.get("narrative") or ""))

    def just_done_by(self, user, actions, data=None, *, comment=None, within=60) -> bool:
        """Whether `user`'s last step on this report, seconds ago, was one of `actions` and left
        the report holding `data` (and, for a review, with `comment`): a second request of one
        click (a double click, a resent form) is then answered as the first was, instead of as
        someone else's conflict. A second review with another comment is not the same click:
        answered "done", its reason would be dropped unseen (two tabs of one account)."""
        last = self.events.order_by("-at", "-id").first()
        return bool(
            last is not None and last.actor_id == user.pk and last.action in actions
            and timezone.now() - last.at <= datetime.timedelta(seconds=within)
            and (data is None or self.holds(data))
            and (comment is None or last.comment == comment)
        )

    def snapshot(self):
        return {
            "status": self.status,
            "value": f"{self.value:.2f}" if self.value is not None else None,
            "value_date": self.value_date.isoformat() if self.value_date else None,
            "narrative": self.narrative,
        }


class ReportAction(models.TextChoices):
    SAVED = "saved", _("saved as draft")
    SUBMITTED = "submitted", _("submitted")
    RESUBMITTED = "resubmitted", _("resubmitted")
    RETURNED = "returned", _("returned")
    ACCEPTED = "accepted", _("accepted")
    REOPENED = "reopened", _("reopened")
    EVIDENCE_ADDED = "evidence_added", _("evidence added")
    EVIDENCE_REMOVED = "evidence_removed", _("evidence removed")


class ReportEvent(models.Model):
    """One step in a report's history: who did what, when, with which comment and values."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=20, choices=ReportAction.choices)
    from_status = models.CharField(max_length=10, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=ReportStatus.choices)
    comment = models.TextField(_("comment"), blank=True)
    values = models.JSONField(_("values"), default=dict, blank=True)

    class Meta:
        verbose_name = _("report history entry")
        verbose_name_plural = _("report history")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.report} {self.action}"


def evidence_path(instance, filename):
    # Never the user's file name in the path: a random name keeps uploads from overwriting or
    # pointing anywhere; the original name is kept in a column for the download.
    today = timezone.localdate()
    return f"{instance.upload_folder}/{today:%Y/%m}/{uuid.uuid4().hex}.{instance.extension}"


class StoredFile(models.Model):
    """An uploaded file checked by `uploads.check_evidence`, stored under a random name."""

    upload_folder = "evidence"

    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name

    @classmethod
    def from_checked(cls, checked, *, upload, user, **fields):
        """An unsaved row for a checked upload, its file already written to storage."""
        stored = cls(original_name=checked.name, extension=checked.extension,
                     content_type=checked.content_type, size=checked.size,
                     sha256=checked.sha256, uploaded_by=user, **fields)
        stored.file.save(f"upload.{checked.extension}", upload, save=False)
        return stored


class Evidence(StoredFile):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE,
                               related_name="evidence")

    class Meta(StoredFile.Meta):
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def get_absolute_url(self):
        return reverse("tasks:evidence", args=[self.pk])


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("due soon")
    OVERDUE = "overdue", _("overdue")
    RETURNED = "returned", _("returned")


class Reminder(models.Model):
    """A reminder e-mail already sent, so that running `send_reminders` twice sends nothing new."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE,
                                   related_name="reminders")
    period = models.CharField(max_length=10)
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    sent_on = models.DateField()

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["user", "assignment", "period", "kind", "sent_on"],
                                    name="reminder_once_a_day"),
        ]

    def __str__(self):
        return f"{self.kind} {self.assignment} {self.sent_on:%d/%m/%Y}"


# Running counts the dashboards read instead of the reports (tasks.tallies keeps them) ----------

class AssignmentTally(models.Model):
    """How many assignments a unit has under a content item with one (cadence, deadline): what
    the due periods of `tasks.figures` follow from. Kept by `tasks.tallies`; never edited."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="+")
    cadence = models.CharField(max_length=10, choices=Cadence.choices)
    deadline = models.DateField()  # the assignment's own deadline, else the task's
    assignments = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("assignment tally")
        verbose_name_plural = _("assignment tallies")
        constraints = [models.UniqueConstraint(fields=["unit", "item", "cadence", "deadline"],
                                               name="assignmenttally_unique")]

    def __str__(self):
        return f"{self.unit_id}/{self.item_id} {self.cadence} {self.deadline}"


class ReportCounts(models.Model):
    """The counts `tasks.figures` reads, shared by the two report tallies."""

    reported = models.IntegerField(default=0)  # submitted or accepted
    on_time = models.IntegerField(default=0)  # reported, sent by the due date
    accepted = models.IntegerField(default=0)
    waiting = models.IntegerField(default=0)  # submitted, not yet reviewed
    returned = models.IntegerField(default=0)

    class Meta:
        abstract = True


class ReportTally(ReportCounts):
    """The reports of a unit under a content item, whatever their due date."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("report tally")
        verbose_name_plural = _("report tallies")
        constraints = [models.UniqueConstraint(fields=["unit", "item"],
                                               name="reporttally_unique")]

    def __str__(self):
        return f"{self.unit_id}/{self.item_id}"


class DueReportTally(ReportCounts):
    """The reports of a unit under a content item for one period due on one day: a quarter,
    or the periods not yet due, are cut from these; the follow-up dashboard matches each
    assignment's current period against them. The period key is part of the row because a
    month and a quarter can end on the same day (30/09): summed by day alone, September's
    monthly reports would count as the third quarter's."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE,
                                 related_name="+")  # the item's: read by due date within it
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=10)  # the reports' period key: "2022-05", "2022-Q2"
    period_due = models.DateField()

    class Meta:
        verbose_name = _("report tally by due date")
        verbose_name_plural = _("report tallies by due date")
        constraints = [models.UniqueConstraint(fields=["unit", "item", "period", "period_due"],
                                               name="duereporttally_unique_period")]
        # Every column the lists and figures read, after the due date they are read by: the
        # lists sum a campaign's 120,000 rows per period (`tasks.periods`), and SQLite then
        # reads the index alone instead of each row of the table (160 → 20 ms).
        indexes = [models.Index(fields=["campaign", "period_due", "period", "unit", "item",
                                        "reported", "on_time", "accepted", "waiting",
                                        "returned"], name="duereporttally_due_counts")]

    def __str__(self):
        return f"{self.unit_id}/{self.item_id} {self.period} {self.period_due}"


class SubmissionTally(models.Model):
    """Reports sent, by campaign, unit, due date and month sent (in the portal's time zone):
    the month-by-month trend."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE,
                                 related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    period_due = models.DateField()
    month = models.DateField()  # the first day of the month the report was (last) sent
    submitted = models.IntegerField(default=0)
    late = models.IntegerField(default=0)  # sent after the due date
    reported = models.IntegerField(default=0)  # and now submitted or accepted

    class Meta:
        verbose_name = _("submission tally")
        verbose_name_plural = _("submission tallies")
        constraints = [models.UniqueConstraint(fields=["campaign", "unit", "period_due", "month"],
                                               name="submissiontally_unique")]
        # The trend reads the sums by (due date, month) of a campaign from this index alone.
        indexes = [models.Index(fields=["campaign", "period_due", "month", "submitted", "late",
                                        "reported"], name="submissiontally_trend")]

    def __str__(self):
        return f"{self.campaign_id}/{self.unit_id} {self.period_due} {self.month}"
