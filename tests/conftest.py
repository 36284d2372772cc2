"""Factory fixtures shared by the whole suite."""

import itertools
from collections.abc import Callable

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from comptoir.services import site_tree_ensure
from directory.models import Commune, Departement, PopulationBand, Region
from directory.services import cafe_save, professional_save, supplier_save
from directory.text import fold
from network.models import Member, MembershipStatus, Role

PASSWORD = "un-mot-de-passe-solide"

_sequence = itertools.count(1)


def pytest_collection_modifyitems(config, items):
    """Tests of PostgreSQL's row locking run when the suite runs on PostgreSQL (as in CI's
    main run); on the embedded SQLite they are deselected, and the run says so."""
    import os

    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return
    kept, deselected = [], []
    for item in items:
        (deselected if item.get_closest_marker("postgresql") else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture(autouse=True, scope="session")
def _consumers_database_thread_let_go(django_db_setup):
    """channels' test communicator turns off the connection cleanup of database_sync_to_async
    while it sends and receives (channels/testing/application.py), so the thread that runs the
    consumers' queries keeps its connection to the end of the run, and the test database could
    not be dropped ("being accessed by other users"). Closed there before the drop."""
    yield
    import asyncio

    from asgiref.sync import sync_to_async
    from django.db import connections

    asyncio.run(sync_to_async(connections.close_all)())  # in that same thread


@pytest.fixture(autouse=True)
def _fresh_directory_cache():
    """Cached counts, labels and footer links never leak from one test's data into another's."""
    from django.core.cache import cache

    from directory.search import unfiltered_facets_cache_key
    from directory.selectors import GEOGRAPHY_CACHE_KEY

    keys = [
        GEOGRAPHY_CACHE_KEY,
        unfiltered_facets_cache_key(True),
        unfiltered_facets_cache_key(False),
    ]
    cache.delete_many(keys)
    yield
    cache.delete_many(keys)


@pytest.fixture
def member_factory(db) -> Callable[..., Member]:
    def make(
        *,
        role: str = Role.MANAGER,
        status: str = MembershipStatus.APPROVED,
        email: str | None = None,
        verified: bool = True,
        **fields,
    ) -> Member:
        number = next(_sequence)
        email = email or f"membre{number}@exemple.fr"
        fields.setdefault("first_name", f"Prénom{number}")
        fields.setdefault("last_name", f"Nom{number}")
        member = Member.objects.create_user(
            email=email, password=PASSWORD, role=role, status=status, **fields
        )
        if role == Role.STAFF and status == MembershipStatus.APPROVED:
            member.is_staff = True
            member.save(update_fields=["is_staff"])
            from network.services import programme_staff_group_ensure

            member.groups.add(programme_staff_group_ensure())
        EmailAddress.objects.create(user=member, email=email, verified=verified, primary=True)
        return member

    return make


@pytest.fixture
def manager(member_factory) -> Member:
    return member_factory(role=Role.MANAGER)


@pytest.fixture
def pending_member(member_factory) -> Member:
    return member_factory(role=Role.MANAGER, status=MembershipStatus.PENDING)


@pytest.fixture
def staff_member(member_factory) -> Member:
    return member_factory(role=Role.STAFF)


@pytest.fixture
def client_for() -> Callable[[Member | None], Client]:
    def make(member: Member | None) -> Client:
        client = Client()
        if member is not None:
            client.force_login(member)
        return client

    return make


@pytest.fixture
def home_page(db):
    return site_tree_ensure()


# --- Directory: a handful of real communes created by hand (the full INSEE file is loaded
# only by the tests of the import itself) and profile factories that go through the services,
# as the site does.

COMMUNES = [
    # INSEE, name, département, population, postal code
    ("01412", "Sulignat", "01", 602, "01400"),
    ("01290", "Pérouges", "01", 1387, "01800"),
    ("42218", "Saint-Étienne", "42", 171924, "42000"),
    ("42279", "Saint-Étienne-le-Molard", "42", 1002, "42130"),
    ("46256", "Saint-Cirq-Lapopie", "46", 201, "46330"),
    ("11185", "Lagrasse", "11", 554, "11220"),
]
DEPARTEMENTS = [
    ("01", "Ain", "84"),
    ("42", "Loire", "84"),
    ("46", "Lot", "76"),
    ("11", "Aude", "76"),
]
REGIONS = [("84", "Auvergne-Rhône-Alpes"), ("76", "Occitanie")]

_numbers = itertools.count(1)


@pytest.fixture
def geography(db) -> dict[str, Commune]:
    from django.core.cache import cache

    from directory.selectors import GEOGRAPHY_CACHE_KEY

    cache.delete(GEOGRAPHY_CACHE_KEY)
    for code, name in REGIONS:
        Region.objects.create(code=code, name=name)
    for code, name, region in DEPARTEMENTS:
        Departement.objects.create(code=code, name=name, region_id=region)
    communes = {}
    for insee, name, departement, population, postal in COMMUNES:
        communes[name] = Commune.objects.create(
            insee_code=insee,
            name=name,
            departement_id=departement,
            population=population,
            population_band=PopulationBand.for_population(population),
            postal_codes=postal,
            search_name=fold(name),
        )
    return communes


@pytest.fixture
def cafe_factory(geography, staff_member):
    def make(*, name=None, commune="Sulignat", services=(), managers=None, **fields):
        return cafe_save(
            actor=staff_member,
            fields={
                "name": name or f"Café {next(_numbers)}",
                "commune": geography[commune],
                **fields,
            },
            services=list(services),
            managers=managers,
        )

    return make


@pytest.fixture
def supplier_factory(geography, staff_member):
    def make(*, name=None, commune="Sulignat", categories=("drinks",), delivers=(), **fields):
        return supplier_save(
            actor=fields.pop("actor", staff_member),
            fields={
                "name": name or f"Fournisseur {next(_numbers)}",
                "commune": geography[commune],
                **fields,
            },
            categories=list(categories),
            departements_delivered=Departement.objects.filter(code__in=delivers),
        )

    return make


@pytest.fixture
def professional_factory(geography, staff_member):
    def make(*, name=None, commune="Lagrasse", skills=(), serves=(), **fields):
        return professional_save(
            actor=fields.pop("actor", staff_member),
            fields={
                "name": name or f"Professionnel {next(_numbers)}",
                "commune": geography[commune],
                **fields,
            },
            skills=list(skills),
            departements_served=Departement.objects.filter(code__in=serves),
        )

    return make


@pytest.fixture
def supplier_member(member_factory):
    return member_factory(role=Role.SUPPLIER)


@pytest.fixture
def resident(member_factory):
    return member_factory(role=Role.RESIDENT)
