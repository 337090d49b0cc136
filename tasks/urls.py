from django.urls import path

from . import urls_excel
from .views import dashboard, reports, tasks

app_name = "tasks"
urlpatterns = [
    path("", tasks.my_tasks, name="mine"),
    path("review/", reports.review_queue, name="queue"),
    path("review/accept/", reports.queue_accept, name="queue_accept"),
    path("dashboard/review/", dashboard.review_dashboard, name="review_dashboard"),
    path("figures/", dashboard.figure_list, name="figure_list"),
    path("campaign/<int:pk>/", tasks.campaign_tasks, name="campaign"),
    path("item/<int:item_pk>/new/", tasks.task_create, name="create"),
    path("<int:pk>/", tasks.task_detail, name="task"),
    path("<int:pk>/edit/", tasks.task_edit, name="edit"),
    path("<int:pk>/assign/", tasks.task_assign, name="assign"),
    path("unit/<int:pk>/", tasks.unit_assignments, name="unit"),
    path("assignment/<int:pk>/", tasks.assignment_detail, name="assignment"),
    path("assignment/<int:pk>/terms/", tasks.assignment_terms, name="assignment_terms"),
    path("assignment/<int:pk>/report/<str:period>/", reports.report_start,
         name="report_start"),
    path("report/<int:pk>/", reports.report_detail, name="report"),
    path("report/<int:pk>/submit/", reports.report_submit, name="submit"),
    path("report/<int:pk>/review/", reports.report_review, name="review"),
    path("report/<int:pk>/reopen/", reports.report_reopen, name="reopen"),
    path("report/<int:pk>/evidence/", reports.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", reports.evidence_download, name="evidence"),
    path("evidence/<int:pk>/view/", reports.evidence_preview, name="evidence_preview"),
    path("evidence/<int:pk>/delete/", reports.evidence_delete, name="evidence_delete"),
]
# Excel export and import of a campaign's assignments.
urlpatterns += urls_excel.urlpatterns
