"""The demo data of the projects area, made by `seed_demo`."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from network.models import Idea, Member, Project

pytestmark = pytest.mark.django_db


def test_the_demo_resident_belongs_to_the_demo_cafe_and_sees_its_projects(client_for):
    call_command("seed_demo")
    call_command("seed_demo")  # safe to run again: nothing twice
    resident = Member.objects.get(email="habitant@comptoir.example")
    assert resident.resident_cafe.name == "Le Comptoir de Sulignat"
    assert Project.objects.filter(cafe=resident.resident_cafe).count() == 2
    assert Idea.objects.filter(title="Le pain du dimanche matin").count() == 1
    body = client_for(resident).get(reverse("projects:list")).content.decode()
    assert "Un dépôt de pain au café" in body
    bread = Project.objects.get(title="Un dépôt de pain au café")
    assert bread.channel.memberships.filter(member=resident).exists()
    assert list(bread.channel.messages.values_list("author__email", flat=True)) == [
        "gerante@comptoir.example",
        "habitant@comptoir.example",
    ]
    # The demo café's coach in the programme follows its projects.
    coach = Member.objects.get(email="pro@comptoir.example")
    assert bread.channel.memberships.filter(member=coach).exists()
