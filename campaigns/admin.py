from django.contrib import admin

from .models import Campaign, ContentItem, Dissemination, Duty, LegalBasis, Recipient


class LegalBasisInline(admin.StackedInline):
    model = LegalBasis
    extra = 0


class ContentItemInline(admin.StackedInline):
    model = ContentItem
    extra = 0


class DutyInline(admin.StackedInline):
    model = Duty
    extra = 0
    filter_horizontal = ["units"]


class RecipientInline(admin.TabularInline):
    model = Recipient
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["code", "year", "title", "status", "issued_on"]
    list_filter = ["status", "year"]
    search_fields = ["title", "number"]
    readonly_fields = ["launched_at", "launched_by", "copied_from"]
    inlines = [LegalBasisInline, ContentItemInline, DutyInline, RecipientInline]


@admin.register(Dissemination)
class DisseminationAdmin(admin.ModelAdmin):
    list_display = ["campaign", "unit", "disseminated_on", "staff_reached", "confirmed_at"]
    list_filter = ["campaign"]
    list_select_related = ["campaign", "unit"]
    readonly_fields = ["confirmed_at", "confirmed_by"]
