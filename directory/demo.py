"""Demo directory for `make run`: cafés in real villages, profiles for the demo accounts, a few
professionals and suppliers, one proposal waiting for staff."""

from django.db import transaction

from network.models import Member

from .communes import communes_import
from .models import Cafe, Commune, Departement, Professional, Supplier
from .services import cafe_save, manager_profile_save, professional_save, supplier_save

CAFES = [
    # (name, INSEE code, services, last café, manager e-mail or None)
    (
        "Le Comptoir de Sulignat",
        "01412",
        ["épicerie", "dépôt de pain", "relais colis"],
        True,
        "gerante@comptoir.example",
    ),
    ("Café de la Place", "01290", ["restauration", "animations"], False, None),
    ("L'Auberge du Col", "64477", ["épicerie", "relais poste", "restauration"], True, None),
    ("Le Bistrot de Ménerbes", "84073", ["dépôt de pain", "presse"], True, None),
    ("Café des Pèlerins", "12218", ["restauration", "épicerie"], True, None),
    ("La Halte de Lagrasse", "11185", ["épicerie", "produits locaux"], True, None),
    ("Café de la Colline", "89446", ["salon de thé", "animations"], True, None),
    ("Le Café Rouge", "19057", ["restauration", "relais colis"], False, None),
    ("Au Bord du Lot", "46256", ["salon de thé", "produits locaux"], True, None),
    ("Le Lavoir", "26193", ["épicerie", "dépôt de pain", "animations"], True, None),
    ("Café du Château", "03003", ["presse", "tabac", "relais colis"], True, None),
]

PROFESSIONALS = [
    # (name, e-mail of the account or None, INSEE, skills, départements served, trainer)
    (
        "Karim Haddad",
        "pro@comptoir.example",
        "01053",
        ["comptabilité", "gestion"],
        ["01", "38", "69", "71"],
        True,
    ),
    ("Atelier Hygiène Sud", None, "11069", ["hygiène", "HACCP"], ["11", "34", "66", "81"], True),
    (
        "Numérique des Campagnes",
        None,
        "12202",
        ["numérique", "réseaux sociaux"],
        ["12", "46", "81", "82"],
        False,
    ),
]

SUPPLIERS = [
    # (name, e-mail of the account or None, INSEE, categories, départements delivered)
    (
        "Brasserie de la Dombes",
        "fournisseur@comptoir.example",
        "01093",
        ["drinks"],
        ["01", "69", "71"],
    ),
    ("Fournil Bressan", None, "01053", ["bakery"], ["01", "71"]),
    (
        "Coopérative des Producteurs du Lot",
        None,
        "46042",
        ["local_products", "grocery"],
        ["46", "12", "19", "24"],
    ),
    (
        "Équipement CHR Occitanie",
        None,
        "31555",
        ["equipment", "packaging"],
        ["09", "11", "12", "31", "32", "46", "65", "81", "82"],
    ),
]


def _commune(code: str) -> Commune:
    return Commune.objects.select_related("departement__region").get(insee_code=code)


@transaction.atomic
def demo_directory_ensure(*, staff: Member) -> None:
    if not Commune.objects.exists():
        communes_import()
    for name, code, services, last, manager_email in CAFES:
        if Cafe.objects.filter(name=name).exists():
            continue
        managers = [Member.objects.get(email=manager_email)] if manager_email else None
        cafe_save(
            actor=staff,
            fields={
                "name": name,
                "commune": _commune(code),
                "is_last_cafe": last,
                "has_dedicated_space": True,
                "description": "",
                "opening_hours": "Du mardi au dimanche, 7 h 30 – 20 h",
            },
            services=services,
            managers=managers,
        )
        for manager in managers or []:
            manager_profile_save(
                actor=manager,
                member=manager,
                fields={"can_share": "Ouverture d'un dépôt de pain, organisation d'un marché"},
                tags=["dépôt de pain", "marché"],
            )
    for name, email, code, skills, served, trainer in PROFESSIONALS:
        if Professional.objects.filter(name=name).exists():
            continue
        professional = professional_save(
            actor=staff,
            fields={"name": name, "commune": _commune(code), "is_trainer": trainer},
            skills=skills,
            departements_served=Departement.objects.filter(code__in=served),
        )
        if email:
            Professional.objects.filter(pk=professional.pk).update(
                member=Member.objects.get(email=email)
            )
    for name, email, code, categories, delivered in SUPPLIERS:
        if Supplier.objects.filter(name=name).exists():
            continue
        supplier = supplier_save(
            actor=staff,
            fields={
                "name": name,
                "commune": _commune(code),
                "minimum_order": "150 € HT",
                "phone": "04 74 00 00 00",
                "phone_visibility": "members",
            },
            categories=categories,
            departements_delivered=Departement.objects.filter(code__in=delivered),
        )
        if email:
            Supplier.objects.filter(pk=supplier.pk).update(member=Member.objects.get(email=email))
    if not Supplier.objects.filter(name="Torréfaction du Bugey").exists():
        supplier_save(
            actor=Member.objects.get(email="gerante@comptoir.example"),
            fields={"name": "Torréfaction du Bugey", "commune": _commune("01004")},
            categories=["drinks"],
            departements_delivered=Departement.objects.filter(code__in=["01"]),
        )
