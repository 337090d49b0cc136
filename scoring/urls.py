from django.urls import path

from .views import clusters, dashboard, excel, scheme, sheet

app_name = "scoring"
urlpatterns = [
    path("campaign/<int:pk>/", scheme.overview, name="overview"),
    path("campaign/<int:pk>/scheme/", scheme.scheme_edit, name="scheme"),
    path("campaign/<int:pk>/copy/", scheme.scheme_copy, name="copy"),
    path("campaign/<int:pk>/open/", scheme.round_open, name="open"),
    path("campaign/<int:pk>/advance/", scheme.round_advance, name="advance"),
    path("campaign/<int:pk>/lock/", scheme.round_lock, name="lock"),
    path("campaign/<int:pk>/recompute/", scheme.recompute, name="recompute"),
    path("campaign/<int:pk>/ranking/", scheme.ranking, name="ranking"),
    path("campaign/<int:pk>/items/", scheme.content_items, name="items"),
    path("campaign/<int:pk>/compare/", scheme.compare, name="compare"),
    path("campaign/<int:pk>/export.xlsx", excel.export, name="export"),
    path("campaign/<int:pk>/dashboard/", dashboard.director, name="dashboard"),
    path("campaign/<int:pk>/dashboard.pdf", dashboard.director_pdf, name="dashboard_pdf"),
    path("campaign/<int:pk>/dashboard/mine/", dashboard.mine, name="dashboard_mine"),
    path("campaign/<int:pk>/dashboard/unit/<int:unit_pk>/", dashboard.unit,
         name="dashboard_unit"),
    path("years/", dashboard.by_year, name="years"),
    path("campaign/<int:pk>/unit/<int:unit_pk>/", sheet.sheet, name="sheet"),
    path("campaign/<int:pk>/unit/<int:unit_pk>/confirm/", sheet.sheet_confirm,
         name="confirm"),
    path("score/<int:pk>/evidence/", sheet.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", sheet.evidence_download, name="evidence"),
    path("evidence/<int:pk>/delete/", sheet.evidence_delete, name="evidence_delete"),
    # Emulation clusters and blocks (cụm, khối thi đua) and their peer-scoring round.
    path("clusters/", clusters.cluster_list, name="clusters"),
    path("clusters/new/", clusters.cluster_edit, name="cluster_create"),
    path("clusters/copy/", clusters.cluster_copy, name="cluster_copy"),
    path("clusters/<int:pk>/", clusters.cluster, name="cluster"),
    path("clusters/<int:pk>/edit/", clusters.cluster_edit, name="cluster_edit"),
    path("clusters/<int:pk>/delete/", clusters.cluster_delete, name="cluster_delete"),
    path("clusters/<int:pk>/export/", clusters.cluster_export, name="cluster_export"),
    path("clusters/<int:pk>/pact/", clusters.cluster_pact_upload, name="cluster_pact_upload"),
    path("clusters/<int:pk>/round/<slug:step>/", clusters.cluster_round, name="cluster_round"),
    path("clusters/<int:pk>/extend/", clusters.cluster_extend, name="cluster_extend"),
    path("clusters/<int:pk>/score/", clusters.cluster_score, name="cluster_score"),
    path("clusters/pact/<int:pk>/", clusters.cluster_pact, name="cluster_pact"),
]
