import datetime

from django.db import migrations, models
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import LessThanOrEqual

# Frozen here: this is `tasks.tallies.rebuild()` as it stood when the period key was added,
# written against the historical models, so that later changes to the app's code cannot change
# what this migration does. Plain ORM and Django's own TruncDate (the app's LocalDate is a
# faster equivalent on SQLite); rows built in Python, which a migration can afford.
REPORTED = ("submitted", "accepted")
COUNTS = ("reported", "on_time", "accepted", "waiting", "returned")


def _report_counts(reports, *keys):
    reported = Q(status__in=REPORTED)
    on_time = reported & LessThanOrEqual(TruncDate("submitted_at"), F("period_due"))
    return (reports.order_by().values_list(*keys)
            .annotate(reported=Count("pk", filter=reported),
                      on_time=Count("pk", filter=on_time),
                      accepted=Count("pk", filter=Q(status="accepted")),
                      waiting=Count("pk", filter=Q(status="submitted")),
                      returned=Count("pk", filter=Q(status="returned"))))


def count_again(apps, schema_editor):
    # The rows gain their period key: counted again from the reports (the services keep them
    # from now on).
    db = schema_editor.connection.alias
    Assignment = apps.get_model("tasks", "Assignment")
    ProgressReport = apps.get_model("tasks", "ProgressReport")
    AssignmentTally = apps.get_model("tasks", "AssignmentTally")
    ReportTally = apps.get_model("tasks", "ReportTally")
    DueReportTally = apps.get_model("tasks", "DueReportTally")
    SubmissionTally = apps.get_model("tasks", "SubmissionTally")
    for model in (AssignmentTally, ReportTally, DueReportTally, SubmissionTally):
        model.objects.using(db).all().delete()
    groups = (Assignment.objects.using(db).order_by()
              .values_list("unit_id", "task__item_id", "task__cadence")
              .annotate(deadline=Coalesce("deadline", "task__deadline"), n=Count("pk"))
              .values_list("unit_id", "task__item_id", "task__cadence", "deadline", "n"))
    AssignmentTally.objects.using(db).bulk_create(
        [AssignmentTally(unit_id=u, item_id=i, cadence=c, deadline=d, assignments=n)
         for u, i, c, d, n in groups], batch_size=2000)
    reports = ProgressReport.objects.using(db)
    ReportTally.objects.using(db).bulk_create(
        [ReportTally(unit_id=u, item_id=i, **dict(zip(COUNTS, counts, strict=True)))
         for u, i, *counts in _report_counts(reports, "assignment__unit_id",
                                             "assignment__task__item_id")], batch_size=2000)
    DueReportTally.objects.using(db).bulk_create(
        [DueReportTally(campaign_id=c, unit_id=u, item_id=i, period=p, period_due=d,
                        **dict(zip(COUNTS, counts, strict=True)))
         for c, u, i, p, d, *counts in _report_counts(
             reports, "assignment__task__item__campaign_id", "assignment__unit_id",
             "assignment__task__item_id", "period", "period_due")], batch_size=2000)
    sent = {}  # (campaign, unit, due date, month sent) → [submitted, late, reported]
    for c, u, due, day, n, kept in (
            reports.filter(submitted_at__isnull=False).order_by()
            .values_list("assignment__task__item__campaign_id", "assignment__unit_id",
                         "period_due", TruncDate("submitted_at"))
            .annotate(n=Count("pk"), kept=Count("pk", filter=Q(status__in=REPORTED)))):
        day = day if isinstance(day, datetime.date) else datetime.date.fromisoformat(day)
        counts = sent.setdefault((c, u, due, day.replace(day=1)), [0, 0, 0])
        counts[0] += n
        counts[1] += n if day > due else 0
        counts[2] += kept
    SubmissionTally.objects.using(db).bulk_create(
        [SubmissionTally(campaign_id=c, unit_id=u, period_due=d, month=m, submitted=n,
                         late=late, reported=kept)
         for (c, u, d, m), (n, late, kept) in sent.items()], batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ("tasks", "0004_report_queue_indexes_postgresql"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="duereporttally", name="duereporttally_unique"),
        migrations.AddField(
            model_name="duereporttally",
            name="period",
            field=models.CharField(default="", max_length=10),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="duereporttally",
            constraint=models.UniqueConstraint(fields=("unit", "item", "period", "period_due"),
                                               name="duereporttally_unique_period"),
        ),
        migrations.RunPython(count_again, migrations.RunPython.noop),
    ]
