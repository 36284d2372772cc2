"""The demo data of `make run`: a followed café with its plan, and one application waiting."""

import pytest

from network.models import Role
from programme.demo import demo_programme_ensure
from programme.models import Application, ApplicationStatus, SupportFile

pytestmark = pytest.mark.django_db


def test_the_demo_programme_is_made_once(cafe_factory, staff_member, member_factory):
    manager = member_factory(role=Role.MANAGER)
    coach = member_factory(role=Role.PROFESSIONAL)
    cafe_factory(name="Le Comptoir de Sulignat", managers=[manager])
    cafe_factory(name="Café de la Place", commune="Pérouges")
    for _run in range(2):
        demo_programme_ensure(staff=staff_member, manager=manager, coach=coach)
    support_file = SupportFile.objects.get()
    assert support_file.coach == coach
    assert support_file.actions.count() == 3
    assert support_file.follow_ups.count() == 1
    assert support_file.diagnostic.strengths
    waiting = Application.objects.get(status=ApplicationStatus.SENT)
    assert waiting.cafe.name == "Café de la Place"
    assert waiting.is_eligible is False
