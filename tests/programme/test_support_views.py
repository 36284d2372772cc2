"""The support file: who sees it, who changes it, and the manager's own page."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import SessionStatus, Training, TrainingSession
from network.models import Role
from programme.models import Action, ActionStatus, Diagnostic, FollowUp

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def iso(day) -> str:
    return day.isoformat()


def test_the_support_file_is_seen_by_its_manager_coach_and_staff_only(
    support_file, manager, coach, staff_member, member_factory, client_for
):
    url = support_file.get_absolute_url()
    for member in (manager, coach, staff_member):
        response = client_for(member).get(url)
        assert response.status_code == 200
        assert "Accompagnement de Le Café de Lhuis" in text(response)
    for member in (member_factory(role=Role.MANAGER), member_factory(role=Role.PROFESSIONAL)):
        response = client_for(member).get(url)
        assert response.status_code == 404
        assert "Le Café de Lhuis" not in text(response)


def test_the_coach_records_a_diagnostic_from_the_site(support_file, coach, client_for):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client_for(coach).post(
        reverse("programme:diagnostic_edit", args=[support_file.pk]),
        {
            "carried_out_on": iso(yesterday),
            "activity": "Café, épicerie, dépôt de pain",
            "town_hall": "La mairie loue les murs",
            "strengths": "Seul lieu de rencontre du village",
        },
        follow=True,
    )
    assert "Le diagnostic a été enregistré." in text(response)
    assert "La mairie loue les murs" in text(response)
    assert Diagnostic.objects.get().carried_out_on == yesterday


def test_a_coach_editing_a_cafe_they_do_not_follow_gets_a_clear_404(
    support_file, member_factory, client_for
):
    other_coach = member_factory(role=Role.PROFESSIONAL)
    response = client_for(other_coach).post(
        reverse("programme:diagnostic_edit", args=[support_file.pk]),
        {"carried_out_on": iso(timezone.localdate())},
    )
    assert response.status_code == 404
    assert "un dossier d'accompagnement par les gérants du café, son accompagnateur" in text(
        response
    )
    assert not Diagnostic.objects.exists()


def test_the_manager_may_not_change_the_file(support_file, manager, client_for):
    response = client_for(manager).get(reverse("programme:action_create", args=[support_file.pk]))
    assert response.status_code == 403
    assert "Vous ne suivez pas ce café" in text(response)


def test_the_coach_adds_actions_and_the_manager_sees_the_plan(
    support_file, coach, manager, client_for
):
    training = Training.objects.create(title="Animer son café")
    starts = timezone.now() + timedelta(days=12)
    session = TrainingSession.objects.create(
        training=training,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        capacity=12,
        registration_deadline=starts - timedelta(days=2),
        status=SessionStatus.OPEN,
    )
    due = timezone.localdate() + timedelta(days=60)
    response = client_for(coach).post(
        reverse("programme:action_create", args=[support_file.pk]),
        {
            "title": "Organiser un marché de producteurs",
            "category": "residents",
            "owner": manager.pk,
            "due_on": iso(due),
            "status": "todo",
            "training_sessions": [session.pk],
            "resources_note": "Guide des marchés de village",
        },
        follow=True,
    )
    assert "L'action a été enregistrée." in text(response)
    action = Action.objects.get()
    assert action.owner == manager and action.due_on == due

    page = " ".join(text(client_for(manager).get(reverse("programme:home"))).split())
    assert "Mon plan d'action" in page
    assert "Organiser un marché de producteurs" in page
    assert "0 action réalisée sur 1 (0 %)" in page
    assert "Sessions de formation conseillées" in page
    assert "Animer son café" in page


def test_an_action_owner_outside_the_file_is_refused(
    support_file, coach, member_factory, client_for
):
    stranger = member_factory(role=Role.MANAGER)
    response = client_for(coach).post(
        reverse("programme:action_create", args=[support_file.pk]),
        {
            "title": "X",
            "category": "tools",
            "owner": stranger.pk,
            "due_on": iso(timezone.localdate()),
            "status": "todo",
        },
    )
    assert "Une action est portée par le gérant du café ou son accompagnateur." in text(response)
    assert not Action.objects.exists()


def test_a_visit_updates_actions_and_shows_the_next_visit(support_file, coach, manager, client_for):
    from programme.services import action_save

    action = action_save(
        actor=coach,
        support_file=support_file,
        fields={
            "title": "Ouvrir un relais colis",
            "category": "new_services",
            "owner": manager,
            "due_on": timezone.localdate() + timedelta(days=10),
            "status": "todo",
        },
    )
    today = timezone.localdate()
    next_visit = today + timedelta(days=21)
    response = client_for(coach).post(
        reverse("programme:follow_up_create", args=[support_file.pk]),
        {
            "kind": "visit",
            "happened_on": iso(today),
            "people": "Sophie (gérante), Karim (accompagnateur)",
            "notes": "Visite du local",
            "decisions": "Signer avec le transporteur",
            "next_steps": "Former la remplaçante",
            "next_visit_on": iso(next_visit),
            f"action_{action.pk}": "in_progress",
        },
        follow=True,
    )
    page = text(response)
    assert "La visite ou le suivi a été enregistré." in page
    assert "Ouvrir un relais colis : À faire → En cours" in page
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    home = text(client_for(manager).get(reverse("programme:home")))
    assert "Prochaine visite :" in home
    assert f"{next_visit.day}" in home


def test_dates_in_the_wrong_order_are_refused_in_french(support_file, coach, client_for):
    today = timezone.localdate()
    response = client_for(coach).post(
        reverse("programme:follow_up_create", args=[support_file.pk]),
        {
            "kind": "phone",
            "happened_on": iso(today),
            "people": "Sophie",
            "next_visit_on": iso(today - timedelta(days=5)),
        },
    )
    assert response.status_code == 200
    assert "La prochaine visite ou le prochain appel doit venir après celui-ci." in text(response)
    response = client_for(coach).post(
        reverse("programme:follow_up_create", args=[support_file.pk]),
        {"kind": "phone", "happened_on": iso(today + timedelta(days=5)), "people": "Sophie"},
    )
    assert "Cette date est dans le futur" in text(response)
    response = client_for(coach).post(
        reverse("programme:follow_up_create", args=[support_file.pk]),
        {"kind": "phone", "happened_on": "31/02/2026", "people": "Sophie"},
    )
    assert "Saisissez une date valide." in text(response)
    assert not FollowUp.objects.exists()


def test_the_timeline_tells_the_story(support_file, coach, manager, client_for):
    from programme.services import diagnostic_save

    diagnostic_save(
        actor=coach,
        support_file=support_file,
        fields={"carried_out_on": timezone.localdate()},
    )
    page = text(client_for(manager).get(support_file.get_absolute_url()))
    assert "Candidature envoyée" in page
    assert "Candidature acceptée, promotion Cohorte 2027" in page


def test_an_action_recommends_resources_of_the_library(
    support_file, coach, manager, client_for, home_page
):
    from resources.models import ResourceCategoryPage
    from resources.services import library_ensure, resource_create

    library_ensure()
    resource = resource_create(
        category=ResourceCategoryPage.objects.get(slug="gestion-et-comptabilite"),
        title="Plan de trésorerie sur douze mois",
        summary="Un tableau pour voir venir les mois creux.",
        resource_type="guide",
    )
    response = client_for(coach).post(
        reverse("programme:action_create", args=[support_file.pk]),
        {
            "title": "Tenir un plan de trésorerie",
            "category": "skills",
            "owner": manager.pk,
            "due_on": iso(timezone.localdate() + timedelta(days=20)),
            "status": "todo",
            "resources": [resource.pk],
        },
    )
    assert response.status_code == 302
    assert list(Action.objects.get().resources.all()) == [resource]
    page = text(client_for(manager).get(reverse("programme:home")))
    assert "Ressources conseillées" in page
    assert "Plan de trésorerie sur douze mois" in page
    assert f'href="{resource.url}"' in page


@pytest.mark.parametrize(
    "url_name", ["diagnostic_edit", "action_create", "follow_up_create", "plan_agreement"]
)
def test_no_edit_route_opens_to_a_coach_of_another_cafe(
    support_file, member_factory, client_for, url_name
):
    other_coach = member_factory(role=Role.PROFESSIONAL)
    url = reverse(f"programme:{url_name}", args=[support_file.pk])
    client = client_for(other_coach)
    if url_name != "plan_agreement":
        assert client.get(url).status_code == 404
    response = client.post(
        url,
        {
            "carried_out_on": iso(timezone.localdate()),
            "agreed_on": iso(timezone.localdate()),
            "kind": "phone",
            "happened_on": iso(timezone.localdate()),
            "people": "Moi",
            "title": "Intrusion",
            "category": "tools",
            "owner": other_coach.pk,
            "due_on": iso(timezone.localdate()),
            "status": "todo",
        },
    )
    assert response.status_code == 404
    support_file.refresh_from_db()
    assert support_file.plan_agreed_on is None
    assert not Diagnostic.objects.exists()
    assert not Action.objects.exists()
    assert not FollowUp.objects.exists()


def test_the_coach_edits_an_action_of_the_plan_only(
    support_file, coach, manager, client_for, staff_member, cohort, cafe_factory, member_factory
):
    from programme.services import (
        action_save,
        application_accept,
        application_save,
        application_send,
    )

    from .conftest import application_fields

    def make_action(file, owner):
        return action_save(
            actor=coach,
            support_file=file,
            fields={
                "title": "Refaire la carte",
                "category": "tools",
                "owner": owner,
                "due_on": timezone.localdate() + timedelta(days=5),
                "status": "todo",
            },
        )

    action = make_action(support_file, manager)
    response = client_for(coach).post(
        reverse("programme:action_edit", args=[support_file.pk, action.pk]),
        {
            "title": "Refaire la carte des boissons",
            "category": "tools",
            "owner": coach.pk,
            "due_on": iso(timezone.localdate() + timedelta(days=5)),
            "status": "done",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.owner, action.status) == (
        "Refaire la carte des boissons",
        coach,
        "done",
    )
    assert action.done_on == timezone.localdate()

    # An action of another café's plan, reached through this file's address: not found.
    other_manager = member_factory(role=Role.MANAGER)
    other_cafe = cafe_factory(name="Café de Pérouges", commune="Pérouges", managers=[other_manager])
    other_file = application_accept(
        actor=staff_member,
        application=application_send(
            applicant=other_manager,
            application=application_save(
                applicant=other_manager,
                cafe=other_cafe,
                commune=other_cafe.commune,
                fields=application_fields(),
            ),
        ),
        coach=coach,
        cohort=cohort,
    )
    foreign = make_action(other_file, other_manager)
    response = client_for(coach).get(
        reverse("programme:action_edit", args=[support_file.pk, foreign.pk])
    )
    assert response.status_code == 404


def test_an_agreement_date_that_is_no_date_is_shown_beside_the_field(
    support_file, coach, manager, client_for
):
    client = client_for(coach)
    client.post(
        reverse("programme:action_create", args=[support_file.pk]),
        {
            "title": "Ouvrir le dimanche",
            "category": "residents",
            "owner": manager.pk,
            "due_on": iso(timezone.localdate() + timedelta(days=30)),
            "status": "todo",
        },
    )

    response = client.post(
        reverse("programme:plan_agreement", args=[support_file.pk]), {"agreed_on": "31/02/2026"}
    )

    assert response.status_code == 200
    page = text(response)
    assert 'id="error-summary"' in page and 'aria-invalid="true"' in page
    support_file.refresh_from_db()
    assert support_file.plan_agreed_on is None


@pytest.mark.parametrize("field", ["resources", "training_sessions"])
def test_an_id_too_big_for_the_database_is_an_invalid_choice(
    support_file, coach, client_for, field
):
    """Found by tests/comptoir/test_form_fuzz.py: an id over 2**63 in a list of choices was a
    server error on SQLite (OverflowError)."""
    response = client_for(coach).post(
        reverse("programme:action_create", args=[support_file.pk]),
        {
            "title": "X",
            "category": "tools",
            "owner": coach.pk,
            "due_on": iso(timezone.localdate()),
            "status": "todo",
            field: ["99999999999999999999"],
        },
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in text(response)
    assert not Action.objects.exists()


def test_a_visit_dated_out_of_the_calendar_is_refused_in_french(support_file, coach, client_for):
    response = client_for(coach).post(
        reverse("programme:follow_up_create", args=[support_file.pk]),
        {"kind": "phone", "happened_on": "9999-12-31", "people": "Sophie"},
    )

    assert response.status_code == 200
    assert "Saisissez une date entre 2000 et 2100." in text(response)
    assert not FollowUp.objects.exists()
