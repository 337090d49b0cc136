from django.contrib import admin

# Lists, votes and decisions change only through the portal's steps, which audit every change
# and check the stage: their admin pages are ReadOnlyAdmin.
from core.admin import ReadOnlyAdmin

from .forms import ConditionForm
from .models import (
    Award,
    Condition,
    Conferral,
    Decision,
    GeneratedDocument,
    LegalPeriod,
    Nominee,
    NoticeComment,
    Proposal,
    Quota,
    YearRating,
)


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "subject", "level", "cycle", "proposal_only", "authority",
                    "vote_percent", "vote_strict", "order", "confirmed"]
    list_filter = ["kind", "subject", "level", "cycle", "proposal_only", "confirmed"]
    search_fields = ["name", "code"]


class ConditionInline(admin.TabularInline):
    model = Condition
    form = ConditionForm
    extra = 0
    fields = ["award", "alternative", "predicate", "number", "strict", "years", "rating",
              "discipline_level", "initiative_level", "grade", "other_award", "women_number",
              "source", "confirmed"]


class QuotaInline(admin.TabularInline):
    model = Quota
    extra = 0


@admin.register(LegalPeriod)
class LegalPeriodAdmin(admin.ModelAdmin):
    """The law of each period as data: figures marked unconfirmed carry their source here."""

    list_display = ["name", "first_year", "last_year", "starts_on", "ends_on", "excellent_cap"]
    fields = ["name", "first_year", "last_year", "starts_on", "ends_on", "basis",
              "excellent_cap", "excellent_cap_source"]
    inlines = [ConditionInline, QuotaInline]


@admin.register(Condition)
class ConditionAdmin(admin.ModelAdmin):
    form = ConditionForm
    list_display = ["award", "period", "alternative", "predicate", "number", "source",
                    "confirmed"]
    list_filter = ["period", "award", "confirmed"]


@admin.register(YearRating)
class YearRatingAdmin(admin.ModelAdmin):
    list_display = ["staff", "year", "rating", "entered_by", "entered_at"]
    list_filter = ["year", "rating", "staff__unit"]
    search_fields = ["staff__full_name"]
    raw_id_fields = ["staff"]


@admin.register(Conferral)
class ConferralAdmin(admin.ModelAdmin):
    """History is never deleted: a wrong award is revoked with its reason."""

    list_display = ["award", "year", "staff", "unit", "decision", "decided_on", "revoked_at"]
    list_filter = ["year", "award"]
    search_fields = ["staff__full_name", "unit__name", "decision"]
    raw_id_fields = ["staff", "unit"]

    def has_delete_permission(self, request, obj=None):
        return False


class NomineeInline(admin.TabularInline):
    model = Nominee
    fields = ["award", "staff", "eligible", "justification", "votes_for", "votes_against",
              "passed", "decision"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["unit", "year", "stage", "submitted_at", "notice_until", "voted_on",
                    "approved_at"]
    list_filter = ["year", "stage"]
    search_fields = ["unit__name"]
    inlines = [NomineeInline]


@admin.register(NoticeComment)
class NoticeCommentAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "author", "at", "text"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["number", "award", "year", "signed_on", "signer_name", "revoked_at"]
    list_filter = ["year", "award"]
    search_fields = ["number"]


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(ReadOnlyAdmin):
    list_display = ["kind", "file_format", "requested_by", "requested_at", "status",
                    "progress", "rows", "pages"]
    list_filter = ["status", "kind"]
