from django.urls import path

from .views import documents

# Included under "documents/" in the "awards" namespace (awards/urls.py).
urlpatterns: list = [
    path("", documents.document_list, name="documents"),
    path("get/", documents.document_get, name="document_get"),
    path("<int:pk>/", documents.document_status, name="document"),
    path("<int:pk>/file/", documents.document_file, name="document_file"),
    path("<int:pk>/retry/", documents.document_retry, name="document_retry"),
]
