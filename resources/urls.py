"""Routes of the resources app (members only, like every route not made public)."""

from django.urls import path

from . import views

app_name = "resources"

urlpatterns = [
    path("", views.home, name="home"),
    path("ma-boite-a-outils/", views.toolbox, name="toolbox"),
    path("proposer/", views.contribute, name="contribute"),
    path("mes-contributions/", views.my_contributions, name="my_contributions"),
    path("<int:page_id>/", views.draft_detail, name="draft_detail"),
    path("<int:page_id>/modifier/", views.contribution_edit, name="contribution_edit"),
    path("<int:page_id>/boite-a-outils/", views.bookmark, name="bookmark"),
    path("<int:page_id>/utile/", views.vote, name="vote"),
    path("<int:page_id>/fichiers/ajouter/", views.file_add, name="file_add"),
    path("fichiers/<int:file_id>/", views.file_download, name="file_download"),
    path(
        "fichiers/<int:file_id>/versions/<int:number>/",
        views.file_download,
        name="file_version_download",
    ),
    path("fichiers/<int:file_id>/supprimer/", views.file_delete, name="file_delete"),
    path(
        "fichiers/<int:file_id>/nouvelle-version/",
        views.file_version_add,
        name="file_version_add",
    ),
]
