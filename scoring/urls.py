from django.urls import path

from . import views, views_dashboard, views_excel, views_sheet

app_name = "scoring"
urlpatterns = [
    path("campaign/<int:pk>/", views.overview, name="overview"),
    path("campaign/<int:pk>/scheme/", views.scheme_edit, name="scheme"),
    path("campaign/<int:pk>/copy/", views.scheme_copy, name="copy"),
    path("campaign/<int:pk>/open/", views.round_open, name="open"),
    path("campaign/<int:pk>/advance/", views.round_advance, name="advance"),
    path("campaign/<int:pk>/lock/", views.round_lock, name="lock"),
    path("campaign/<int:pk>/recompute/", views.recompute, name="recompute"),
    path("campaign/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("campaign/<int:pk>/items/", views.content_items, name="items"),
    path("campaign/<int:pk>/compare/", views.compare, name="compare"),
    path("campaign/<int:pk>/export.xlsx", views_excel.export, name="export"),
    path("campaign/<int:pk>/dashboard/", views_dashboard.director, name="dashboard"),
    path("campaign/<int:pk>/dashboard.pdf", views_dashboard.director_pdf, name="dashboard_pdf"),
    path("campaign/<int:pk>/dashboard/mine/", views_dashboard.mine, name="dashboard_mine"),
    path("campaign/<int:pk>/dashboard/unit/<int:unit_pk>/", views_dashboard.unit,
         name="dashboard_unit"),
    path("years/", views_dashboard.by_year, name="years"),
    path("campaign/<int:pk>/unit/<int:unit_pk>/", views_sheet.sheet, name="sheet"),
    path("campaign/<int:pk>/unit/<int:unit_pk>/confirm/", views_sheet.sheet_confirm,
         name="confirm"),
    path("score/<int:pk>/evidence/", views_sheet.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", views_sheet.evidence_download, name="evidence"),
    path("evidence/<int:pk>/delete/", views_sheet.evidence_delete, name="evidence_delete"),
]
