from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/plan.docx", views.campaign_docx, name="plan_docx"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/copy/", views.campaign_copy, name="copy"),
    path("<int:pk>/launch/", views.campaign_launch, name="launch"),
    path("<int:pk>/close/", views.campaign_close, name="close"),
    path("<int:pk>/dissemination/", views.dissemination_list, name="disseminations"),
    path("dissemination/<int:pk>/", views.dissemination_confirm, name="confirm"),
]
