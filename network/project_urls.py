"""Routes of the co-construction area: a café's projects and residents' ideas."""

from django.urls import path

from .views import projects as views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("<int:project_id>/", views.project_detail, name="detail"),
    path("<int:project_id>/modifier/", views.project_edit, name="edit"),
    path("<int:project_id>/synthese/", views.project_summary, name="summary"),
    path("<int:project_id>/idees/nouvelle/", views.idea_create, name="idea_create"),
    path("<int:project_id>/idees/saisir/", views.idea_create_on_behalf, name="idea_on_behalf"),
    path("<int:project_id>/signalements/", views.project_reports, name="reports"),
    path("idees/<int:idea_id>/", views.idea_detail, name="idea"),
    path("idees/<int:idea_id>/soutenir/", views.idea_support_view, name="idea_support"),
    path(
        "idees/<int:idea_id>/retirer-mon-soutien/",
        views.idea_support_withdraw_view,
        name="idea_support_withdraw",
    ),
    path("idees/<int:idea_id>/commenter/", views.idea_comment, name="idea_comment"),
    path("idees/<int:idea_id>/repondre/", views.idea_answer_view, name="idea_answer"),
    path("idees/<int:idea_id>/signaler/", views.idea_report_view, name="idea_report"),
    path("idees/<int:idea_id>/masquer/", views.idea_hide_view, name="idea_hide"),
    path(
        "commentaires/<int:comment_id>/signaler/", views.comment_report_view, name="comment_report"
    ),
    path("commentaires/<int:comment_id>/masquer/", views.comment_hide_view, name="comment_hide"),
    path("cafes/<int:cafe_id>/nouveau/", views.project_create_view, name="create"),
    path("cafes/<int:cafe_id>/habitants/", views.cafe_residents, name="residents"),
    path(
        "cafes/<int:cafe_id>/habitants/<int:member_id>/retirer/",
        views.resident_remove_view,
        name="resident_remove",
    ),
    path(
        "cafes/<int:cafe_id>/invitations/nouvelle/",
        views.invitation_create_view,
        name="invitation_create",
    ),
    path(
        "invitations/<int:invitation_id>/affiche/",
        views.invitation_poster,
        name="invitation_poster",
    ),
    path(
        "invitations/<int:invitation_id>/retirer/",
        views.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path("rejoindre/<str:token>/", views.invitation_join, name="invitation_join"),
    path("mon-compte/", views.resident_account, name="account"),
]
