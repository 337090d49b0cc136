from django.urls import path

from .views import certificates, documents, word_templates

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
    # The layouts of the pre-printed certificate blanks (administrator).
    path("certificate-layouts/", certificates.certificate_layouts, name="certificate_layouts"),
    path("certificate-layouts/new/", certificates.certificate_layout,
         name="certificate_layout_create"),
    path("certificate-layouts/<int:pk>/", certificates.certificate_layout,
         name="certificate_layout"),
    path("certificate-layouts/<int:pk>/remove/", certificates.certificate_layout_remove,
         name="certificate_layout_remove"),
    path("certificate-layouts/<int:pk>/calibration/", certificates.certificate_layout_calibration,
         name="certificate_layout_calibration"),
]
