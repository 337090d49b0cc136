from django.contrib import admin

# Rounds, sheets and scores change only through the workflow, which audits each step: their
# admin pages are ReadOnlyAdmin.
from core.admin import ReadOnlyAdmin

from .models import Criterion, Round, Scheme, Score, ScoreEvidence, Sheet


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["order", "number", "item", "title", "max_points", "rule", "deduction"]
    raw_id_fields = ["item"]


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["campaign", "scale", "stage", "cutoff", "computed_at"]
    list_filter = ["stage"]
    inlines = [CriterionInline]
    readonly_fields = ["stage", "copied_from", "computed_at"]


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["scheme", "kind", "deadline", "opened_at", "closed_at"]
    list_filter = ["kind"]


@admin.register(Sheet)
class SheetAdmin(ReadOnlyAdmin):
    list_display = ["unit", "round", "final", "rank", "grade", "confirmed_at"]
    list_filter = ["round__kind", "grade"]
    list_select_related = ["unit", "round__scheme__campaign"]
    search_fields = ["unit__name"]


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ["unit", "criterion", "round", "data_points", "points", "applicable"]
    list_filter = ["round__kind", "applicable"]
    list_select_related = ["unit", "criterion", "round"]
    search_fields = ["unit__name", "criterion__title"]


@admin.register(ScoreEvidence)
class ScoreEvidenceAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "score", "size", "uploaded_by", "uploaded_at"]
