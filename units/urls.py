from django.urls import path

from . import views, views_audit, views_registers

app_name = "units"
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("<int:pk>/", views.unit_detail, name="detail"),
    path("staff/<int:pk>/reporting/", views.toggle_reporting, name="toggle_reporting"),
    path("initiatives/", views_registers.initiative_list, name="initiatives"),
    path("initiatives/new/", views_registers.initiative_create, name="initiative_create"),
    path("initiatives/<int:pk>/edit/", views_registers.initiative_edit, name="initiative_edit"),
    path("violations/", views_registers.violation_list, name="violations"),
    path("violations/new/", views_registers.violation_create, name="violation_create"),
    path("violations/<int:pk>/edit/", views_registers.violation_edit, name="violation_edit"),
    path("audit/", views_audit.audit_trail, name="audit"),
]
