"""Fixtures of the projects tests (imported by tests/network/test_projects*.py and co.):
two cafés, each with its manager, residents, and projects opened through the services."""

import pytest

from network.models import Role
from network.services.projects import invitation_create, project_create

__all__ = [
    "cafe",
    "invitation",
    "other_cafe",
    "other_manager",
    "outsider",
    "project",
    "project_factory",
    "resident_factory",
    "village_resident",
]


@pytest.fixture
def cafe(cafe_factory, manager):
    return cafe_factory(name="Le Comptoir de Sulignat", commune="Sulignat", managers=[manager])


@pytest.fixture
def other_manager(member_factory):
    return member_factory(role=Role.MANAGER)


@pytest.fixture
def other_cafe(cafe_factory, other_manager):
    return cafe_factory(name="Café de Lagrasse", commune="Lagrasse", managers=[other_manager])


@pytest.fixture
def resident_factory(member_factory):
    def make(cafe, **fields):
        return member_factory(role=Role.RESIDENT, resident_cafe=cafe, **fields)

    return make


@pytest.fixture
def village_resident(resident_factory, cafe):
    return resident_factory(cafe, first_name="Jeanne", last_name="Roux")


@pytest.fixture
def outsider(resident_factory, other_cafe):
    """A resident of another café."""
    return resident_factory(other_cafe, first_name="Marc", last_name="Ailleurs")


@pytest.fixture
def project_factory(manager, cafe):
    def make(*, actor=None, on_cafe=None, title="Un dépôt de pain", **fields):
        fields.setdefault("description", "Du pain frais trois fois par semaine au café.")
        return project_create(actor=actor or manager, cafe=on_cafe or cafe, title=title, **fields)

    return make


@pytest.fixture
def project(project_factory):
    return project_factory()


@pytest.fixture
def invitation(manager, cafe):
    return invitation_create(actor=manager, cafe=cafe)
