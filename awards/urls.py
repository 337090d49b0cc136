from django.urls import include, path

from . import views, views_eligibility, views_history

app_name = "awards"

urlpatterns = [
    path("ratings/", views.ratings_page, name="ratings"),
    path("ratings/template.xlsx", views.ratings_template, name="ratings_template"),
    path("ratings/import/", views.ratings_import, name="ratings_import"),
    path("history/", views_history.history, name="history"),
    path("eligibility/", views_eligibility.eligibility, name="eligibility"),
    # Report downloads and the background generation pages.
    path("documents/", include("awards.urls_documents")),
]
