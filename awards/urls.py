from django.urls import include, path

from . import views, views_decisions, views_eligibility, views_history, views_proposals

app_name = "awards"

urlpatterns = [
    path("ratings/", views.ratings_page, name="ratings"),
    path("ratings/template.xlsx", views.ratings_template, name="ratings_template"),
    path("ratings/import/", views.ratings_import, name="ratings_import"),
    path("history/", views_history.history, name="history"),
    path("eligibility/", views_eligibility.eligibility, name="eligibility"),
    path("proposals/", views_proposals.proposals, name="proposals"),
    path("proposals/mine/", views_proposals.proposal_mine, name="proposal_mine"),
    path("proposals/<int:pk>/", views_proposals.proposal, name="proposal"),
    path("proposals/<int:pk>/summary/", views_proposals.proposal_summary,
         name="proposal_summary"),
    path("proposals/<int:pk>/nominees/suggested/", views_proposals.propose_many,
         name="propose_many"),
    path("proposals/<int:pk>/nominees/new/", views_proposals.nominee_form, name="nominee_add"),
    path("proposals/<int:pk>/nominees/<int:nominee_pk>/", views_proposals.nominee_form,
         name="nominee_edit"),
    path("proposals/<int:pk>/nominees/<int:nominee_pk>/remove/",
         views_proposals.nominee_remove, name="nominee_remove"),
    path("proposals/<int:pk>/step/<slug:step>/", views_proposals.proposal_step,
         name="proposal_step"),
    path("proposals/<int:pk>/comment/", views_proposals.proposal_comment,
         name="proposal_comment"),
    path("proposals/<int:pk>/vote/", views_proposals.proposal_vote, name="proposal_vote"),
    path("decisions/", views_decisions.decisions, name="decisions"),
    path("decisions/new/", views_decisions.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", views_decisions.decision, name="decision"),
    path("decisions/<int:pk>/revoke/", views_decisions.decision_revoke,
         name="decision_revoke"),
    # Report downloads and the background generation pages.
    path("documents/", include("awards.urls_documents")),
]
