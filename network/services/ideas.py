"""Writes on residents' ideas: posting, supporting, commenting, answering, moderating.

Texts are stored as typed; templates escape them, so HTML in an idea shows as text.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Idea, IdeaComment, IdeaReport, IdeaStatus, IdeaSupport, Member, Project
from ..models.projects import COMMENT_MAX_LENGTH, IDEA_BODY_MAX_LENGTH, IDEA_TITLE_MAX_LENGTH
from ..project_permissions import (
    can_answer_idea,
    can_comment_idea,
    can_enter_idea_on_behalf,
    can_moderate_project,
    can_post_idea,
    can_report_comment,
    can_report_idea,
    can_support_idea,
    can_view_project,
)


class IdeaError(Exception):
    """A refused action on an idea; ``message`` is shown to the person, in their language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _text(value: Any, *, max_length: int, empty_message: str, required: bool = True) -> str:
    if not isinstance(value, str):
        value = ""
    value = value.strip()
    if required and not value:
        raise IdeaError(empty_message)
    if len(value) > max_length:
        raise IdeaError(
            _("This text holds %(max)s characters at most; yours has %(length)s.")
            % {"max": max_length, "length": len(value)}
        )
    return value


def _closed_message(project: Project) -> str:
    return _("This project no longer collects ideas: ideas and supports are closed.")


# --- Posting ----------------------------------------------------------------------------------


@transaction.atomic
def idea_post(*, author: Member, project: Project, title: Any, body: Any = "") -> Idea:
    if not can_view_project(author, project):
        raise IdeaError(_("You may not post an idea on this project."))
    if not can_post_idea(author, project):
        raise IdeaError(_closed_message(project))
    idea = Idea(
        project=project,
        author=author,
        title=_text(
            title,
            max_length=IDEA_TITLE_MAX_LENGTH,
            empty_message=_("Give your idea a title."),
        ),
        body=_text(body, max_length=IDEA_BODY_MAX_LENGTH, empty_message="", required=False),
    )
    idea.full_clean()
    idea.save()
    return idea


@transaction.atomic
def idea_enter_on_behalf(
    *,
    actor: Member,
    project: Project,
    title: Any,
    body: Any = "",
    resident_name: Any = "",
) -> Idea:
    """An idea collected on paper, typed in by the manager for a named resident, or for an
    anonymous one when ``resident_name`` is empty. It is shown as entered by the café."""
    if not can_enter_idea_on_behalf(actor, project):
        if can_view_project(actor, project) and not project.accepts_ideas:
            raise IdeaError(_closed_message(project))
        raise IdeaError(_("You may not enter ideas on this project."))
    idea = Idea(
        project=project,
        author=None,
        entered_by=actor,
        on_behalf_of=_text(resident_name, max_length=150, empty_message="", required=False),
        title=_text(
            title, max_length=IDEA_TITLE_MAX_LENGTH, empty_message=_("Give the idea a title.")
        ),
        body=_text(body, max_length=IDEA_BODY_MAX_LENGTH, empty_message="", required=False),
    )
    idea.full_clean()
    idea.save()
    return idea


# --- Supports ---------------------------------------------------------------------------------


def idea_support(*, member: Member, idea: Idea) -> IdeaSupport:
    """One support per person and idea: the unique constraint settles two clicks at once."""
    if not can_support_idea(member, idea):
        if not idea.project.accepts_ideas:
            raise IdeaError(_closed_message(idea.project))
        raise IdeaError(_("You may not support this idea."))
    try:
        with transaction.atomic():
            support = IdeaSupport(idea=idea, member=member)
            support.full_clean(validate_constraints=False)
            support.save()
    except IntegrityError:
        raise IdeaError(_("You already support this idea.")) from None
    return support


@transaction.atomic
def idea_support_withdraw(*, member: Member, idea: Idea) -> None:
    if not idea.project.accepts_ideas:
        raise IdeaError(_closed_message(idea.project))
    deleted, _rows = IdeaSupport.objects.filter(idea=idea, member=member).delete()
    if not deleted:
        raise IdeaError(_("You do not support this idea."))


# --- Comments ---------------------------------------------------------------------------------


@transaction.atomic
def idea_comment_post(*, author: Member, idea: Idea, body: Any) -> IdeaComment:
    if not can_comment_idea(author, idea):
        raise IdeaError(_("You may not comment on this idea."))
    comment = IdeaComment(
        idea=idea,
        author=author,
        body=_text(body, max_length=COMMENT_MAX_LENGTH, empty_message=_("Write your comment.")),
    )
    comment.full_clean()
    comment.save()
    return comment


# --- The café's answer ------------------------------------------------------------------------


@transaction.atomic
def idea_answer(*, actor: Member, idea: Idea, status: Any, answer: Any) -> Idea:
    """The manager sets the status and the official answer; the author hears of a new status
    by e-mail once it is saved."""
    from ..project_tasks import send_idea_status_mail

    if not can_answer_idea(actor, idea):
        raise IdeaError(_("You may not answer this idea."))
    if status not in IdeaStatus.values:
        raise IdeaError(_("Choose one of the statuses offered."))
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    previous = idea.status
    idea.status = status
    idea.answer = _text(answer, max_length=IDEA_BODY_MAX_LENGTH, empty_message="", required=False)
    idea.answered_at = timezone.now()
    idea.answered_by = actor
    idea.full_clean()
    idea.save(update_fields=["status", "answer", "answered_at", "answered_by"])
    if previous != status and idea.author_id is not None and idea.author_id != actor.pk:
        idea_id = idea.pk
        transaction.on_commit(lambda: send_idea_status_mail.enqueue(idea_id=idea_id))
    return idea


# --- Moderation -------------------------------------------------------------------------------


def _reason(reason: Any, empty_message: str) -> str:
    return _text(reason, max_length=1000, empty_message=empty_message)


def _tell_managers(report: IdeaReport) -> None:
    from ..project_tasks import notify_managers_of_idea_report

    report_id = report.pk
    transaction.on_commit(lambda: notify_managers_of_idea_report.enqueue(report_id=report_id))


def idea_report(*, reporter: Member, idea: Idea, reason: Any) -> IdeaReport:
    """A resident reports an idea; the café's managers are told by e-mail."""
    if not can_report_idea(reporter, idea):
        raise IdeaError(_("You may not report this idea."))
    return _report_save(IdeaReport(idea=idea, reporter=reporter), reason)


def idea_comment_report(*, reporter: Member, comment: IdeaComment, reason: Any) -> IdeaReport:
    if not can_report_comment(reporter, comment):
        raise IdeaError(_("You may not report this comment."))
    return _report_save(IdeaReport(comment=comment, reporter=reporter), reason)


def _report_save(report: IdeaReport, reason: Any) -> IdeaReport:
    """Once per person and thing reported: the constraint says when it is a second time."""
    report.reason = _reason(reason, _("Say why you report it."))
    try:
        with transaction.atomic():
            report.full_clean(validate_constraints=False)
            report.save()
            _tell_managers(report)
    except IntegrityError:
        raise IdeaError(_("You have already reported this.")) from None
    return report


@transaction.atomic
def idea_hide(*, actor: Member, idea: Idea, reason: Any) -> Idea:
    if not can_moderate_project(actor, idea.project):
        raise IdeaError(_("You may not hide this idea."))
    reason = _reason(reason, _("Give the reason for hiding it."))
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if idea.hidden_at is None:
        idea.hidden_at = timezone.now()
        idea.hidden_by = actor
        idea.hidden_reason = reason
        idea.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    IdeaReport.objects.filter(idea=idea, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    return idea


@transaction.atomic
def idea_comment_hide(*, actor: Member, comment: IdeaComment, reason: Any) -> IdeaComment:
    if not can_moderate_project(actor, comment.idea.project):
        raise IdeaError(_("You may not hide this comment."))
    reason = _reason(reason, _("Give the reason for hiding it."))
    comment = IdeaComment.objects.select_for_update().get(pk=comment.pk)
    if comment.hidden_at is None:
        comment.hidden_at = timezone.now()
        comment.hidden_by = actor
        comment.hidden_reason = reason
        comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    IdeaReport.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    return comment
