from django.urls import include, path

from .views import (
    decisions,
    eligibility,
    history,
    proposals,
    ratings,
    registration,
    registration_import,
)

app_name = "awards"

urlpatterns = [
    path("ratings/", ratings.ratings_page, name="ratings"),
    path("ratings/template.xlsx", ratings.ratings_template, name="ratings_template"),
    path("ratings/import/", ratings.ratings_import, name="ratings_import"),
    path("history/", history.history, name="history"),
    # Emulation registration (đăng ký thi đua); a unit's pages take ?unit=&year=.
    path("registration/", registration.registrations, name="registrations"),
    path("registration/window/", registration.registration_window,
         name="registration_window"),
    path("registration/unit/", registration.registration, name="registration"),
    path("registration/unit/everyone/", registration.registration_everyone,
         name="registration_everyone"),
    path("registration/unit/step/", registration.registration_step, name="registration_step"),
    path("registration/unit/template.xlsx", registration_import.registration_template,
         name="registration_template"),
    path("registration/unit/import/", registration_import.registration_import,
         name="registration_import"),
    path("eligibility/", eligibility.eligibility, name="eligibility"),
    path("proposals/", proposals.proposals, name="proposals"),
    path("proposals/mine/", proposals.proposal_mine, name="proposal_mine"),
    path("proposals/<int:pk>/", proposals.proposal, name="proposal"),
    path("proposals/<int:pk>/summary/", proposals.proposal_summary,
         name="proposal_summary"),
    path("proposals/<int:pk>/nominees/suggested/", proposals.propose_many,
         name="propose_many"),
    path("proposals/<int:pk>/nominees/new/", proposals.nominee_form, name="nominee_add"),
    path("proposals/<int:pk>/nominees/<int:nominee_pk>/", proposals.nominee_form,
         name="nominee_edit"),
    path("proposals/<int:pk>/nominees/<int:nominee_pk>/remove/",
         proposals.nominee_remove, name="nominee_remove"),
    path("proposals/<int:pk>/step/<slug:step>/", proposals.proposal_step,
         name="proposal_step"),
    path("proposals/<int:pk>/comment/", proposals.proposal_comment,
         name="proposal_comment"),
    path("proposals/<int:pk>/vote/", proposals.proposal_vote, name="proposal_vote"),
    path("decisions/", decisions.decisions, name="decisions"),
    path("decisions/new/", decisions.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", decisions.decision, name="decision"),
    path("decisions/<int:pk>/revoke/", decisions.decision_revoke,
         name="decision_revoke"),
    # Report downloads and the background generation pages.
    path("documents/", include("awards.urls_documents")),
]
