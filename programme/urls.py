"""Routes of the programme app, under /accompagnement/."""

from django.urls import path

from .views import applications, review, steering, support

app_name = "programme"

urlpatterns = [
    # Managers (and coaches): their page, applying, the rules as they type, communes.
    path("", applications.home, name="home"),
    path("candidature/", applications.application_create, name="application_create"),
    path(
        "candidatures/<int:application_id>/",
        applications.application_detail,
        name="application_detail",
    ),
    path("eligibilite/", applications.eligibility_fragment, name="eligibility"),
    path("communes/", applications.commune_search, name="commune_search"),
    # Staff: review.
    path("equipe/candidatures/", review.review_queue, name="review_queue"),
    path("equipe/candidatures/<int:application_id>/", review.review_detail, name="review_detail"),
    path(
        "equipe/candidatures/<int:application_id>/precisions/",
        review.review_request_info,
        name="review_request_info",
    ),
    path(
        "equipe/candidatures/<int:application_id>/accepter/",
        review.review_accept,
        name="review_accept",
    ),
    path(
        "equipe/candidatures/<int:application_id>/refuser/",
        review.review_refuse,
        name="review_refuse",
    ),
    # Staff: steering.
    path("equipe/pilotage/", steering.dashboard, name="dashboard"),
    path("equipe/pilotage/accompagnement.csv", steering.dashboard_csv, name="dashboard_csv"),
    # Support files: the café's managers, its coach, staff.
    path("suivis/<int:file_id>/", support.support_file, name="support_file"),
    path("suivis/<int:file_id>/diagnostic/", support.diagnostic_edit, name="diagnostic_edit"),
    path("suivis/<int:file_id>/actions/nouvelle/", support.action_create, name="action_create"),
    path("suivis/<int:file_id>/actions/<int:action_id>/", support.action_edit, name="action_edit"),
    path("suivis/<int:file_id>/plan-valide/", support.plan_agreement, name="plan_agreement"),
    path(
        "suivis/<int:file_id>/visites/nouvelle/", support.follow_up_create, name="follow_up_create"
    ),
]
