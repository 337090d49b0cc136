"""Keep the open round in step with the task data.

`tasks` may not import `scoring` (imports run one way), so scoring listens: whenever a report
is submitted, returned, accepted or reopened, the unit's scores in the open round are recomputed
once the transaction has committed. Closed rounds never move.
"""

from collections import defaultdict

from django.db import connection, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from tasks.models import Assignment, ReportAction, ReportEvent

from . import services
from .models import Scheme

MOVES_SCORES = {ReportAction.SUBMITTED, ReportAction.RESUBMITTED, ReportAction.RETURNED,
                ReportAction.ACCEPTED, ReportAction.REOPENED}


@receiver(post_save, sender=ReportEvent, dispatch_uid="scoring.follow_task_data")
def follow_task_data(sender, instance, created, **kwargs):
    if not created or instance.action not in MOVES_SCORES:
        return
    # One flush per transaction does the work for every report it touched. If no flush is
    # waiting, this is a new transaction (or the one waiting was dropped with a rolled-back
    # savepoint): what was pending belongs to work that is gone, so start afresh.
    # (run_on_commit holds (savepoint ids, callback, robust) for the current transaction.)
    waiting = any(hook[1] is _flush for hook in connection.run_on_commit)
    if not waiting:
        connection.scoring_pending = {}
    connection.scoring_pending[instance.report.assignment_id] = instance.actor
    if not waiting:
        transaction.on_commit(_flush)  # outside a transaction this runs at once


def _flush():
    touched, connection.scoring_pending = getattr(connection, "scoring_pending", {}), {}
    if not touched:
        return
    actor = next(iter(touched.values()))
    units = defaultdict(set)  # campaign id → unit ids
    for campaign_id, unit_id in Assignment.objects.filter(pk__in=touched).values_list(
            "task__item__campaign_id", "unit_id"):
        units[campaign_id].add(unit_id)
    schemes = Scheme.objects.filter(campaign_id__in=units, rounds__closed_at__isnull=True)
    for scheme in schemes.select_related("campaign").distinct():
        services.recompute(scheme=scheme, user=actor, unit_ids=sorted(units[scheme.campaign_id]))
