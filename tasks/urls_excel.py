# Included by the main URLconf into the "tasks" namespace; no app_name here on purpose.
from django.urls import path

from . import views_excel

urlpatterns = [
    path("campaign/<int:pk>/export.xlsx", views_excel.progress_export, name="progress_export"),
    path("campaign/<int:pk>/import/template.xlsx", views_excel.import_template_download,
         name="import_template"),
    path("campaign/<int:pk>/import/", views_excel.assignment_import, name="assignment_import"),
]
