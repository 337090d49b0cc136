"""Reminder e-mails to unit heads: periods due soon, overdue periods and returned reports.

`manage.py send_reminders` calls `send`. Each head gets at most one message a run, and an item
already reminded to that head today (a tasks.Reminder row) is left out, so running twice on the
same day sends nothing new.
"""

import datetime
import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns.models import CampaignStatus
from units import identity
from units.collation import display_name, unit_order
from units.models import Role, StaffMember

from .models import (
    Assignment,
    Period,
    ProgressReport,
    Reminder,
    ReminderKind,
    ReportStatus,
)

logger = logging.getLogger(__name__)

NOT_REPORTED = (None, ReportStatus.DRAFT)


@dataclass(frozen=True)
class Item:
    """One thing to remind a head of: a period of an assignment, and its report if any."""

    kind: str  # a ReminderKind
    assignment: Assignment
    period: Period
    report: ProgressReport | None = None


def collect(today: datetime.date, days: int) -> dict:
    """{head user: [Item, …]} of what each unit head should be reminded of on `today`.

    Heads are active users with an e-mail and an active unit_head staff record. Items come from
    the assignments of launched campaigns: the current period when it is due within `days` days
    and not submitted or accepted (DUE_SOON), every period whose due date has passed with no
    report or only a draft (OVERDUE), and every returned report (RETURNED). Items already
    reminded to that user today are left out; users with nothing left are not in the result.
    Four queries, whatever the number of heads and assignments.
    """
    heads = (StaffMember.objects
             .filter(role=Role.UNIT_HEAD, is_active=True, unit__is_active=True,
                     user__isnull=False, user__is_active=True)
             .exclude(user__email="")
             .select_related("user", "unit")
             .order_by(*unit_order("unit__"), "user__username"))
    users_by_unit = defaultdict(list)
    for member in heads:
        users_by_unit[member.unit_id].append(member.user)
    if not users_by_unit:
        return {}

    live = {"task__item__campaign__status": CampaignStatus.LAUNCHED,
            "unit_id__in": list(users_by_unit)}
    assignments = list(Assignment.objects.filter(**live)
                       .select_related("task__item__campaign", "unit"))
    reports = defaultdict(dict)
    for report in (ProgressReport.objects
                   .filter(**{f"assignment__{key}": value for key, value in live.items()})
                   .only("id", "assignment_id", "period", "period_due", "status",
                         "return_reason")):
        reports[report.assignment_id][report.period] = report
    users = [user for unit_users in users_by_unit.values() for user in unit_users]
    already = set(Reminder.objects.filter(sent_on=today, user__in=users)
                  .values_list("user_id", "assignment_id", "period", "kind"))

    horizon = today + datetime.timedelta(days=days)
    digest = {user: [] for user in users}
    for assignment in assignments:
        own = reports[assignment.pk]
        items = []
        for period in assignment.periods():
            report = own.get(period.key)
            status = report.status if report else None
            if period.due < today and status in NOT_REPORTED:
                items.append(Item(ReminderKind.OVERDUE, assignment, period, report))
        current = assignment.next_period(today)
        if current and current.due <= horizon:
            report = own.get(current.key)
            if (report.status if report else None) in NOT_REPORTED:
                items.append(Item(ReminderKind.DUE_SOON, assignment, current, report))
        for key, report in sorted(own.items()):
            if report.status == ReportStatus.RETURNED:
                period = assignment.period(key) or Period(key, key, report.period_due)
                items.append(Item(ReminderKind.RETURNED, assignment, period, report))
        for user in users_by_unit[assignment.unit_id]:
            digest[user] += [item for item in items if (
                user.pk, assignment.pk, item.period.key, item.kind) not in already]

    order = {ReminderKind.OVERDUE: 0, ReminderKind.DUE_SOON: 1, ReminderKind.RETURNED: 2}
    return {
        user: sorted(items, key=lambda i: (order[i.kind], i.period.due,
                                           i.assignment.task.item.number, i.assignment.task_id))
        for user, items in digest.items() if items
    }


def send(today: datetime.date | None = None, days: int = 7) -> int:
    """E-mail each unit head one message listing their items; returns how many were sent.

    Side effects: one Reminder row per item included (in the same transaction as the mail, so a
    mail that fails is retried on the next run), and the e-mails, in Vietnamese.
    """
    today = today or timezone.localdate()
    sent = 0
    with translation.override("vi"):
        for user, items in collect(today, days).items():
            subject, body = compose(user, items, today, days)
            try:
                with transaction.atomic():
                    Reminder.objects.bulk_create([
                        Reminder(user=user, assignment=item.assignment, period=item.period.key,
                                 kind=item.kind, sent_on=today)
                        for item in items
                    ])
                    send_mail(subject, body, None, [user.email])
            except (smtplib.SMTPException, OSError, IntegrityError):
                logger.exception("Reminder to %s not sent", user.email)
                continue
            sent += 1
    return sent


def _url(name, *args) -> str:
    return settings.PORTAL_URL.rstrip("/") + reverse(name, args=args)


def _date(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


def compose(user, items: list[Item], today: datetime.date, days: int) -> tuple[str, str]:
    """The subject and plain-text body of one head's reminder, in the active language."""
    by_kind = defaultdict(list)
    for item in items:
        by_kind[item.kind].append(item)
    due_soon, overdue, returned = (by_kind[ReminderKind.DUE_SOON], by_kind[ReminderKind.OVERDUE],
                                   by_kind[ReminderKind.RETURNED])
    counts = []
    if due_soon:
        counts.append(ngettext("%(count)d task due soon", "%(count)d tasks due soon",
                               len(due_soon)) % {"count": len(due_soon)})
    if overdue:
        counts.append(ngettext("%(count)d task overdue", "%(count)d tasks overdue",
                               len(overdue)) % {"count": len(overdue)})
    if returned:
        counts.append(ngettext("%(count)d report returned", "%(count)d reports returned",
                               len(returned)) % {"count": len(returned)})
    subject = _("[Emulation] Reminder: %(summary)s") % {"summary": ", ".join(counts)}

    unit = items[0].assignment.unit
    department = identity.current()
    name = display_name(user)
    lines = [_("Dear %(name)s,") % {"name": name}, "",
             _("As of %(date)s, these tasks of %(unit)s need your attention on the emulation "
               "portal:") % {"date": _date(today), "unit": unit.name}]

    def entry(item):
        line = _("%(task)s – %(period)s, due %(due)s") % {
            "task": item.assignment.task.title, "period": item.period.label,
            "due": _date(item.period.due)}
        if item.report is not None and item.report.status == ReportStatus.DRAFT:
            line += " (" + _("draft saved, not submitted") + ")"
        return line

    if overdue:
        lines += ["", _("Overdue (the due date has passed and no report was submitted):")]
        for item in overdue:
            lines += [f"- {entry(item)}",
                      f"  {_url('tasks:report_start', item.assignment.pk, item.period.key)}"]
    if due_soon:
        lines += ["", ngettext("Due within %(days)d day:", "Due within %(days)d days:", days)
                  % {"days": days}]
        for item in due_soon:
            lines += [f"- {entry(item)}",
                      f"  {_url('tasks:report_start', item.assignment.pk, item.period.key)}"]
    if returned:
        lines += ["", _("Returned for correction:")]
        for item in returned:
            lines += [f"- {entry(item)}",
                      "  " + _("Reason: %(reason)s") % {"reason": item.report.return_reason},
                      f"  {_url('tasks:report', item.report.pk)}"]
    lines += ["", _("All tasks of your unit: %(url)s") % {"url": _url("tasks:unit", unit.pk)},
              "", "-- ", department.name,
              _("This message was sent automatically by the emulation portal; please do not "
                "reply.")]
    if department.email:
        lines.append(_("Questions: write to %(email)s.") % {"email": department.email})
    return subject, "\n".join(lines) + "\n"
