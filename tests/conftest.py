"""Factory fixtures shared by the whole suite."""

import itertools
from collections.abc import Callable

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from comptoir.services import site_tree_ensure
from network.models import Member, MembershipStatus, Role

PASSWORD = "un-mot-de-passe-solide"

_sequence = itertools.count(1)


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
