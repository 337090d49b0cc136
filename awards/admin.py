import datetime
from decimal import Decimal

from django.contrib import admin
from django.forms.models import model_to_dict

# Lists, votes and decisions change only through the portal's steps, which audit every change
# and check the stage: their admin pages are ReadOnlyAdmin.
from core.admin import ReadOnlyAdmin
from core.audit.trail import record
from units.services import record_save

from .forms import ConditionForm
from .forms_bonus import BaseSalaryForm, CoefficientForm
from .models import (
    Award,
    Condition,
    Conferral,
    Decision,
    DossierRequirement,
    GeneratedDocument,
    LegalPeriod,
    Nominee,
    NoticeComment,
    Proposal,
    ProposalRequirement,
    Quota,
    YearRating,
)
from .models_bonus import AwardCoefficient, BaseSalary


def catalogue_snapshot(obj) -> dict:
    """The audited values of a catalogue row (an award, a legal period, a condition, a quota),
    JSON-friendly: related rows by id, dates ISO, decimals as text."""
    def plain(value):
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value.normalize()) if value == value.to_integral() else str(value)
        return value
    return {name: plain(value) for name, value in model_to_dict(obj).items() if name != "id"}


class AuditedCatalogue:
    """The law kept as data is edited here, not in the portal's pages: each row saved or
    deleted, on its page or in a period's inline tables, is a line on the audit trail with
    before and after (in the admin's own transaction, so nothing is half-saved)."""

    def save_model(self, request, obj, form, change):
        before = catalogue_snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        record_save(user=request.user, action="catalogue", target=obj, before=before,
                    after=catalogue_snapshot(obj))

    def delete_model(self, request, obj):
        record(actor=request.user, action="catalogue.delete", target=obj,
               before=catalogue_snapshot(obj))
        super().delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        model = formset.model
        for gone in formset.deleted_forms:
            if gone.instance.pk:
                record(actor=request.user, action="catalogue.delete", target=gone.instance,
                       before=catalogue_snapshot(model.objects.get(pk=gone.instance.pk)))
        before = {row.pk: catalogue_snapshot(row) for row in model.objects.filter(
            pk__in=[f.instance.pk for f in formset.forms
                    if f.instance.pk and f.has_changed() and f not in formset.deleted_forms])}
        formset.save()
        for row in formset.new_objects + [row for row, _fields in formset.changed_objects]:
            record_save(user=request.user, action="catalogue", target=row,
                        before=before.get(row.pk), after=catalogue_snapshot(row))


class DossierRequirementInline(admin.TabularInline):
    """The parts the award's dossier upward needs (awards.dossiers reads them)."""

    model = DossierRequirement
    extra = 0
    fields = ["part", "source", "confirmed"]


class ProposalRequirementInline(admin.TabularInline):
    """The parts a unit sends with its list for the award (awards.unit_dossier reads them)."""

    model = ProposalRequirement
    extra = 0
    fields = ["part", "source", "confirmed"]


@admin.register(Award)
class AwardAdmin(AuditedCatalogue, admin.ModelAdmin):
    inlines = [ProposalRequirementInline, DossierRequirementInline]
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
class LegalPeriodAdmin(AuditedCatalogue, admin.ModelAdmin):
    """The law of each period as data: figures marked unconfirmed carry their source here."""

    list_display = ["name", "first_year", "last_year", "starts_on", "ends_on", "excellent_cap"]
    fields = ["name", "first_year", "last_year", "starts_on", "ends_on", "basis",
              "excellent_cap", "excellent_cap_source"]
    inlines = [ConditionInline, QuotaInline]


@admin.register(Condition)
class ConditionAdmin(AuditedCatalogue, admin.ModelAdmin):
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


@admin.register(BaseSalary)
class BaseSalaryAdmin(AuditedCatalogue, admin.ModelAdmin):
    """The base salary by date: refused without a source or over another period's days."""

    form = BaseSalaryForm
    list_display = ["amount", "valid_from", "valid_until", "source", "confirmed"]


@admin.register(AwardCoefficient)
class AwardCoefficientAdmin(AuditedCatalogue, admin.ModelAdmin):
    """Each award's bonus coefficient per legal period: refused without its source."""

    form = CoefficientForm
    list_display = ["award", "period", "coefficient", "source", "confirmed"]
    list_filter = ["period", "confirmed"]
