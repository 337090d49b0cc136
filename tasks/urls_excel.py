# Included by the main URLconf into the "tasks" namespace; no app_name here on purpose.
from django.urls import path

from .views import excel

urlpatterns = [
    path("campaign/<int:pk>/export.xlsx", excel.progress_export, name="progress_export"),
    path("campaign/<int:pk>/import/template.xlsx", excel.import_template_download,
         name="import_template"),
    path("campaign/<int:pk>/import/", excel.assignment_import, name="assignment_import"),
]
