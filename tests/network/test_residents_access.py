"""Residents see their café's projects and channels, and nothing of the professional network."""

from html import unescape

import pytest
from django.urls import reverse

from network.models import Channel, ChannelKind, Role
from network.services.channels import channel_create

from .projects_fixtures import *  # noqa: F403 (the fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic_channel(staff_member):
    return channel_create(actor=staff_member, kind=ChannelKind.TOPIC, name="Licences IV")


@pytest.fixture
def professional(member_factory):
    return member_factory(role=Role.PROFESSIONAL, first_name="Karim", last_name="Conseil")


@pytest.mark.parametrize(
    "url",
    [
        "/annuaire/",
        "/annuaire/mon-profil/",
        "/formations/",
        "/ressources/",
        "/accompagnement/",
        "/reseau/canaux/nouveau/",
        "/reseau/signalements/",
        "/cms/",
    ],
)
def test_the_professional_network_is_closed_to_residents(url, client_for, village_resident):
    response = client_for(village_resident).get(url)
    assert response.status_code in (403, 404), url


def test_a_cafe_entry_of_the_directory_is_closed_to_residents(client_for, village_resident, cafe):
    response = client_for(village_resident).get(reverse("directory:cafe_detail", args=[cafe.pk]))
    assert response.status_code == 403
    assert cafe.name not in response.content.decode()


def test_residents_cannot_open_a_conversation_with_a_professional(
    client_for, village_resident, professional
):
    response = client_for(village_resident).post(
        reverse("network:conversation_open", args=[professional.pk])
    )
    assert response.status_code == 403
    assert not Channel.objects.filter(kind=ChannelKind.DIRECT).exists()


def test_the_channel_list_shows_only_the_project_channels(
    client_for, village_resident, project, topic_channel
):
    client = client_for(village_resident)
    body = unescape(client.get(reverse("network:channels")).content.decode())
    assert "Projet : Un dépôt de pain" in body
    assert "Licences IV" not in body
    assert client.get(project.channel.get_absolute_url()).status_code == 200
    assert client.get(topic_channel.get_absolute_url()).status_code == 404


def test_the_navigation_and_home_show_no_directory_nor_trainings(client_for, village_resident):
    body = client_for(village_resident).get(reverse("members_home")).content.decode()
    assert 'href="/projets/"' in body
    assert "Annuaire" not in body
    assert "Formations" not in body
    assert "Pairs" not in body


def test_the_manager_sees_the_projects_in_the_navigation(client_for, manager):
    body = client_for(manager).get(reverse("members_home")).content.decode()
    assert 'href="/projets/"' in body and "Idées et projets" in body


def test_professionals_have_no_projects_area(client_for, professional, project):
    client = client_for(professional)
    assert client.get(reverse("projects:list")).status_code == 404
    assert client.get(project.get_absolute_url()).status_code == 404
    assert 'href="/projets/"' not in client.get(reverse("members_home")).content.decode()


def test_staff_follow_every_project(client_for, staff_member, project):
    body = client_for(staff_member).get(reverse("projects:list")).content.decode()
    assert "Un dépôt de pain" in body
    assert client_for(staff_member).get(project.get_absolute_url()).status_code == 200


def test_a_resident_leaves_the_cafe_and_finds_how_to_erase_their_account(
    client_for, village_resident, project
):
    client = client_for(village_resident)
    response = client.post(reverse("projects:account"), {"action": "leave"}, follow=True)
    page = unescape(response.content.decode())
    assert "Vous avez quitté les projets du café." in page
    assert client.get(project.get_absolute_url()).status_code == 404
    # One way to erase an account for everyone: the members' data pages (network/privacy).
    assert f'href="{reverse("privacy:my_data")}"' in page
    assert client.get(reverse("privacy:erase")).status_code == 200


def test_the_account_page_is_for_residents_only(client_for, manager):
    response = client_for(manager).post(reverse("projects:account"), {"action": "leave"})
    assert response.status_code == 404
