"""The home page: what is waiting for the signed-in person, by role; and the health check."""

import logging
from dataclasses import dataclass

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.models import Value
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from awards.access import can_approve_fund_override
from awards.models_bonus import Approval, IncomeCorrection, Payout
from campaigns.access import can_manage_campaigns
from campaigns.models import Campaign, CampaignStatus, Dissemination
from scoring.models import Sheet, Stage
from tasks.access import can_report_for, can_review_reports
from tasks.models import Assignment, ProgressReport, Workload
from units.access import (
    can_view_every_unit,
    has_role,
    headed_unit_id,
    own_unit_id,
    viewer_for,
)
from units.collation import unit_order
from units.first_run import first_steps

HOME_LIST_LIMIT = 15

logger = logging.getLogger(__name__)


def home(request):
    user = request.user
    campaigns = list(Campaign.objects.visible_to(viewer_for(user))
                     .exclude(status=CampaignStatus.CLOSED).with_counts())
    unit_id, headed = own_unit_id(user), headed_unit_id(user)
    can = {"view_every_unit": can_view_every_unit(user), "view_own_unit": bool(unit_id),
           "manage_campaigns": can_manage_campaigns(user), "head_unit": headed is not None}
    my_pending = []
    if headed:
        my_pending = list(
            Dissemination.objects.pending()
            .filter(unit_id=headed, campaign__status=CampaignStatus.LAUNCHED)
            .select_related("campaign")
        )
    unconfirmed = []
    if can["view_every_unit"]:
        # What the Office and the Union chase: units that have not yet confirmed dissemination.
        unconfirmed = list(
            Dissemination.objects.pending()
            .filter(campaign__status=CampaignStatus.LAUNCHED)
            .select_related("campaign", "unit")
            .order_by("campaign__year", *unit_order("unit__"))[:HOME_LIST_LIMIT]
        )
    work = None
    if unit_id:
        today = timezone.localdate()
        work = Workload.of(Assignment.objects.for_unit(unit_id).with_progress(today), today)
    awaiting = (ProgressReport.objects.awaiting_review().count() if can_review_reports(user)
                else None)
    # The open self-assessments the unit's head has still to confirm (scoring, section III).
    assessments = []
    if headed:
        assessments = list(
            Sheet.objects.filter(unit_id=headed, round__kind=Stage.SELF,
                                 round__closed_at__isnull=True, confirmed_at__isnull=True)
            .select_related("round__scheme__campaign").order_by("round__deadline"))
    # An administrator's checklist while the department's portal is still being set up.
    steps = first_steps(user)
    if steps is not None:
        steps["plan"] = bool(campaigns)
        if all(steps.values()):
            steps = None
    todo = _to_do(my_pending, work if can_report_for(user, unit_id) else None, awaiting,
                  assessments)
    if can_approve_fund_override(user):
        # Payout lists beyond the reward fund wait for a director's approval, and so do income
        # corrections leaving it short: one query for both, a handful of rows.
        lists = (Payout.objects.filter(approval=Approval.PENDING).order_by()
                 .annotate(kind=Value("fund_approval")).values_list("kind", "year"))
        corrections = (IncomeCorrection.objects.filter(approval=Approval.PENDING).order_by()
                       .annotate(kind=Value("fund_correction"))
                       .values_list("kind", "income__year"))
        waiting = {}
        for kind, year in sorted(lists.union(corrections, all=True)):
            waiting.setdefault(kind, []).append(year)
        for kind in ("fund_approval", "fund_correction"):
            if kind in waiting:
                todo.append(ToDo(kind, len(waiting[kind]), year=waiting[kind][0]))
    return render(request, "home.html", {
        "first_steps": steps,
        # An account without a staff record (the first administrator) greeted by its name, in
        # Vietnamese order (units.collation.display_name, without its query).
        "account_name": f"{user.last_name} {user.first_name}".strip(),
        "campaigns": campaigns, "unconfirmed": unconfirmed, "list_limit": HOME_LIST_LIMIT,
        "work": work, "awaiting": awaiting,
        "todo": todo,
        "can": can, "has_role": has_role(user),
    })


@dataclass(frozen=True)
class ToDo:
    """One line of the home page's "Waiting for you", built from the same figures as the
    counters above it: the page cannot say "nothing to do" under "4 tasks overdue"."""

    # "dissemination", "returned", "overdue", "due_soon", "assessment", "review" or
    # "fund_approval", "fund_correction"
    kind: str
    count: int = 1
    dissemination: object = None
    sheet: object = None
    year: int | None = None  # "fund_approval", "fund_correction": the fund's year to open


def _to_do(pending_disseminations, work, awaiting, assessments=()) -> list[ToDo]:
    """`work`: the unit's workload when the person can act on it (the head and the staff they
    delegated reporting to), else None."""
    todo = [ToDo("dissemination", dissemination=d) for d in pending_disseminations]
    if work is not None:
        if work.returned_reports:
            todo.append(ToDo("returned", work.returned_reports))
        if work.overdue_tasks:
            todo.append(ToDo("overdue", work.overdue_tasks))
        if work.due_soon:
            todo.append(ToDo("due_soon", work.due_soon))
    todo += [ToDo("assessment", sheet=sheet) for sheet in assessments]
    if awaiting:
        todo.append(ToDo("review", awaiting))
    return todo


@login_not_required  # the load balancer probes it without an account
@never_cache
@require_safe
def health(request):
    """200 when this host can answer and reach the database, 503 otherwise.

    The answer names no host, version or error: the URL is public. The error goes to the log.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database is unreachable")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
