from django.contrib import admin

from .models import Award, Condition, Conferral, LegalPeriod, Quota, YearRating


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "subject", "level", "authority", "order"]
    list_filter = ["kind", "subject", "level"]
    search_fields = ["name", "code"]


class ConditionInline(admin.TabularInline):
    model = Condition
    extra = 0
    fields = ["award", "alternative", "predicate", "number", "strict", "years", "rating",
              "discipline_level", "initiative_level", "grade", "other_award", "source",
              "confirmed"]


class QuotaInline(admin.TabularInline):
    model = Quota
    extra = 0


@admin.register(LegalPeriod)
class LegalPeriodAdmin(admin.ModelAdmin):
    """The law of each period as data: figures marked unconfirmed carry their source here."""

    list_display = ["name", "first_year", "last_year", "excellent_cap"]
    fields = ["name", "first_year", "last_year", "basis", "excellent_cap",
              "excellent_cap_source"]
    inlines = [ConditionInline, QuotaInline]


@admin.register(Condition)
class ConditionAdmin(admin.ModelAdmin):
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
