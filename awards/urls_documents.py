from django.urls import path

from . import views_documents as views

# Included under "documents/" in the "awards" namespace (awards/urls.py).
urlpatterns: list = [
    path("", views.document_list, name="documents"),
    path("get/", views.document_get, name="document_get"),
    path("<int:pk>/", views.document_status, name="document"),
    path("<int:pk>/file/", views.document_file, name="document_file"),
    path("<int:pk>/retry/", views.document_retry, name="document_retry"),
]
