from django.urls import path

from .views import audit, identity, organisation, registers, staff, staff_import, units

app_name = "units"
urlpatterns = [
    path("", units.unit_list, name="list"),
    path("<int:pk>/", units.unit_detail, name="detail"),
    path("staff/<int:pk>/reporting/", units.toggle_reporting, name="toggle_reporting"),
    path("initiatives/", registers.initiative_list, name="initiatives"),
    path("initiatives/new/", registers.initiative_create, name="initiative_create"),
    path("initiatives/<int:pk>/edit/", registers.initiative_edit, name="initiative_edit"),
    path("violations/", registers.violation_list, name="violations"),
    path("violations/new/", registers.violation_create, name="violation_create"),
    path("violations/<int:pk>/edit/", registers.violation_edit, name="violation_edit"),
    path("audit/", audit.audit_trail, name="audit"),
    path("department/", identity.department_edit, name="department"),
    path("department/logo/", identity.department_logo, name="logo"),
    # Organisation and staff (issue 15).
    path("organisation/", organisation.organisation_page, name="organisation"),
    path("organisation/new/", organisation.unit_create, name="unit_create"),
    path("<int:pk>/rename/", organisation.unit_rename, name="unit_rename"),
    path("<int:pk>/move/", organisation.unit_move, name="unit_move"),
    path("<int:pk>/deactivate/", organisation.unit_deactivate, name="unit_deactivate"),
    path("<int:pk>/merge/", organisation.unit_merge, name="unit_merge"),
    path("organisation/import/", staff_import.units_import_page, name="units_import"),
    path("organisation/import/template/", staff_import.units_template, name="units_template"),
    path("staff/import/", staff_import.staff_import_page, name="staff_import"),
    path("staff/import/template/", staff_import.staff_template, name="staff_template"),
    path("<int:pk>/staff/", staff.staff_list, name="staff"),
    path("<int:pk>/staff/new/", staff.staff_create, name="staff_create"),
    path("staff/<int:pk>/edit/", staff.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/transfer/", staff.staff_transfer, name="staff_transfer"),
    path("staff/<int:pk>/deactivate/", staff.staff_deactivate, name="staff_deactivate"),
]
