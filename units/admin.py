from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ReadOnlyAdmin
from core.audit.trail import record

from . import accounts
from .forms_registers import InitiativeRules, ViolationRules
from .models import (
    AccountSecurity,
    AuditEntry,
    Initiative,
    LoginLockout,
    StaffMember,
    Unit,
    Violation,
)
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
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the audit trail is append-only, nobody edits or deletes it here."""

    list_display = ["at", "actor", "action", "unit", "object_repr", "ip"]
    list_filter = ["action"]
    list_select_related = ["actor", "unit"]
    search_fields = ["object_repr", "actor__username", "action"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    actions = None  # no "delete selected", whoever signs in


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


# --- Account security -------------------------------------------------------------------------


class AccountSecurityInline(admin.StackedInline):
    model = AccountSecurity
    can_delete = False
    max_num = 1
    fields = ["must_change_password", "exempt_from_password_change", "password_changed_at"]
    readonly_fields = ["password_changed_at"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(auth_admin.UserAdmin):
    """Django's user admin, where any password an administrator sets must be replaced by its
    owner at the next sign-in (Decision 742)."""

    inlines = [AccountSecurityInline]

    def get_inlines(self, request, obj):
        # On the add page the password hook creates the row; an inline would create it twice.
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and obj.has_usable_password():
            self._password_set(request, obj)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        # The view redirects only after it saved the new password.
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, unquote(id))
            if user.pk != request.user.pk and user.has_usable_password():
                self._password_set(request, user)
        return response

    def _password_set(self, request, user):
        accounts.require_password_change(user)
        record(actor=request.user, action="password_set_by_admin", target=user)


@admin.register(LoginLockout)
class LoginLockoutAdmin(admin.ModelAdmin):
    """Failed sign-ins per username and address; unlocking deletes the row (django-axes)."""

    list_display = ["shown_username", "shown_address", "shown_failures", "shown_last_attempt",
                    "locked"]
    search_fields = ["username", "ip_address"]
    ordering = ["-attempt_time"]
    actions = ["unlock"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("username"), ordering="username")
    def shown_username(self, obj):
        return obj.username

    @admin.display(description=_("IP address"), ordering="ip_address")
    def shown_address(self, obj):
        return obj.ip_address

    @admin.display(description=_("failed attempts"), ordering="failures_since_start")
    def shown_failures(self, obj):
        return obj.failures_since_start

    @admin.display(description=_("last attempt"), ordering="attempt_time")
    def shown_last_attempt(self, obj):
        return obj.attempt_time

    @admin.display(description=_("locked now"), boolean=True)
    def locked(self, obj):
        return (obj.failures_since_start >= settings.AXES_FAILURE_LIMIT
                and obj.attempt_time + settings.AXES_COOLOFF_TIME > timezone.now())

    @admin.action(description=_("Unlock the selected sign-ins"), permissions=["delete"])
    def unlock(self, request, queryset):
        rows = list(queryset)
        for row in rows:
            record(actor=request.user, action="login_unlock", target=row,
                         before={"username": row.username, "ip_address": row.ip_address,
                                 "failures": row.failures_since_start})
        queryset.delete()
        self.message_user(request, ngettext(
            "Unlocked %(count)d sign-in.", "Unlocked %(count)d sign-ins.", len(rows)
        ) % {"count": len(rows)}, messages.SUCCESS)


admin.site.empty_value_display = _("(none)")
