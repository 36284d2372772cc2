"""Writes of the programme: what is stored, what is refused and with which French message."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone, translation

from events.models import SessionStatus, Training, TrainingSession
from network.models import Role
from programme.models import (
    ActionStatus,
    ActionUpdate,
    Application,
    ApplicationStatus,
    Diagnostic,
    FollowUpKind,
)
from programme.services import (
    ProgrammeError,
    action_save,
    application_accept,
    application_refuse,
    application_request_info,
    application_save,
    application_send,
    diagnostic_save,
    follow_up_record,
    plan_agree,
)

from .conftest import application_fields

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def test_a_draft_is_saved_with_the_answers(village_cafe, manager):
    application = application_save(
        applicant=manager,
        cafe=village_cafe,
        commune=village_cafe.commune,
        fields=application_fields(),
    )
    stored = Application.objects.get(pk=application.pk)
    assert stored.status == ApplicationStatus.DRAFT
    assert stored.needs == ["new_services", "skills"]
    assert stored.commune.name == "Lhuis"
    assert stored.sent_at is None


def test_applying_for_someone_elses_cafe_is_refused(village_cafe, member_factory):
    stranger = member_factory(role=Role.MANAGER)
    with pytest.raises(ProgrammeError) as error:
        application_save(
            applicant=stranger, cafe=village_cafe, commune=village_cafe.commune, fields={}
        )
    assert error.value.message.startswith(
        "Vous ne pouvez candidater que pour un café que vous gérez"
    )
    assert not Application.objects.exists()


def test_a_second_open_application_for_the_same_cafe_is_refused(
    village_cafe, manager, member_factory
):
    application_save(applicant=manager, cafe=village_cafe, commune=village_cafe.commune, fields={})
    co_manager = member_factory(role=Role.MANAGER)
    village_cafe.managers.add(co_manager)
    with pytest.raises(ProgrammeError) as error:
        application_save(
            applicant=co_manager, cafe=village_cafe, commune=village_cafe.commune, fields={}
        )
    assert "a déjà une candidature en cours" in error.value.message
    assert Application.objects.count() == 1


def test_the_database_refuses_two_open_applications_too(village_cafe, manager):
    first = application_save(
        applicant=manager, cafe=village_cafe, commune=village_cafe.commune, fields={}
    )
    with pytest.raises(IntegrityError):
        Application.objects.create(
            cafe=village_cafe, applicant=manager, commune=first.commune, status="sent"
        )


def test_an_eligible_application_is_sent(sent_application):
    assert sent_application.status == ApplicationStatus.SENT
    assert sent_application.is_eligible is True
    assert sent_application.sent_at is not None


def test_a_failing_application_needs_an_explanation_to_be_sent(communes, cafe_factory, manager):
    cafe = cafe_factory(name="Le Grand Café", commune="Gex", managers=[manager])
    application = application_save(
        applicant=manager, cafe=cafe, commune=cafe.commune, fields=application_fields()
    )
    with pytest.raises(ProgrammeError) as error:
        application_send(applicant=manager, application=application)
    assert error.value.field == "explanation"
    assert "Au moins une condition n'est pas remplie" in error.value.message
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT

    application = application_save(
        applicant=manager,
        cafe=cafe,
        commune=cafe.commune,
        application=application,
        fields={"explanation": "Commune nouvelle : notre village, Échenevex, a 400 habitants."},
    )
    sent = application_send(applicant=manager, application=application)
    assert sent.status == ApplicationStatus.SENT
    assert sent.is_eligible is False


def test_a_sent_application_cannot_be_changed(sent_application, manager, village_cafe):
    with pytest.raises(ProgrammeError) as error:
        application_save(
            applicant=manager,
            cafe=village_cafe,
            commune=village_cafe.commune,
            application=sent_application,
            fields={"needs_details": "Autre chose"},
        )
    assert "ne peut être modifiée que si l'équipe du programme" in error.value.message
    assert Application.objects.get(pk=sent_application.pk).needs_details.startswith("Lancer")


def test_asking_for_information_reopens_the_application_and_mails_the_manager_in_french(
    sent_application, staff_member, manager, village_cafe, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application_request_info(
            actor=staff_member,
            application=sent_application,
            message="Combien de couverts servez-vous par jour ?",
        )
    stored = Application.objects.get(pk=sent_application.pk)
    assert stored.status == ApplicationStatus.INFO_REQUESTED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [manager.email]
    assert "précisions nécessaires" in message.subject
    assert "Combien de couverts servez-vous par jour ?" in message.body
    # The manager may change it again, then send it again.
    application_save(
        applicant=manager,
        cafe=village_cafe,
        commune=village_cafe.commune,
        application=stored,
        fields={"needs_details": "Une quarantaine de couverts."},
    )
    assert application_send(applicant=manager, application=stored).status == ApplicationStatus.SENT


def test_accepting_opens_the_support_file_with_coach_and_cohort(
    sent_application, staff_member, coach, cohort, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        support_file = application_accept(
            actor=staff_member, application=sent_application, coach=coach, cohort=cohort
        )
    assert support_file.coach == coach
    assert support_file.cohort == cohort
    assert support_file.cafe == sent_application.cafe
    assert Application.objects.get(pk=sent_application.pk).status == ApplicationStatus.ACCEPTED
    assert mail.outbox[0].to == [manager.email]
    assert "est acceptée" in mail.outbox[0].subject
    assert "Karim Haddad" in mail.outbox[0].body
    to_coach = [m for m in mail.outbox if m.to == [coach.email]]
    assert to_coach[0].subject.endswith("Vous accompagnez désormais Le Café de Lhuis")
    assert support_file.get_absolute_url() in to_coach[0].body
    with pytest.raises(ProgrammeError):
        application_refuse(actor=staff_member, application=sent_application, reason="Trop tard")


def test_a_supported_cafe_cannot_apply_again(support_file, manager, village_cafe):
    with pytest.raises(ProgrammeError) as error:
        application_save(
            applicant=manager, cafe=village_cafe, commune=village_cafe.commune, fields={}
        )
    assert error.value.message == "Ce café est déjà accompagné par le programme."


def test_refusing_needs_a_reason_that_reaches_the_manager(
    sent_application, staff_member, django_capture_on_commit_callbacks
):
    with pytest.raises(ProgrammeError) as error:
        application_refuse(actor=staff_member, application=sent_application, reason="  ")
    assert error.value.message == "Donnez le motif du refus : le gérant le reçoit."
    with django_capture_on_commit_callbacks(execute=True):
        application_refuse(
            actor=staff_member, application=sent_application, reason="Un autre café est ouvert."
        )
    assert Application.objects.get(pk=sent_application.pk).status == ApplicationStatus.REFUSED
    assert "Un autre café est ouvert." in mail.outbox[0].body


def test_only_staff_review(sent_application, coach, cohort, manager):
    with pytest.raises(ProgrammeError):
        application_accept(actor=manager, application=sent_application, coach=coach, cohort=cohort)
    with pytest.raises(ProgrammeError):
        application_refuse(actor=coach, application=sent_application, reason="Non")


def test_a_supplier_cannot_be_coach(sent_application, staff_member, cohort, supplier_member):
    with pytest.raises(ProgrammeError) as error:
        application_accept(
            actor=staff_member, application=sent_application, coach=supplier_member, cohort=cohort
        )
    assert error.value.field == "coach"


# --- Support file --------------------------------------------------------------------------------


def test_the_coach_records_a_diagnostic(support_file, coach, yesterday):
    diagnostic = diagnostic_save(
        actor=coach,
        support_file=support_file,
        fields={"carried_out_on": yesterday, "strengths": "Terrasse, fidélité des habitués"},
    )
    assert diagnostic.strengths == "Terrasse, fidélité des habitués"
    assert diagnostic.recorded_by == coach


def test_a_coach_editing_a_cafe_they_do_not_follow_is_refused(
    support_file, member_factory, yesterday
):
    other_coach = member_factory(role=Role.PROFESSIONAL)
    with pytest.raises(ProgrammeError) as error:
        diagnostic_save(
            actor=other_coach, support_file=support_file, fields={"carried_out_on": yesterday}
        )
    assert error.value.message == (
        "Vous ne suivez pas ce café : seuls son accompagnateur et l'équipe du programme "
        "peuvent modifier son dossier d'accompagnement."
    )
    assert not Diagnostic.objects.exists()


def test_the_manager_reads_but_does_not_change_the_file(support_file, manager, yesterday):
    with pytest.raises(ProgrammeError):
        diagnostic_save(
            actor=manager, support_file=support_file, fields={"carried_out_on": yesterday}
        )


def test_a_diagnostic_cannot_be_dated_in_the_future(support_file, coach):
    with pytest.raises(ProgrammeError) as error:
        diagnostic_save(
            actor=coach,
            support_file=support_file,
            fields={"carried_out_on": timezone.localdate() + timedelta(days=3)},
        )
    assert error.value.field == "carried_out_on"


def _action(support_file, actor, owner, **fields):
    return action_save(
        actor=actor,
        support_file=support_file,
        fields={
            "title": "Ouvrir un relais colis",
            "category": "new_services",
            "owner": owner,
            "due_on": timezone.localdate() + timedelta(days=30),
            "status": ActionStatus.TODO,
            **fields,
        },
    )


def test_an_action_is_carried_by_the_manager_or_the_coach(
    support_file, coach, manager, member_factory
):
    action = _action(support_file, coach, manager)
    assert action.owner == manager
    with pytest.raises(ProgrammeError) as error:
        _action(support_file, coach, member_factory(role=Role.MANAGER))
    assert (
        error.value.message == "Une action est portée par le gérant du café ou son accompagnateur."
    )


def test_an_action_links_training_sessions(support_file, coach, manager, member_factory):
    training = Training.objects.create(title="Tenir sa trésorerie")
    starts = timezone.now() + timedelta(days=10)
    session = TrainingSession.objects.create(
        training=training,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=10,
        registration_deadline=starts - timedelta(days=1),
        status=SessionStatus.OPEN,
    )
    action = action_save(
        actor=coach,
        support_file=support_file,
        fields={
            "title": "Suivre la trésorerie",
            "category": "skills",
            "owner": manager,
            "due_on": timezone.localdate() + timedelta(days=40),
            "status": ActionStatus.TODO,
        },
        training_sessions=[session],
    )
    assert list(action.training_sessions.all()) == [session]


def test_a_follow_up_updates_actions_and_keeps_the_change(support_file, coach, manager, yesterday):
    action = _action(support_file, coach, manager)
    follow_up = follow_up_record(
        actor=coach,
        support_file=support_file,
        fields={
            "kind": FollowUpKind.VISIT,
            "happened_on": yesterday,
            "people": "Sophie, Karim",
            "decisions": "Relais colis en service",
            "next_visit_on": yesterday + timedelta(days=30),
        },
        action_statuses={action.pk: ActionStatus.DONE},
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.done_on == timezone.localdate()
    update = ActionUpdate.objects.get(follow_up=follow_up)
    assert (update.old_status, update.new_status) == (ActionStatus.TODO, ActionStatus.DONE)


def test_the_next_visit_must_come_after_the_visit(support_file, coach, yesterday):
    with pytest.raises(ProgrammeError) as error:
        follow_up_record(
            actor=coach,
            support_file=support_file,
            fields={
                "kind": FollowUpKind.PHONE,
                "happened_on": yesterday,
                "people": "Sophie",
                "next_visit_on": yesterday - timedelta(days=2),
            },
        )
    assert (
        error.value.message == "La prochaine visite ou le prochain appel doit venir après celui-ci."
    )
    assert not support_file.follow_ups.exists()


def test_a_follow_up_cannot_update_another_cafes_action(
    support_file,
    coach,
    manager,
    yesterday,
    communes,
    cafe_factory,
    member_factory,
    staff_member,
    cohort,
):
    other_manager = member_factory(role=Role.MANAGER)
    other_cafe = cafe_factory(name="Café de Pérouges", commune="Pérouges", managers=[other_manager])
    other_application = application_send(
        applicant=other_manager,
        application=application_save(
            applicant=other_manager,
            cafe=other_cafe,
            commune=other_cafe.commune,
            fields=application_fields(),
        ),
    )
    other_file = application_accept(
        actor=staff_member, application=other_application, coach=coach, cohort=cohort
    )
    foreign = _action(other_file, coach, other_manager)
    with pytest.raises(ProgrammeError):
        follow_up_record(
            actor=coach,
            support_file=support_file,
            fields={"kind": FollowUpKind.VISIT, "happened_on": yesterday, "people": "Sophie"},
            action_statuses={foreign.pk: ActionStatus.DONE},
        )
    foreign.refresh_from_db()
    assert foreign.status == ActionStatus.TODO
    assert not support_file.follow_ups.exists()


def test_the_plan_is_agreed_once_it_has_actions(support_file, coach, manager, yesterday):
    with pytest.raises(ProgrammeError):
        plan_agree(actor=coach, support_file=support_file, agreed_on=yesterday)
    _action(support_file, coach, manager)
    assert (
        plan_agree(actor=coach, support_file=support_file, agreed_on=yesterday).plan_agreed_on
        == yesterday
    )


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_co_managers_starting_an_application_at_once_get_one(village_cafe, manager, member_factory):
    """Eight co-managers of one café, each with its own PostgreSQL connection, start an
    application at the same moment: one draft is made, the others are told why not."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    assert connection.vendor == "postgresql"
    co_managers = [member_factory(role=Role.MANAGER) for _ in range(8)]
    village_cafe.managers.add(*co_managers)
    start = threading.Barrier(len(co_managers))

    def apply(member):
        start.wait()
        try:
            with translation.override("fr"):
                application_save(
                    applicant=member,
                    cafe=village_cafe,
                    commune=village_cafe.commune,
                    fields=application_fields(),
                )
            return "saved"
        except ProgrammeError as error:
            return error.message
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(co_managers)) as pool:
        outcomes = list(pool.map(apply, co_managers))

    assert outcomes.count("saved") == 1
    assert all("a déjà une candidature en cours" in o for o in outcomes if o != "saved")
    assert Application.objects.filter(cafe=village_cafe).count() == 1
