from django.urls import path

from . import urls_excel, views, views_dashboard, views_reports

app_name = "tasks"
urlpatterns = [
    path("", views.my_tasks, name="mine"),
    path("review/", views_reports.review_queue, name="queue"),
    path("review/accept/", views_reports.queue_accept, name="queue_accept"),
    path("dashboard/review/", views_dashboard.review_dashboard, name="review_dashboard"),
    path("figures/", views_dashboard.figure_list, name="figure_list"),
    path("campaign/<int:pk>/", views.campaign_tasks, name="campaign"),
    path("item/<int:item_pk>/new/", views.task_create, name="create"),
    path("<int:pk>/", views.task_detail, name="task"),
    path("<int:pk>/edit/", views.task_edit, name="edit"),
    path("<int:pk>/assign/", views.task_assign, name="assign"),
    path("unit/<int:pk>/", views.unit_assignments, name="unit"),
    path("assignment/<int:pk>/", views.assignment_detail, name="assignment"),
    path("assignment/<int:pk>/terms/", views.assignment_terms, name="assignment_terms"),
    path("assignment/<int:pk>/report/<str:period>/", views_reports.report_start,
         name="report_start"),
    path("report/<int:pk>/", views_reports.report_detail, name="report"),
    path("report/<int:pk>/submit/", views_reports.report_submit, name="submit"),
    path("report/<int:pk>/review/", views_reports.report_review, name="review"),
    path("report/<int:pk>/reopen/", views_reports.report_reopen, name="reopen"),
    path("report/<int:pk>/evidence/", views_reports.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", views_reports.evidence_download, name="evidence"),
    path("evidence/<int:pk>/view/", views_reports.evidence_preview, name="evidence_preview"),
    path("evidence/<int:pk>/delete/", views_reports.evidence_delete, name="evidence_delete"),
]
# Excel export and import of a campaign's assignments.
urlpatterns += urls_excel.urlpatterns
