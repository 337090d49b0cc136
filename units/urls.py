from django.urls import path

from .views import accounts_admin, audit, registers, units

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
    path("accounts/", accounts_admin.account_list, name="accounts"),
    path("accounts/new/", accounts_admin.account_create, name="account_create"),
    path("accounts/<int:pk>/deactivate/", accounts_admin.account_deactivate,
         name="account_deactivate"),
    path("accounts/<int:pk>/unlock/", accounts_admin.account_unlock, name="account_unlock"),
    path("accounts/<int:pk>/invite/", accounts_admin.account_invite, name="account_invite"),
]
