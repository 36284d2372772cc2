"""A resident joins their café through its invitation link."""

import re
from datetime import timedelta
from html import unescape

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from network.models import ChannelMembership, Member, MembershipStatus, ResidentInvitation, Role
from network.services.projects import invitation_revoke

from .projects_fixtures import *  # noqa: F403 (the fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(home_page):
    return home_page


def _data(**overrides) -> dict:
    data = {
        "email": "lucie.martin@exemple.fr",
        "first_name": "Lucie",
        "last_name": "Martin",
        "password1": "Un-comptoir-en-zinc-42",
        "password2": "Un-comptoir-en-zinc-42",
        "lives_nearby": "on",
    }
    data.update(overrides)
    return data


def _verification_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/compte/confirm-email/[^\s]+/)", message.body).group(1)


def test_the_invitation_page_names_the_cafe_and_asks_the_declaration(client, invitation):
    body = unescape(client.get(invitation.get_absolute_url()).content.decode())
    assert "Rejoindre les projets de Le Comptoir de Sulignat" in body
    assert "J'habite à Sulignat ou dans les environs." in body
    assert 'name="role"' not in body


def test_a_resident_signs_up_is_approved_at_once_and_lands_on_the_projects(
    client, invitation, project, staff_member, django_capture_on_commit_callbacks
):
    response = client.post(invitation.get_absolute_url(), _data())
    assert response.status_code == 302
    member = Member.objects.get(email="lucie.martin@exemple.fr")
    assert member.role == Role.RESIDENT
    assert member.status == MembershipStatus.APPROVED
    assert member.resident_cafe_id == invitation.cafe_id
    assert ChannelMembership.objects.filter(channel=project.channel, member=member).exists()
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_verification_link(mail.outbox[0]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("projects:list")
    body = response.content.decode()
    assert "Les projets de Le Comptoir de Sulignat" in body
    assert "Un dépôt de pain" in body
    # No staff review: nobody on the team is asked to approve a resident.
    assert not [m for m in mail.outbox if m.to == [staff_member.email]]


def test_the_declaration_is_required(client, invitation):
    response = client.post(invitation.get_absolute_url(), _data(lives_nearby=""))
    assert response.status_code == 200
    assert "cochez la case pour dire que vous en êtes" in response.content.decode()
    assert not Member.objects.filter(email="lucie.martin@exemple.fr").exists()


def test_a_revoked_link_says_so_in_french(client, invitation, manager):
    invitation_revoke(actor=manager, invitation=invitation)
    response = client.get(invitation.get_absolute_url())
    assert response.status_code == 404
    assert "Ce lien d'invitation a été retiré par le café." in unescape(response.content.decode())
    response = client.post(invitation.get_absolute_url(), _data())
    assert response.status_code == 404
    assert not Member.objects.filter(email="lucie.martin@exemple.fr").exists()


def test_an_expired_or_unknown_link_says_so(client, invitation):
    ResidentInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    body = unescape(client.get(invitation.get_absolute_url()).content.decode())
    assert "Ce lien d'invitation a expiré." in body
    response = client.get(reverse("projects:invitation_join", args=["x" * 500]))
    assert response.status_code == 404
    assert "n'est pas valide" in unescape(response.content.decode())


def test_an_existing_address_does_not_create_a_second_account(client, invitation, manager):
    response = client.post(invitation.get_absolute_url(), _data(email=manager.email))
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.role == Role.MANAGER and manager.resident_cafe_id is None
    assert Member.objects.filter(email=manager.email).count() == 1


def test_a_signed_in_member_is_not_turned_into_a_resident(client_for, manager, invitation):
    response = client_for(manager).get(invitation.get_absolute_url())
    assert "Vous êtes connecté avec un autre compte." in response.content.decode()
    manager.refresh_from_db()
    assert manager.role == Role.MANAGER


def test_verified_resident_logging_in_again_lands_on_projects(client, invitation):
    client.post(invitation.get_absolute_url(), _data())
    EmailAddress.objects.filter(email="lucie.martin@exemple.fr").update(verified=True)
    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": "lucie.martin@exemple.fr", "password": "Un-comptoir-en-zinc-42"},
    )
    assert response["Location"] == reverse("projects:list")


def test_a_link_withdrawn_during_the_sign_up_leaves_no_account(client, invitation, monkeypatch):
    from network.services.projects import ProjectError

    def withdrawn(**kwargs):
        raise ProjectError("Ce lien d'invitation a été retiré par le café.")

    monkeypatch.setattr("network.views.projects.resident_join", withdrawn)
    response = client.post(invitation.get_absolute_url(), _data())
    assert response.status_code == 404
    assert "retiré par le café" in unescape(response.content.decode())
    assert not Member.objects.filter(email="lucie.martin@exemple.fr").exists()
    assert mail.outbox == []


def test_a_resident_who_left_joins_again_through_a_new_link(
    client_for, member_factory, invitation, project
):
    former = member_factory(role=Role.RESIDENT, resident_cafe=None)
    client = client_for(former)
    page = unescape(client.get(invitation.get_absolute_url()).content.decode())
    assert "Rejoindre à nouveau les projets du café" in page
    response = client.post(invitation.get_absolute_url(), follow=True)
    assert "Bon retour parmi les projets de Le Comptoir de Sulignat." in unescape(
        response.content.decode()
    )
    former.refresh_from_db()
    assert former.resident_cafe_id == invitation.cafe_id
    assert ChannelMembership.objects.filter(channel=project.channel, member=former).exists()


def test_a_resident_of_another_cafe_cannot_switch_through_the_link(
    client_for, member_factory, invitation, other_cafe
):
    elsewhere = member_factory(role=Role.RESIDENT, resident_cafe=other_cafe)
    client_for(elsewhere).post(invitation.get_absolute_url())
    elsewhere.refresh_from_db()
    assert elsewhere.resident_cafe_id == other_cafe.pk
