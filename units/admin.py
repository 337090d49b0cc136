from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .forms_registers import InitiativeRules, ViolationRules
from .models import AuditEntry, Initiative, StaffMember, Unit, Violation
from .services import initiative_snapshot, record_save, violation_snapshot


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

    list_display = ["at", "actor", "action", "unit", "object_repr", "ip"]
    list_filter = ["action"]
    list_select_related = ["actor", "unit"]
    search_fields = ["object_repr", "actor__username", "action"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    actions = None  # no "delete selected", whoever signs in

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RegisterAdmin(admin.ModelAdmin):
    """A register row: never deleted (scoring and awards read the history); saved here it is
    checked by the same rules and audited like one saved from the portal's own pages."""

    audit_action = ""
    snapshot = staticmethod(lambda obj: {})

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            # Read "before" from the database: the form has already changed `obj`.
            obj._audit_before = self.snapshot(type(obj).objects.get(pk=obj.pk))
        elif not obj.recorded_by_id:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        record_save(user=request.user, action=self.audit_action, target=obj,
                    before=getattr(obj, "_audit_before", None), after=self.snapshot(obj))


@admin.register(Initiative)
class InitiativeAdmin(RegisterAdmin):
    form = InitiativeRules
    audit_action = "initiative"
    snapshot = staticmethod(initiative_snapshot)
    list_display = ["title", "unit", "level", "year", "decision", "decided_on"]
    list_filter = ["year", "level", "unit__kind"]
    search_fields = ["title", "decision", "unit__name", "unit__short_name",
                     "authors__full_name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit", "authors"]
    readonly_fields = ["recorded_by", "recorded_at"]
    date_hierarchy = "decided_on"


@admin.register(Violation)
class ViolationAdmin(RegisterAdmin):
    form = ViolationRules
    audit_action = "violation"
    snapshot = staticmethod(violation_snapshot)
    list_display = ["occurred_on", "unit", "kind", "staff", "discipline_level", "decision"]
    list_filter = ["kind", "discipline_level", "unit__kind"]
    search_fields = ["description", "decision", "unit__name", "unit__short_name",
                     "staff__full_name"]
    list_select_related = ["unit", "staff"]
    autocomplete_fields = ["unit", "staff"]
    readonly_fields = ["recorded_by", "recorded_at"]
    date_hierarchy = "occurred_on"


admin.site.empty_value_display = _("(none)")
