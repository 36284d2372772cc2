"""Residents' ideas through the services: posting, supports, answers, moderation."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from network.models import Idea, IdeaReport, IdeaStatus, IdeaSupport, ProjectStage
from network.services.ideas import (
    IdeaError,
    idea_answer,
    idea_comment_hide,
    idea_comment_post,
    idea_comment_report,
    idea_enter_on_behalf,
    idea_hide,
    idea_post,
    idea_report,
    idea_support,
    idea_support_withdraw,
)

from .projects_fixtures import *  # noqa: F403 (the fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea(project, village_resident):
    return idea_post(author=village_resident, project=project, title="Des croissants le dimanche")


def test_a_resident_posts_an_idea(idea, village_resident):
    stored = Idea.objects.get(pk=idea.pk)
    assert stored.author == village_resident
    assert stored.status == IdeaStatus.NEW
    assert not stored.is_entered_on_behalf


def test_html_is_stored_as_typed(project, village_resident):
    idea = idea_post(
        author=village_resident, project=project, title="<b>Pain</b>", body="<script>x</script>"
    )
    assert idea.title == "<b>Pain</b>"
    assert idea.body == "<script>x</script>"


def test_an_empty_title_is_refused(project, village_resident):
    with pytest.raises(IdeaError) as error:
        idea_post(author=village_resident, project=project, title="   ")
    assert error.value.message == "Donnez un titre à votre idée."


def test_a_resident_of_another_cafe_cannot_post(project, outsider):
    with pytest.raises(IdeaError):
        idea_post(author=outsider, project=project, title="Intrus")
    assert not Idea.objects.exists()


def test_the_manager_enters_named_and_anonymous_ideas(project, manager):
    named = idea_enter_on_behalf(
        actor=manager, project=project, title="Un marché", resident_name="Mme Blanc"
    )
    anonymous = idea_enter_on_behalf(actor=manager, project=project, title="Un four")
    assert named.entered_by == manager and named.on_behalf_of == "Mme Blanc"
    assert named.author is None and named.is_entered_on_behalf
    assert anonymous.on_behalf_of == "" and anonymous.is_entered_on_behalf


def test_a_resident_cannot_enter_ideas_on_behalf(project, village_resident):
    with pytest.raises(IdeaError):
        idea_enter_on_behalf(actor=village_resident, project=project, title="Pour ma voisine")


def test_one_support_per_person_withdrawable(idea, resident_factory, cafe):
    neighbour = resident_factory(cafe)
    idea_support(member=neighbour, idea=idea)
    with pytest.raises(IdeaError) as error:
        idea_support(member=neighbour, idea=idea)
    assert error.value.message == "Vous soutenez déjà cette idée."
    assert IdeaSupport.objects.filter(idea=idea).count() == 1
    idea_support_withdraw(member=neighbour, idea=idea)
    assert not IdeaSupport.objects.filter(idea=idea).exists()
    with pytest.raises(IdeaError):
        idea_support_withdraw(member=neighbour, idea=idea)


def test_the_database_refuses_a_second_support(idea, village_resident):
    IdeaSupport.objects.create(idea=idea, member=village_resident)
    with pytest.raises(IntegrityError):
        IdeaSupport.objects.create(idea=idea, member=village_resident)


def test_a_closed_project_refuses_ideas_and_supports(idea, project, village_resident):
    project.stage = ProjectStage.IN_PROGRESS
    project.save(update_fields=["stage"])
    idea.project.refresh_from_db()
    with pytest.raises(IdeaError) as error:
        idea_support(member=village_resident, idea=idea)
    assert "ne recueille plus d'idées" in error.value.message
    with pytest.raises(IdeaError):
        idea_post(author=village_resident, project=project, title="Trop tard")
    assert not IdeaSupport.objects.exists()


def test_a_passed_deadline_refuses_supports(project_factory, village_resident):
    project = project_factory(ideas_deadline=timezone.localdate() - timedelta(days=2))
    with pytest.raises(IdeaError):
        idea_post(author=village_resident, project=project, title="Après la date")


def test_a_resident_of_another_cafe_cannot_support(idea, outsider):
    with pytest.raises(IdeaError):
        idea_support(member=outsider, idea=idea)


def test_the_answer_changes_the_status_and_mails_the_author(
    idea, manager, village_resident, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        idea_answer(
            actor=manager, idea=idea, status=IdeaStatus.ACCEPTED, answer="Dès le mois prochain."
        )
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ACCEPTED
    assert idea.answer == "Dès le mois prochain."
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [village_resident.email]
    assert "Des croissants le dimanche" in message.subject
    assert "Retenue" in message.body
    assert "Dès le mois prochain." in message.body


def test_changing_only_the_answer_sends_no_mail(idea, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        idea_answer(actor=manager, idea=idea, status=IdeaStatus.UNDER_STUDY, answer="")
    assert len(mail.outbox) == 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        idea_answer(actor=manager, idea=idea, status=IdeaStatus.UNDER_STUDY, answer="On regarde.")
    assert mail.outbox == []


def test_only_the_cafe_answers(idea, village_resident, other_manager):
    for actor in (village_resident, other_manager):
        with pytest.raises(IdeaError):
            idea_answer(actor=actor, idea=idea, status=IdeaStatus.ACCEPTED, answer="")
    with pytest.raises(IdeaError):
        idea_answer(actor=idea.project.cafe.managers.get(), idea=idea, status="bof", answer="")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.NEW


def test_report_then_hide_an_idea(idea, resident_factory, cafe, manager):
    neighbour = resident_factory(cafe)
    idea_report(reporter=neighbour, idea=idea, reason="Hors sujet")
    with pytest.raises(IdeaError):
        idea_report(reporter=neighbour, idea=idea, reason="Encore")
    with pytest.raises(IdeaError):
        idea_report(reporter=idea.author, idea=idea, reason="Moi-même")
    with pytest.raises(IdeaError):
        idea_hide(actor=neighbour, idea=idea, reason="Je n'aime pas")
    with pytest.raises(IdeaError):
        idea_hide(actor=manager, idea=idea, reason="  ")
    idea_hide(actor=manager, idea=idea, reason="Propos hors sujet")
    idea.refresh_from_db()
    assert idea.hidden_by == manager and idea.hidden_reason == "Propos hors sujet"
    assert not IdeaReport.objects.filter(resolved_at__isnull=True).exists()


def test_staff_hide_a_reported_comment(idea, resident_factory, cafe, staff_member):
    neighbour = resident_factory(cafe)
    comment = idea_comment_post(author=neighbour, idea=idea, body="Un commentaire déplacé")
    idea_comment_report(reporter=idea.author, comment=comment, reason="Insultant")
    idea_comment_hide(actor=staff_member, comment=comment, reason="Insultes")
    comment.refresh_from_db()
    assert comment.hidden_at is not None
    assert comment.hidden_reason == "Insultes"


def test_an_empty_comment_is_refused(idea, village_resident):
    with pytest.raises(IdeaError) as error:
        idea_comment_post(author=village_resident, idea=idea, body="  ")
    assert error.value.message == "Écrivez votre commentaire."


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_clicks_on_support_count_once(project_factory, village_resident):
    """Ten threads, each with its own PostgreSQL connection, support the same idea for the same
    resident: one support is stored, the others are told it exists."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    assert connection.vendor == "postgresql"
    project = project_factory()
    idea = idea_post(author=village_resident, project=project, title="Un four à pain")
    start = threading.Barrier(10)

    def click(_number):
        start.wait()
        try:
            idea_support(member=village_resident, idea=idea)
            return "ok"
        except IdeaError as error:
            return error.message
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(click, range(10)))

    assert outcomes.count("ok") == 1
    assert outcomes.count("Vous soutenez déjà cette idée.") == 9
    assert IdeaSupport.objects.filter(idea=idea).count() == 1


def test_the_managers_are_told_of_a_report(
    idea, resident_factory, cafe, manager, django_capture_on_commit_callbacks
):
    neighbour = resident_factory(cafe)
    comment = idea_comment_post(author=idea.author, idea=idea, body="Un avis")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        idea_report(reporter=neighbour, idea=idea, reason="Hors sujet")
        idea_comment_report(reporter=neighbour, comment=comment, reason="Agressif")
    assert [m.to for m in mail.outbox] == [[manager.email], [manager.email]]
    assert "Un habitant a signalé l'idée « Des croissants le dimanche »." in mail.outbox[0].body
    assert "Hors sujet" in mail.outbox[0].body
    assert "/projets/" in mail.outbox[0].body and "/signalements/" in mail.outbox[0].body
    assert "un commentaire sur l'idée" in mail.outbox[1].body
