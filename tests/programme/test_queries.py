"""The staff pages' query counts do not grow with the number of applications or cafés."""

import html

import pytest
from django.urls import reverse

from network.models import Role
from programme.services import application_accept, application_save, application_send

from .conftest import application_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_files(communes, cafe_factory, member_factory, staff_member, coach, cohort):
    for number in range(6):
        manager = member_factory(role=Role.MANAGER)
        cafe = cafe_factory(name=f"Café {number}", commune="Lhuis", managers=[manager])
        application = application_send(
            applicant=manager,
            application=application_save(
                applicant=manager, cafe=cafe, commune=cafe.commune, fields=application_fields()
            ),
        )
        if number % 2:
            application_accept(
                actor=staff_member, application=application, coach=coach, cohort=cohort
            )


@pytest.mark.parametrize(
    ("url_name", "shown"),
    [
        ("programme:review_queue", "Café 1"),
        ("programme:dashboard", "Cohorte 2027 : 3 cafés accompagnés"),
        ("programme:dashboard_csv", "Café 5"),
    ],
)
def test_staff_pages_run_a_bounded_number_of_queries(
    many_files, staff_member, client_for, django_assert_max_num_queries, url_name, shown
):
    client = client_for(staff_member)
    client.get(reverse(url_name))  # warm the session and caches
    with django_assert_max_num_queries(20):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert shown in " ".join(response.content.decode("utf-8-sig").split())


def test_a_coachs_page_does_not_grow_with_the_cafes_followed(
    many_files, coach, client_for, django_assert_max_num_queries
):
    client = client_for(coach)
    client.get(reverse("programme:home"))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("programme:home"))
    page = html.unescape(response.content.decode())
    assert page.count("Ouvrir le dossier d'accompagnement") == 3
