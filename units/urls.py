from django.urls import path

from .views import audit, identity, registers, units

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
]
