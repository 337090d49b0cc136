from django.urls import path

from .views import documents, word_templates

# Included under "documents/" in the "awards" namespace (awards/urls.py).
urlpatterns: list = [
    path("", documents.document_list, name="documents"),
    path("get/", documents.document_get, name="document_get"),
    path("<int:pk>/", documents.document_status, name="document"),
    path("<int:pk>/file/", documents.document_file, name="document_file"),
    path("<int:pk>/retry/", documents.document_retry, name="document_retry"),
    # The department's own Word templates (administrator).
    path("word-templates/", word_templates.word_templates, name="word_templates"),
    path("word-templates/<slug:kind>/remove/", word_templates.word_template_remove,
         name="word_template_remove"),
    path("word-templates/<slug:kind>/file/", word_templates.word_template_file,
         name="word_template_file"),
]
