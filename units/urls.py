from django.urls import path

from . import views

app_name = "units"
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("<int:pk>/", views.unit_detail, name="detail"),
    path("staff/<int:pk>/reporting/", views.toggle_reporting, name="toggle_reporting"),
]
