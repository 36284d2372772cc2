"""The café's coach in the programme follows its projects: channel, pages (not management).

Relies on the programme app's support files (programme/services.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from network.models import ChannelMembership, Role
from network.services.projects import cafe_project_channels_sync
from programme.models import Cohort
from programme.services import application_accept, application_save, application_send

from .projects_fixtures import *  # noqa: F403 (the fixtures)

pytestmark = pytest.mark.django_db


APPLICATION = {
    "current_operation": "Ouvert six jours sur sept.",
    "needs": ["new_services"],
    "needs_details": "Un relais colis.",
    "declares_last_cafe": True,
    "declares_dedicated_space": True,
    "explanation": "",
}


@pytest.fixture
def coach(member_factory):
    return member_factory(role=Role.PROFESSIONAL, first_name="Karim", last_name="Haddad")


@pytest.fixture
def coached(cafe, manager, staff_member, coach):
    """The café accepted in the programme, with its coach."""
    today = timezone.localdate()
    cohort = Cohort.objects.create(
        name="Cohorte 2027",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=300),
    )
    application = application_save(
        applicant=manager,
        cafe=cafe,
        commune=cafe.commune,
        fields=APPLICATION,
    )
    application = application_send(applicant=manager, application=application)
    return application_accept(
        actor=staff_member, application=application, coach=coach, cohort=cohort
    )


def test_the_coach_is_in_the_channel_of_new_projects_and_follows_them(
    coached, coach, project_factory, client_for
):
    project = project_factory()
    assert ChannelMembership.objects.filter(channel=project.channel, member=coach).exists()
    client = client_for(coach)
    assert "Un dépôt de pain" in client.get(reverse("projects:list")).content.decode()
    assert client.get(project.get_absolute_url()).status_code == 200
    # Following is not running: the café's manager answers and edits.
    assert client.get(reverse("projects:edit", args=[project.pk])).status_code == 404


def test_a_coach_assigned_later_joins_the_existing_channels(
    project, cafe, manager, staff_member, coach, member_factory
):
    assert not ChannelMembership.objects.filter(channel=project.channel, member=coach).exists()
    today = timezone.localdate()
    cohort = Cohort.objects.create(
        name="Cohorte 2028", starts_on=today, ends_on=today + timedelta(days=300)
    )
    application = application_send(
        applicant=manager,
        application=application_save(
            applicant=manager,
            cafe=cafe,
            commune=cafe.commune,
            fields=APPLICATION,
        ),
    )
    application_accept(actor=staff_member, application=application, coach=coach, cohort=cohort)

    # Accepting the café brings its coach into the project channels already open.
    assert ChannelMembership.objects.filter(channel=project.channel, member=coach).exists()
    cafe_project_channels_sync(cafe=cafe)  # and running the sync again changes nothing
    assert ChannelMembership.objects.filter(channel=project.channel, member=coach).count() == 1


def test_a_professional_who_coaches_no_cafe_has_no_projects(project, coach, client_for):
    assert client_for(coach).get(project.get_absolute_url()).status_code == 404
