"""Time the directory search page against the equivalent raw SQL, on PostgreSQL at full size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_bench \\
        .venv/bin/python bench/directory_search.py [--requests 200] [--reseed]
        [--cafes 2000 --professionals 5000 --suppliers 3000]

PostgreSQL only: it refuses to run on anything else. The database named in DATABASE_URL is
created when missing (through the server's ``postgres`` database), then migrated and seeded once:
all French communes, a staff member, a café manager (the viewer), and generated cafés in communes
under 2,000 inhabitants, validated professionals and validated suppliers (``random.Random(42)``).
Seeding is skipped when the counts are already there; ``--reseed`` deletes the generated profiles
(e-mails ending in ``@bench.comptoir.example``) and makes them again. The profile rows are
bulk-created and the directory entries are then built by the site's own ``directory_rebuild()``,
so the searched rows are exactly those the services would produce.

For each query, after a warm-up, the variants below run interleaved ``--requests`` times:

- page: ``GET /annuaire/?q=...&<facets>`` through Django's test ``Client``, logged in as the
  manager: middleware, session, form, search, every facet count, template. The test client keeps
  the database connection open between requests, as a server with CONN_MAX_AGE or a pool would.
- engine: ``DatabaseDirectorySearch().search(DirectoryQuery(...))`` alone.
- raw: one hand-written statement (``search_vector @@ websearch_to_tsquery(...)`` and one EXISTS
  per facet filter) returning the same first page, ordered by ts_rank, and the total count.
- raw+facets: the same statement plus one GROUP BY per facet, disjunctive like the engine's.

The page shows results and facet counts, so the "under 2x the raw query" target is read against
raw+facets; the ratio to raw (results only) is printed too. Before timing, the engine's first page,
total and facet counts are checked against the raw SQL's, and the page's links against the
engine's, so that every variant returns the same thing.

DEBUG is off unless DJANGO_DEBUG says otherwise (with DEBUG on, Django keeps every query).
"""

import argparse
import os
import random
import re
import statistics
import sys
import time
import warnings
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comptoir.settings.dev")
os.environ.setdefault("DJANGO_DEBUG", "0")

import dj_database_url  # noqa: E402
import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402

USAGE = (
    "DATABASE_URL=postgres://postgres@127.0.0.1:5432/comptoir_bench "
    ".venv/bin/python bench/directory_search.py"
)
BENCH_DOMAIN = "@bench.comptoir.example"
STAFF_EMAIL = f"equipe{BENCH_DOMAIN}"
MANAGER_EMAIL = f"gerante{BENCH_DOMAIN}"
PAGE_SIZE = 20


def database_settings() -> dict:
    """The parsed DATABASE_URL, or exit with a clear message when it is not PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        sys.exit(f"DATABASE_URL is not set: this bench runs on PostgreSQL only.\nUsage: {USAGE}")
    if os.environ.get("ELASTICSEARCH_URL"):
        sys.exit("Unset ELASTICSEARCH_URL: this bench measures the database search engine.")
    try:
        settings = dj_database_url.parse(url)
    except ValueError as error:
        sys.exit(f"DATABASE_URL cannot be read ({error}).\nUsage: {USAGE}")
    if settings["ENGINE"] != "django.db.backends.postgresql":
        sys.exit(
            f"DATABASE_URL points to {settings['ENGINE']}: this bench runs on PostgreSQL only "
            f"(full text search with the french_unaccent configuration).\nUsage: {USAGE}"
        )
    if not settings.get("NAME"):
        sys.exit(f"DATABASE_URL names no database.\nUsage: {USAGE}")
    return settings


def database_ensure(settings: dict) -> bool:
    """Create the database when missing; True when it was created."""
    params = {
        "dbname": "postgres",
        "host": settings.get("HOST") or None,
        "port": settings.get("PORT") or None,
        "user": settings.get("USER") or None,
        "password": settings.get("PASSWORD") or None,
    }
    try:
        with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as server:
            exists = server.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [settings["NAME"]]
            ).fetchone()
            if exists:
                return False
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(settings["NAME"])))
            return True
    except psycopg.Error as error:
        sys.exit(f"Cannot reach PostgreSQL to find or create {settings['NAME']!r}: {error}")


DB_SETTINGS = database_settings()
DB_CREATED = database_ensure(DB_SETTINGS)

import django  # noqa: E402

# Whitenoise warns that STATIC_ROOT (var/static) is missing: the dev settings serve from finders.
warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.conf import settings as django_settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from directory.communes import communes_import  # noqa: E402
from directory.indexing import directory_rebuild  # noqa: E402
from directory.models import (  # noqa: E402
    Cafe,
    CafeService,
    Commune,
    Departement,
    DirectoryEntry,
    DirectoryEntryFacet,
    EntryKind,
    ManagerProfile,
    PopulationBand,
    Professional,
    ProfessionalSkill,
    Region,
    Supplier,
    SupplierCategory,
    SupplierCategoryAssignment,
    TaggedCafeService,
    TaggedProfessionalSkill,
    ValidationStatus,
)
from directory.search import (  # noqa: E402
    FACETS,
    TEXT_SEARCH_CONFIG,
    DatabaseDirectorySearch,
    DirectoryQuery,
)
from network.models import Member, MembershipStatus, Role  # noqa: E402
from network.services import programme_staff_group_ensure  # noqa: E402

# --- Generated data ------------------------------------------------------------------------------

CAFE_SERVICES = [
    "épicerie",
    "dépôt de pain",
    "relais poste",
    "point colis",
    "restauration",
    "presse",
    "tabac",
    "animations",
    "salon de thé",
    "produits locaux",
]
SKILLS = [
    "comptabilité",
    "hygiène",
    "HACCP",
    "numérique",
    "réseaux sociaux",
    "travaux",
    "rénovation",
    "animation",
    "gestion",
    "communication",
    "juridique",
    "financement",
    "paie",
    "signalétique",
]
FIRST_NAMES = [
    "Sophie", "Karim", "Claire", "Luc", "Jeanne", "Paul", "Nadia", "Julien", "Camille", "Hugo",
    "Léa", "Thomas", "Inès", "Mathieu", "Chloé", "Antoine", "Manon", "Yannick", "Élodie", "Rémi",
    "Aurélie", "Bastien", "Fatima", "Grégoire", "Océane", "Loïc", "Maëlle", "Franck", "Hélène",
    "Sébastien", "Amandine", "Cédric", "Nathalie", "Jérôme", "Agnès", "Benoît", "Solène", "Joël",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
    "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller",
    "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont",
    "Lopez", "Fontaine", "Chevalier", "Robin", "Masson", "Sanchez", "Haddad", "Le Gall", "Kerbrat",
]  # fmt: skip
CAFE_NAMES_IN = [
    "Le Bistrot de {commune}",
    "L'Épicerie-café de {commune}",
    "Le Comptoir de {commune}",
    "L'Auberge de {commune}",
    "Le Relais de {commune}",
    "Café-épicerie de {commune}",
    "Le Café du bourg de {commune}",
]
CAFE_NAMES = [
    "Café de la Place",
    "Café des Sports",
    "Café du Commerce",
    "Au Bon Accueil",
    "Le Petit Zinc",
    "Chez {first_name}",
    "Café de la Mairie",
    "Bar-tabac de l'Église",
    "Le Café des Amis",
    "La Grange",
    "Le Tilleul",
    "Café du Pont",
    "L'Estaminet",
    "La Halte",
    "Le Lavoir",
]
CAFE_DESCRIPTIONS = [
    "Le dernier café du village, tenu par une association d'habitants.",
    "Café multiservice au cœur du bourg : {services}.",
    "Terrasse ombragée, jeux de société et concerts l'été. On y trouve aussi {services}.",
    "Repris en 2021 par la commune, ouvert six jours sur sept. Services : {services}.",
    "Un lieu de rencontre pour les anciens comme pour les nouveaux arrivants.",
]
PRO_FIRMS = [
    "Cabinet {last_name}",
    "{last_name} Conseil",
    "Atelier {last_name}",
    "{skill_title} des campagnes",
    "{skill_title} rurale {departement}",
]
PRO_DESCRIPTIONS = [
    "Accompagne les cafés multiservices en {skills}.",
    "Vingt ans d'expérience auprès des commerces de village : {skills}.",
    "Interventions sur place ou à distance ({skills}).",
    "Spécialiste {skills} pour les petites structures et les associations.",
]
SUPPLIER_NAMES = {
    SupplierCategory.DRINKS: [
        "Brasserie de {commune}",
        "Cave {last_name}",
        "Distillerie {last_name}",
        "Torréfaction de {commune}",
        "Limonaderie {last_name}",
    ],
    SupplierCategory.LOCAL_PRODUCTS: [
        "Ferme {last_name}",
        "Fromagerie de {commune}",
        "Coopérative des producteurs de {departement}",
        "Miellerie {last_name}",
    ],
    SupplierCategory.GROCERY: ["Épicerie en gros {last_name}", "Grossiste {last_name} et fils"],
    SupplierCategory.BAKERY: [
        "Fournil de {commune}",
        "Boulangerie {last_name}",
        "Moulin {last_name}",
    ],
    SupplierCategory.EQUIPMENT: ["Équipement CHR {region}", "{last_name} Froid et Cuisine"],
    SupplierCategory.PACKAGING: ["Emballages {last_name}", "{last_name} Consommables"],
    SupplierCategory.SERVICES: ["{last_name} Services", "Maintenance {last_name}"],
    SupplierCategory.PRESS: ["Messageries de presse {departement}", "Diffusion {last_name}"],
}
SUPPLIER_DESCRIPTIONS = [
    "Livraison chaque semaine, franco à partir de 150 € HT.",
    "Producteur local, tarifs adaptés aux cafés de village.",
    "Tournées le mardi et le vendredi ; commande la veille avant midi.",
    "Dépôt-vente possible pour les cafés associatifs.",
]


def _date(rng: random.Random) -> date:
    return date.today() - timedelta(days=rng.randrange(0, 730))


def _departements_near(rng, commune, departements, by_region, count) -> list[Departement]:
    """The commune's département first, then others of its région, then anywhere."""
    home = commune.departement
    same_region = [d for d in by_region[home.region_id] if d.code != home.code]
    rng.shuffle(same_region)
    others = [d for d in departements if d.region_id != home.region_id]
    chosen = [home, *same_region]
    if len(chosen) < count:
        chosen += rng.sample(others, count - len(chosen))
    return chosen[:count]


def members_ensure() -> tuple[Member, Member]:
    staff = Member.objects.filter(email=STAFF_EMAIL).first()
    if staff is None:
        staff = Member.objects.create_user(
            email=STAFF_EMAIL,
            first_name="Claire",
            last_name="Morel",
            role=Role.STAFF,
            status=MembershipStatus.APPROVED,
            is_staff=True,
        )
        staff.groups.add(programme_staff_group_ensure())
    manager = Member.objects.filter(email=MANAGER_EMAIL).first()
    if manager is None:
        manager = Member.objects.create_user(
            email=MANAGER_EMAIL,
            first_name="Sophie",
            last_name="Bernard",
            role=Role.MANAGER,
            status=MembershipStatus.APPROVED,
        )
    return staff, manager


def generated_counts() -> tuple[int, int, int]:
    return (
        Cafe.objects.filter(email__endswith=BENCH_DOMAIN).count(),
        Professional.objects.filter(email__endswith=BENCH_DOMAIN).count(),
        Supplier.objects.filter(email__endswith=BENCH_DOMAIN).count(),
    )


def generated_delete() -> None:
    Cafe.objects.filter(email__endswith=BENCH_DOMAIN).delete()
    Professional.objects.filter(email__endswith=BENCH_DOMAIN).delete()
    Supplier.objects.filter(email__endswith=BENCH_DOMAIN).delete()


def _tags(model, names) -> dict:
    tags = {}
    for name in names:
        tag = model.objects.filter(name=name).first()
        tags[name] = tag or model.objects.create(name=name)
    return tags


def _generate_cafes(rng, count, communes, manager) -> None:
    services = _tags(CafeService, CAFE_SERVICES)
    cafes, chosen = [], []
    for i, commune in enumerate(rng.sample(communes, count)):
        names = CAFE_NAMES_IN if rng.random() < 0.5 else CAFE_NAMES
        offered = rng.sample(CAFE_SERVICES, rng.randint(1, 4))
        cafes.append(
            Cafe(
                name=rng.choice(names).format(
                    commune=commune.name, first_name=rng.choice(FIRST_NAMES)
                ),
                commune=commune,
                email=f"cafe-{i}{BENCH_DOMAIN}",
                phone=f"0{rng.randint(1, 5)} {rng.randint(10, 99)} {rng.randint(10, 99)} 00 00",
                opening_hours="Du mardi au dimanche, 7 h 30 – 20 h",
                licence_type=rng.choice(["none", "small_restaurant", "licence_iii", "licence_iv"]),
                is_last_cafe=rng.random() < 0.6,
                description=rng.choice(CAFE_DESCRIPTIONS).format(services=", ".join(offered)),
                last_verified_at=_date(rng),
            )
        )
        chosen.append(offered)
    Cafe.objects.bulk_create(cafes, batch_size=1000)
    TaggedCafeService.objects.bulk_create(
        (
            TaggedCafeService(tag=services[name], content_object=cafe)
            for cafe, offered in zip(cafes, chosen, strict=True)
            for name in offered
        ),
        batch_size=2000,
    )
    # The viewer manages the first café, as cafe_save would record it.
    cafes[0].managers.add(manager)
    ManagerProfile.objects.get_or_create(
        member=manager, defaults={"can_share": "Ouverture d'un dépôt de pain, marché du dimanche"}
    )


def _generate_professionals(rng, count, communes, departements, by_region, staff) -> None:
    skills = _tags(ProfessionalSkill, SKILLS)
    professionals, chosen = [], []
    for i in range(count):
        commune = rng.choice(communes)
        first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        own = rng.sample(SKILLS, rng.randint(1, 3))
        if rng.random() < 0.6:
            name = f"{first_name} {last_name}"
        else:
            name = rng.choice(PRO_FIRMS).format(
                last_name=last_name,
                skill_title=own[0].capitalize(),
                departement=commune.departement.name,
            )
        served = _departements_near(rng, commune, departements, by_region, rng.randint(1, 6))
        professionals.append(
            Professional(
                name=name,
                commune=commune,
                email=f"pro-{i}{BENCH_DOMAIN}",
                is_trainer=rng.random() < 0.2,
                description=rng.choice(PRO_DESCRIPTIONS).format(skills=", ".join(own)),
                conditions=rng.choice(
                    ["Devis gratuit.", "Tarif solidaire pour les associations.", ""]
                ),
                availability=rng.choice(["En semaine.", "Sur rendez-vous.", ""]),
                status=ValidationStatus.VALIDATED,
                proposed_by=staff,
                last_verified_at=_date(rng),
            )
        )
        chosen.append((own, served))
    Professional.objects.bulk_create(professionals, batch_size=1000)
    TaggedProfessionalSkill.objects.bulk_create(
        (
            TaggedProfessionalSkill(tag=skills[name], content_object=professional)
            for professional, (own, _served) in zip(professionals, chosen, strict=True)
            for name in own
        ),
        batch_size=2000,
    )
    through = Professional.departements_served.through
    through.objects.bulk_create(
        (
            through(professional_id=professional.pk, departement_id=departement.code)
            for professional, (_own, served) in zip(professionals, chosen, strict=True)
            for departement in served
        ),
        batch_size=5000,
    )


def _generate_suppliers(rng, count, communes, departements, by_region, staff) -> None:
    suppliers, chosen = [], []
    for i in range(count):
        commune = rng.choice(communes)
        categories = rng.sample(list(SupplierCategory), rng.randint(1, 2))
        name = rng.choice(SUPPLIER_NAMES[categories[0]]).format(
            commune=commune.name,
            last_name=rng.choice(LAST_NAMES),
            departement=commune.departement.name,
            region=commune.departement.region.name,
        )
        delivered = _departements_near(rng, commune, departements, by_region, rng.randint(1, 10))
        suppliers.append(
            Supplier(
                name=name,
                commune=commune,
                email=f"fournisseur-{i}{BENCH_DOMAIN}",
                minimum_order=rng.choice(["", "100 € HT", "150 € HT", "300 € HT"]),
                description=rng.choice(SUPPLIER_DESCRIPTIONS),
                status=ValidationStatus.VALIDATED,
                proposed_by=staff,
                last_verified_at=_date(rng),
            )
        )
        chosen.append((categories, delivered))
    Supplier.objects.bulk_create(suppliers, batch_size=1000)
    SupplierCategoryAssignment.objects.bulk_create(
        (
            SupplierCategoryAssignment(supplier=supplier, category=category)
            for supplier, (categories, _delivered) in zip(suppliers, chosen, strict=True)
            for category in categories
        ),
        batch_size=2000,
    )
    through = Supplier.departements_delivered.through
    through.objects.bulk_create(
        (
            through(supplier_id=supplier.pk, departement_id=departement.code)
            for supplier, (_categories, delivered) in zip(suppliers, chosen, strict=True)
            for departement in delivered
        ),
        batch_size=5000,
    )


def seed(args) -> None:
    start = time.perf_counter()
    steps = []
    if Commune.objects.count() < 34_000:
        step = time.perf_counter()
        communes_import()
        steps.append(f"communes {time.perf_counter() - step:.1f} s")
    staff, manager = members_ensure()
    wanted = (args.cafes, args.professionals, args.suppliers)
    counts = generated_counts()
    profiles = (
        Cafe.objects.count()
        + ManagerProfile.objects.count()
        + Professional.objects.count()
        + Supplier.objects.count()
    )
    if not args.reseed and counts == wanted and DirectoryEntry.objects.count() == profiles:
        print(f"seeding: skipped, {counts[0]:,} cafés, {counts[1]:,} professionals and "
              f"{counts[2]:,} suppliers already there (--reseed to redo)")  # fmt: skip
        return
    rng = random.Random(42)
    with transaction.atomic():
        if any(counts):
            step = time.perf_counter()
            generated_delete()
            steps.append(f"delete {time.perf_counter() - step:.1f} s")
        step = time.perf_counter()
        all_communes = list(
            Commune.objects.select_related("departement__region").order_by("insee_code")
        )
        small = [
            c
            for c in all_communes
            if c.population_band
            in (PopulationBand.UNDER_500, PopulationBand.FROM_500, PopulationBand.FROM_1000)
        ]
        departements = list(Departement.objects.order_by("code"))
        by_region: dict[str, list[Departement]] = {}
        for departement in departements:
            by_region.setdefault(departement.region_id, []).append(departement)
        _generate_cafes(rng, args.cafes, small, manager)
        _generate_professionals(
            rng, args.professionals, all_communes, departements, by_region, staff
        )
        _generate_suppliers(rng, args.suppliers, all_communes, departements, by_region, staff)
        steps.append(f"profiles {time.perf_counter() - step:.1f} s")
    step = time.perf_counter()
    directory_rebuild()
    steps.append(f"directory_rebuild {time.perf_counter() - step:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeding: {time.perf_counter() - start:.1f} s ({', '.join(steps)})")


# --- The queries ---------------------------------------------------------------------------------


def top_value(name: str, kind: str | None = None, category: str | None = None) -> str:
    """The facet value with the most listed entries (of one kind, of one supplier category)."""
    facets = DirectoryEntryFacet.objects.filter(name=name, entry__is_listed=True)
    if kind:
        facets = facets.filter(entry__facets__name="kind", entry__facets__value=kind)
    if category:
        facets = facets.filter(entry__facets__name="category", entry__facets__value=category)
    rows = facets.values("value").annotate(n=Count("id")).order_by("-n", "value")
    return rows[0]["value"]


def bench_queries() -> list[tuple[str, DirectoryQuery]]:
    region = top_value("region", kind=EntryKind.CAFE)
    pro_departement = top_value("delivers_to", kind=EntryKind.PROFESSIONAL)
    drinks_departement = top_value("delivers_to", category=SupplierCategory.DRINKS)
    return [
        (
            f"épicerie + café, région {region}",
            DirectoryQuery(text="épicerie", filters={"kind": ("cafe",), "region": (region,)}),
        ),
        (
            f"comptabilite + pro, serves {pro_departement}",
            DirectoryQuery(
                text="comptabilite",
                filters={"kind": ("professional",), "delivers_to": (pro_departement,)},
            ),
        ),
        (
            f"drinks + delivers {drinks_departement}",
            DirectoryQuery(filters={"category": ("drinks",), "delivers_to": (drinks_departement,)}),
        ),
        # Not in the issue, but the page every visit starts from: facet counts over everything.
        ("landing (no text, no filter)", DirectoryQuery()),
    ]


def page_url(query: DirectoryQuery) -> str:
    params = [("q", query.text)] if query.text else []
    params += [(name, value) for name, values in query.filters.items() for value in values]
    return "/annuaire/" + (f"?{urlencode(params)}" if params else "")


# The raw SQL a developer would write by hand. Only these fixed fragments are put together;
# every value is a query parameter.
TEXT_QUERY = ", websearch_to_tsquery('" + TEXT_SEARCH_CONFIG + "', %s) q"
FACET_EXISTS = (
    "EXISTS (SELECT 1 FROM directory_directoryentryfacet f "
    "WHERE f.entry_id = e.id AND f.name = %s AND f.value = ANY(%s))"
)


def _raw_where(query: DirectoryQuery, skip: str = "") -> tuple[str, list, str, list]:
    """The text query to add to FROM and the WHERE clause, each with its parameters, for the
    entries matching the text and the facet filters (all but ``skip``)."""
    source, source_params = "", []
    conditions, params = ["e.is_listed"], []
    if query.text:
        source, source_params = TEXT_QUERY, [query.text]
        conditions.append("e.search_vector @@ q")
    for name, values in query.filters.items():
        if name != skip and values:
            conditions.append(FACET_EXISTS)
            params += [name, list(values)]
    return source, source_params, " AND ".join(conditions), params


def raw_statements(query: DirectoryQuery) -> tuple[tuple[str, list], list[tuple[str, list]]]:
    """The results statement (first page and total), and one facet count statement per facet."""
    source, source_params, where, params = _raw_where(query)
    order = "ts_rank(e.search_vector, q) DESC, " if query.text else ""
    results = (
        "SELECT e.id, e.title, count(*) OVER () AS total "  # noqa: S608
        f"FROM directory_directoryentry e{source} "
        f"WHERE {where} ORDER BY {order}e.title_search, e.id LIMIT {PAGE_SIZE}",
        source_params + params,
    )
    facets = []
    for name in FACETS:
        # Disjunctive, like the engine: every filter applies except the facet's own.
        source, source_params, where, params = _raw_where(query, skip=name)
        facets.append(
            (
                "SELECT f.value, count(*) FROM directory_directoryentryfacet f "  # noqa: S608
                f"JOIN directory_directoryentry e ON e.id = f.entry_id{source} "
                f"WHERE f.name = %s AND {where} GROUP BY f.value",
                [*source_params, name, *params],
            )
        )
    return results, facets


def run_raw(results: tuple[str, list], facets: list[tuple[str, list]] | None = None):
    with connection.cursor() as cursor:
        cursor.execute(*results)
        rows = cursor.fetchall()
        counts = {}
        for (statement, params), name in zip(facets or [], FACETS, strict=False):
            cursor.execute(statement, params)
            counts[name] = dict(cursor.fetchall())
    total = rows[0][2] if rows else 0
    return [row[0] for row in rows], total, counts


# --- Measuring -----------------------------------------------------------------------------------


def percentile(timings: list[float], p: int) -> float:
    return statistics.quantiles(timings, n=100, method="inclusive")[p - 1]


def check_same_results(label, query, engine, client, url, results_sql, facets_sql) -> int:
    """Every variant must return the same thing; returns the total."""
    found = engine.search(query)
    ids, total, counts = run_raw(results_sql, facets_sql)
    assert [entry.pk for entry in found.entries] == ids, (label, "first page differs")
    assert found.total == total, (label, found.total, total)
    for name in FACETS:
        engine_counts = {f.value: f.count for f in found.facets[name] if f.count}
        assert engine_counts == counts[name], (label, name, engine_counts, counts[name])
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    links = re.findall(r'<h3><a href="([^"]+)">', response.content.decode())
    assert links == [entry.get_absolute_url() for entry in found.entries], (label, "page differs")
    return total


class SqlTimer:
    """Wall time spent in cursor.execute (the round trip: psycopg fetches the rows then)."""

    def __init__(self) -> None:
        self.ms = 0.0
        self.statements = 0

    def __call__(self, execute, sql_text, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql_text, params, many, context)
        finally:
            self.ms += (time.perf_counter() - start) * 1000
            self.statements += 1


def sql_split(run, times: int) -> tuple[float, float]:
    """Median total time and median time in SQL of ``run``, over ``times`` runs."""
    totals, in_sql = [], []
    for _ in range(times):
        timer = SqlTimer()
        with connection.execute_wrapper(timer):
            start = time.perf_counter()
            run()
            totals.append((time.perf_counter() - start) * 1000)
        in_sql.append(timer.ms)
    return statistics.median(totals), statistics.median(in_sql)


def measure(args, label, query, client, engine) -> dict:
    url = page_url(query)
    results_sql, facets_sql = raw_statements(query)
    total = check_same_results(label, query, engine, client, url, results_sql, facets_sql)
    variants = {
        "page": lambda: client.get(url),
        "engine": lambda: engine.search(query),
        "raw": lambda: run_raw(results_sql),
        "raw+facets": lambda: run_raw(results_sql, facets_sql),
    }
    for _ in range(args.warmup):
        for run in variants.values():
            run()
    timings: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(args.requests):
        # Interleaved, so that a slow spell of the machine weighs on every variant alike.
        for name, run in variants.items():
            start = time.perf_counter()
            run()
            timings[name].append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as page_queries:
        client.get(url)
    with CaptureQueriesContext(connection) as engine_queries:
        engine.search(query)
    # Measured apart, so that the timing wrapper weighs on none of the figures above.
    split_runs = max(10, args.requests // 10)
    return {
        "label": label,
        "url": url,
        "total": total,
        "page_queries": len(page_queries),
        "engine_queries": len(engine_queries),
        "raw_queries": 1 + len(facets_sql),
        "page_split": sql_split(variants["page"], split_runs),
        "engine_split": sql_split(variants["engine"], split_runs),
        "raw_split": sql_split(variants["raw+facets"], split_runs),
        **{
            name: (percentile(values, 50), percentile(values, 95))
            for name, values in timings.items()
        },
    }


def print_report(rows, target_ms: float, target_ratio: float) -> None:
    print()
    print(
        f"{'':<30} {'page':>13} {'engine':>13} {'raw':>13} {'raw+facets':>13}"
        f" {'page p95 /':>15}   {'target':>16}"
    )
    print(
        f"{'query':<30}" + " {:>6} {:>6}".format("p50", "p95") * 4 + f" {'raw':>7} {'raw+f':>7}"
        f"   {'p95<50':>7} {'ratio<2':>8}"
    )
    for row in rows:
        cells = "".join(f" {row[name][0]:>6.1f} {row[name][1]:>6.1f}" for name in
                        ("page", "engine", "raw", "raw+facets"))  # fmt: skip
        ratio = row["page"][1] / row["raw"][1]
        ratio_facets = row["page"][1] / row["raw+facets"][1]
        ok_ms = "OK" if row["page"][1] < target_ms else "MISSED"
        ok_ratio = "OK" if ratio_facets < target_ratio else "MISSED"
        print(
            f"{row['label']:<30}{cells} {ratio:>6.1f}x {ratio_facets:>6.1f}x"
            f"   {ok_ms:>7} {ok_ratio:>8}"
        )
    print(
        f"Times in ms. Targets: page p95 < {target_ms:g} ms, and page p95 / raw+facets p95 "
        f"< {target_ratio:g}x\n(raw+facets is the equivalent of the page, which shows results "
        "and facet counts; the ratio to raw, results only, is printed for comparison)."
    )
    print()
    print("Where the time goes (medians, ms): statements run, time inside cursor.execute (SQL),")
    print("and the rest (Python: ORM, form, template, middleware).")
    print(
        f"{'query':<30} {'results':>7}   {'page: stmts':>11} {'SQL':>6} {'Python':>6}"
        f"   {'engine: stmts':>13} {'SQL':>6} {'Python':>6}   {'raw+f: stmts':>12} {'SQL':>6}"
    )
    for row in rows:
        cells = []
        for name, count in (
            ("page_split", "page_queries"),
            ("engine_split", "engine_queries"),
        ):
            total_ms, sql_ms = row[name]
            cells.append(f"{row[count]:>5} {sql_ms:>6.1f} {total_ms - sql_ms:>6.1f}")
        print(
            f"{row['label']:<30} {row['total']:>7,}   {cells[0]:>25}   {cells[1]:>27}"
            f"   {row['raw_queries']:>12} {row['raw_split'][1]:>6.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="timed runs per variant")
    parser.add_argument("--warmup", type=int, default=20, help="untimed runs first")
    parser.add_argument("--reseed", action="store_true", help="delete and regenerate the data")
    parser.add_argument("--cafes", type=int, default=2000)
    parser.add_argument("--professionals", type=int, default=5000)
    parser.add_argument("--suppliers", type=int, default=3000)
    args = parser.parse_args()

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    created = "created and " if DB_CREATED else ""
    print(
        f"database {DB_SETTINGS['NAME']}: {created}migrated in {time.perf_counter() - start:.1f} s"
    )
    seed(args)
    # Measure the tables as a live server's autovacuum keeps them: fresh planner statistics,
    # no dead rows left by seeding (a bulk load without them made the facet plans 3x slower).
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"VACUUM ANALYZE: {time.perf_counter() - start:.1f} s")

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    entries = DirectoryEntry.objects.count()
    listed = DirectoryEntry.objects.filter(is_listed=True).count()
    by_kind = dict(DirectoryEntry.objects.values_list("kind").annotate(n=Count("id")))
    print(
        f"PostgreSQL {version}, DEBUG={django_settings.DEBUG}, {os.cpu_count()} CPUs "
        f"(load average {os.getloadavg()[0]:.2f}); "
        f"{args.requests} runs per variant, interleaved, after {args.warmup} warm-up runs"
    )
    print(
        f"rows: {Commune.objects.count():,} communes, {Region.objects.count()} régions; "
        f"{entries:,} directory entries ({listed:,} listed: "
        + ", ".join(f"{by_kind.get(kind, 0):,} {kind}" for kind in EntryKind.values)
        + f"), {DirectoryEntryFacet.objects.count():,} facet rows"
    )

    client = Client(HTTP_HOST="localhost")
    client.force_login(Member.objects.get(email=MANAGER_EMAIL))
    engine = DatabaseDirectorySearch()
    rows = []
    for label, query in bench_queries():
        row = measure(args, label, query, client, engine)
        print(f"  {label}: {row['url']} -> {row['total']:,} results, same first page everywhere")
        rows.append(row)
    print_report(rows, target_ms=50, target_ratio=2)


if __name__ == "__main__":
    main()
