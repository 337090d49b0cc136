"""The home page: what is waiting for the signed-in person, by role; and the health check."""

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from campaigns.models import Campaign, CampaignStatus, Dissemination
from tasks.models import Assignment, ProgressReport
from units.access import viewer_for
from units.collation import unit_order

HOME_LIST_LIMIT = 15

logger = logging.getLogger(__name__)


def home(request):
    viewer = viewer_for(request.user)
    campaigns = list(
        Campaign.objects.visible_to(viewer).exclude(status=CampaignStatus.CLOSED).with_counts()
    )
    my_pending = []
    if viewer.is_unit_head:
        my_pending = list(
            Dissemination.objects.pending()
            .filter(unit_id=viewer.unit_id, campaign__status=CampaignStatus.LAUNCHED)
            .select_related("campaign")
        )
    unconfirmed = []
    if viewer.reads_everything:
        # What the Office and the Union chase: units that have not yet confirmed dissemination.
        unconfirmed = list(
            Dissemination.objects.pending()
            .filter(campaign__status=CampaignStatus.LAUNCHED)
            .select_related("campaign", "unit")
            .order_by("campaign__year", *unit_order("unit__"))[:HOME_LIST_LIMIT]
        )
    work = None
    if viewer.unit_id:
        today = timezone.localdate()
        assignments = list(Assignment.objects.for_unit(viewer.unit_id).with_progress(today))
        work = {
            "total": len(assignments),
            "overdue": sum(1 for a in assignments if a.overdue_count(today)),
            "returned": sum(1 for a in assignments if a.returned_count),
        }
    awaiting = ProgressReport.objects.awaiting_review().count() if viewer.reviews else None
    return render(request, "home.html", {
        "campaigns": campaigns, "my_pending": my_pending, "unconfirmed": unconfirmed,
        "list_limit": HOME_LIST_LIMIT, "work": work, "awaiting": awaiting,
    })


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
