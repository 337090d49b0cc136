from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, StaffMember, Unit


class StaffInline(admin.TabularInline):
    model = StaffMember
    extra = 0
    fields = ["full_name", "position", "category", "role", "recruitment_date", "is_active", "user"]
    raw_id_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "headcount", "order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "code"]
    prepopulated_fields = {"code": ["short_name"]}
    inlines = [StaffInline]


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["full_name", "position", "unit", "category", "role", "recruitment_date",
                    "is_active"]
    list_filter = ["role", "category", "is_active", "unit__kind"]
    search_fields = ["full_name", "position", "unit__name", "user__username"]
    list_select_related = ["unit"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["unit"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is append-only, nobody edits or deletes it here."""

    list_display = ["at", "actor", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["object_repr", "actor__username", "action"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.empty_value_display = _("(none)")
