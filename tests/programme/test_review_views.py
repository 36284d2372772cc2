"""Staff review: the queue and its filters, the findings and cross-check, the decisions."""

import csv
import html
import io

import pytest
from django.core import mail
from django.urls import reverse

from network.models import Role
from programme.models import Application, ApplicationStatus, SupportFile
from programme.services import application_save, application_send

from .conftest import application_fields

pytestmark = pytest.mark.django_db

QUEUE = reverse("programme:review_queue")


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def town_application(communes, cafe_factory, member_factory):
    manager = member_factory(role=Role.MANAGER)
    cafe = cafe_factory(name="Le Grand Café de Gex", commune="Gex", managers=[manager])
    application = application_save(
        applicant=manager,
        cafe=cafe,
        commune=cafe.commune,
        fields=application_fields(explanation="Notre hameau compte 300 habitants."),
    )
    return application_send(applicant=manager, application=application)


def test_the_queue_filters_by_eligibility_status_and_region(
    sent_application, town_application, staff_member, client_for
):
    client = client_for(staff_member)
    page = text(client.get(QUEUE))
    assert "Le Café de Lhuis" in page and "Le Grand Café de Gex" in page
    page = text(client.get(QUEUE, {"eligible": "no"}))
    assert "Le Grand Café de Gex" in page and "Le Café de Lhuis" not in page
    page = text(client.get(QUEUE, {"eligible": "yes"}))
    assert "Le Café de Lhuis" in page and "Le Grand Café de Gex" not in page
    page = text(client.get(QUEUE, {"region": "76"}))
    assert "Aucune candidature ne correspond à ces filtres." in page
    page = text(client.get(QUEUE, {"status": "accepted"}))
    assert "Le Café de Lhuis" not in page
    # An unknown filter value is ignored, not an error page.
    assert client.get(QUEUE, {"status": "n'importe quoi"}).status_code == 200


def test_drafts_stay_out_of_the_queue(village_cafe, manager, staff_member, client_for):
    draft = application_save(
        applicant=manager, cafe=village_cafe, commune=village_cafe.commune, fields={}
    )
    assert "Le Café de Lhuis" not in text(client_for(staff_member).get(QUEUE))
    url = reverse("programme:review_detail", args=[draft.pk])
    assert client_for(staff_member).get(url).status_code == 404


def test_the_detail_shows_findings_and_other_open_cafes_of_the_commune(
    sent_application, cafe_factory, staff_member, client_for
):
    cafe_factory(name="Bar des Sports", commune="Lhuis")
    cafe_factory(name="Ancien café fermé", commune="Lhuis", is_active=False)
    page = text(
        client_for(staff_member).get(reverse("programme:review_detail", args=[sent_application.pk]))
    )
    assert "Lhuis compte 900 habitants" in " ".join(page.split())
    assert "Un autre café de Lhuis est ouvert dans l'annuaire" in page
    assert "Bar des Sports" in page
    assert "Ancien café fermé" not in page


def test_staff_accept_with_coach_and_cohort(
    sent_application,
    staff_member,
    coach,
    cohort,
    manager,
    client_for,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff_member).post(
            reverse("programme:review_accept", args=[sent_application.pk]),
            {"coach": coach.pk, "cohort": cohort.pk, "message": "Bienvenue !"},
            follow=True,
        )
    assert "La candidature est acceptée" in text(response)
    support_file = SupportFile.objects.get()
    assert (support_file.coach, support_file.cohort) == (coach, cohort)
    assert mail.outbox[0].to == [manager.email]
    assert "Bienvenue !" in mail.outbox[0].body


def test_accepting_without_a_cohort_is_explained(sent_application, staff_member, coach, client_for):
    response = client_for(staff_member).post(
        reverse("programme:review_accept", args=[sent_application.pk]), {"coach": coach.pk}
    )
    assert response.status_code == 400
    assert "Choisissez une promotion" in text(response)
    assert not SupportFile.objects.exists()


def test_staff_ask_for_information_then_refuse_with_a_reason(
    sent_application, staff_member, client_for, django_capture_on_commit_callbacks
):
    client = client_for(staff_member)
    client.post(
        reverse("programme:review_request_info", args=[sent_application.pk]),
        {"message": "Avez-vous une terrasse ?"},
    )
    assert Application.objects.get().status == ApplicationStatus.INFO_REQUESTED
    response = client.post(reverse("programme:review_refuse", args=[sent_application.pk]), {})
    assert response.status_code == 400
    assert "Motif du refus" in text(response)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("programme:review_refuse", args=[sent_application.pk]),
            {"reason": "Un autre café est ouvert dans la commune."},
        )
    assert Application.objects.get().status == ApplicationStatus.REFUSED
    assert [m.subject for m in mail.outbox][-1].endswith("Votre candidature pour Le Café de Lhuis")


def test_managers_and_coaches_may_not_review(sent_application, manager, coach, client_for):
    for member in (manager, coach):
        assert client_for(member).get(QUEUE).status_code == 403
        response = client_for(member).post(
            reverse("programme:review_refuse", args=[sent_application.pk]), {"reason": "Non"}
        )
        assert response.status_code == 403
    assert Application.objects.get().status == ApplicationStatus.SENT


def test_the_dashboard_counts_and_exports(
    support_file, town_application, staff_member, client_for, coach, manager
):
    from datetime import timedelta

    from django.utils import timezone

    from programme.services import action_save

    action_save(
        actor=coach,
        support_file=support_file,
        fields={
            "title": "Refaire la carte",
            "category": "tools",
            "owner": manager,
            "due_on": timezone.localdate() - timedelta(days=3),
            "status": "todo",
        },
    )
    client = client_for(staff_member)
    page = " ".join(text(client.get(reverse("programme:dashboard"))).split())
    assert "Cohorte 2027 : 1 cafés accompagnés pour un objectif de 100" in page
    assert "1 action en retard" in page
    assert "Auvergne-Rhône-Alpes" in page
    # Accepted today: not yet "without a visit for more than 6 weeks".
    assert "Chaque café accompagné a eu une visite ou un appel récemment." in page
    SupportFile.objects.filter(pk=support_file.pk).update(
        created_at=timezone.now() - timedelta(weeks=8)
    )
    page = text(client.get(reverse("programme:dashboard"), {"weeks": "6"}))
    assert "aucune visite pour l'instant" in page
    response = client.get(reverse("programme:dashboard"), {"weeks": "abc"})
    assert response.status_code == 200

    response = client.get(reverse("programme:dashboard_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Café"
    assert rows[1][0] == "Le Café de Lhuis"
    assert rows[1][5] == "Karim Haddad"
    assert rows[1][9] == "1"  # overdue


def test_staff_read_a_failing_rule_with_the_applicants_explanation(
    town_application, staff_member, client_for
):
    page = " ".join(
        text(
            client_for(staff_member).get(
                reverse("programme:review_detail", args=[town_application.pk])
            )
        ).split()
    )
    assert "Non remplie :</strong> Un village de moins de 3 500 habitants." in page
    assert "Gex compte 12 000 habitants" in page
    assert "lisez l'explication du candidat plus bas" in page
    assert "Notre hameau compte 300 habitants." in page
