"""Programme fixtures: two more communes (a village of 900 inhabitants and a town of 12,000),
a cohort, applications and support files made through the services, as the site does."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from directory.models import Commune, PopulationBand
from directory.text import fold
from network.models import Role
from programme.models import Cohort
from programme.services import application_accept, application_save, application_send


@pytest.fixture
def communes(geography) -> dict[str, Commune]:
    for insee, name, population, postal in [
        ("01216", "Lhuis", 900, "01680"),
        ("01173", "Gex", 12000, "01170"),
    ]:
        geography[name] = Commune.objects.create(
            insee_code=insee,
            name=name,
            departement_id="01",
            population=population,
            population_band=PopulationBand.for_population(population),
            postal_codes=postal,
            search_name=fold(name),
        )
    return geography


@pytest.fixture
def cohort(db) -> Cohort:
    today = timezone.localdate()
    return Cohort.objects.create(
        name="Cohorte 2027",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=335),
        target_size=100,
    )


@pytest.fixture
def village_cafe(communes, cafe_factory, manager):
    return cafe_factory(name="Le Café de Lhuis", commune="Lhuis", managers=[manager])


@pytest.fixture
def coach(member_factory):
    return member_factory(role=Role.PROFESSIONAL, first_name="Karim", last_name="Haddad")


def application_fields(**overrides) -> dict:
    fields = {
        "current_operation": "Ouvert six jours sur sept, dépôt de pain et épicerie.",
        "needs": ["new_services", "skills"],
        "needs_details": "Lancer un relais colis et tenir la comptabilité.",
        "declares_last_cafe": True,
        "declares_dedicated_space": True,
        "explanation": "",
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def sent_application(village_cafe, manager):
    application = application_save(
        applicant=manager,
        cafe=village_cafe,
        commune=village_cafe.commune,
        fields=application_fields(),
    )
    return application_send(applicant=manager, application=application)


@pytest.fixture
def support_file(sent_application, staff_member, coach, cohort):
    return application_accept(
        actor=staff_member, application=sent_application, coach=coach, cohort=cohort
    )


@pytest.fixture
def yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)
