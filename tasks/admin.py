from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import AssignmentTally, DueReportTally, ReportTally, SubmissionTally


class TallyAdmin(ReadOnlyAdmin):
    """The dashboards' tallies: kept by tasks.tallies with every write, rebuilt by the
    `rebuild_tallies` command; shown for checking, never edited by hand."""

    list_select_related = ["unit", "item"]
    search_fields = ["unit__name"]


@admin.register(AssignmentTally)
class AssignmentTallyAdmin(TallyAdmin):
    list_display = ["unit", "item", "cadence", "deadline", "assignments"]
    list_filter = ["cadence"]


@admin.register(ReportTally)
class ReportTallyAdmin(TallyAdmin):
    list_display = ["unit", "item", "reported", "on_time", "accepted", "waiting", "returned"]


@admin.register(DueReportTally)
class DueReportTallyAdmin(TallyAdmin):
    list_display = ["unit", "item", "period", "period_due", "reported", "on_time", "accepted",
                    "waiting", "returned"]
    date_hierarchy = "period_due"


@admin.register(SubmissionTally)
class SubmissionTallyAdmin(TallyAdmin):
    list_select_related = ["unit", "campaign"]
    list_display = ["campaign", "unit", "period_due", "month", "submitted", "late", "reported"]
