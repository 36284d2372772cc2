from django.urls import path

from .views import contact, exchange
from .views import profiles as views

app_name = "directory"

urlpatterns = [
    path("", views.search, name="search"),
    path("mon-profil/", views.my_profile, name="my_profile"),
    path("mon-profil/gerant/", views.manager_profile_edit, name="manager_profile_edit"),
    path("cafes/ajouter/", views.cafe_create, name="cafe_create"),
    path("cafes/<int:cafe_id>/", views.cafe_detail, name="cafe_detail"),
    path("cafes/<int:cafe_id>/modifier/", views.cafe_edit, name="cafe_edit"),
    path("gerants/<int:profile_id>/", views.manager_detail, name="manager_detail"),
    path(
        "gerants/<int:profile_id>/modifier/",
        views.manager_profile_edit_by_staff,
        name="manager_profile_edit_by_staff",
    ),
    path("professionnels/proposer/", views.professional_propose, name="professional_propose"),
    path("professionnels/ma-fiche/", views.professional_create_own, name="professional_create_own"),
    path(
        "professionnels/<int:professional_id>/",
        views.professional_detail,
        name="professional_detail",
    ),
    path(
        "professionnels/<int:professional_id>/modifier/",
        views.professional_edit,
        name="professional_edit",
    ),
    path("fournisseurs/proposer/", views.supplier_propose, name="supplier_propose"),
    path("fournisseurs/ma-fiche/", views.supplier_create_own, name="supplier_create_own"),
    path("fournisseurs/<int:supplier_id>/", views.supplier_detail, name="supplier_detail"),
    path("fournisseurs/<int:supplier_id>/modifier/", views.supplier_edit, name="supplier_edit"),
    path("a-valider/", views.review_queue, name="review_queue"),
    path("a-valider/<str:kind>/<int:object_id>/", views.review_entry, name="review_entry"),
    path("verifie/<str:kind>/<int:object_id>/", views.mark_verified, name="mark_verified"),
    path("<str:kind>/<int:object_id>/contacter/", contact.contact, name="contact"),
    path("supprimer/<str:kind>/<int:object_id>/", views.entry_delete, name="entry_delete"),
    path("export.csv", exchange.export_csv, name="export_csv"),
    path("import-fournisseurs/", exchange.import_suppliers, name="import_suppliers"),
    path("import-fournisseurs/modele.csv", exchange.import_template, name="import_template"),
]
