"""Every write of the programme: applications and their review, then the support file of an
accepted café (diagnostic, actions, visits and follow-ups)."""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Cafe, Commune
from network.models import Member

from . import permissions
from .eligibility import eligibility_of
from .models import (
    OPEN_STATUSES,
    Action,
    ActionStatus,
    ActionUpdate,
    Application,
    ApplicationStatus,
    Cohort,
    Diagnostic,
    FollowUp,
    SupportFile,
    SupportKind,
)


class ProgrammeError(Exception):
    """A change the programme refuses; the message is shown to the member. ``field`` names
    the form field it is about, when there is one."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def not_following_message() -> str:
    return _(
        "You do not follow this café: only its coach and the programme staff can change its "
        "support file."
    )


APPLICATION_FIELDS = (
    "current_operation",
    "needs",
    "needs_details",
    "declares_last_cafe",
    "declares_dedicated_space",
    "explanation",
)


def _mail_on_commit(application: Application, event: str) -> None:
    from .tasks import send_application_mail

    transaction.on_commit(
        lambda: send_application_mail.enqueue(application_id=application.pk, event=event)
    )


def _check_cafe_free(cafe: Cafe, *, exclude_pk: int | None = None) -> None:
    others = Application.objects.filter(cafe=cafe).exclude(pk=exclude_pk)
    if others.filter(status__in=OPEN_STATUSES).exists():
        raise ProgrammeError(
            _(
                "This café already has an application in progress: open it from your "
                "programme page rather than starting another one."
            ),
            field="cafe",
        )
    if others.filter(status=ApplicationStatus.ACCEPTED).exists():
        raise ProgrammeError(_("This café is already supported by the programme."), field="cafe")


@transaction.atomic
def application_save(
    *,
    applicant: Member,
    cafe: Cafe,
    commune: Commune,
    fields: Mapping[str, Any],
    application: Application | None = None,
) -> Application:
    """Create a draft or save changes to one (a draft, or one staff asked more about).

    The café row is locked so two drafts started at once for one café are decided one after
    the other; the partial unique constraint is the backstop.
    """
    if not permissions.can_apply(applicant):
        raise ProgrammeError(_("Only café managers can apply to the programme."))
    cafe = Cafe.objects.select_for_update().get(pk=cafe.pk)
    if not permissions.is_cafe_manager(applicant, cafe):
        raise ProgrammeError(
            _(
                "You can only apply for a café you manage. If you manage this café, ask the "
                "programme team to add you as its manager in the directory."
            ),
            field="cafe",
        )
    if application is None:
        application = Application(applicant=applicant, status=ApplicationStatus.DRAFT)
    else:
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.applicant_id != applicant.pk:
            raise ProgrammeError(_("Only the person who started this application can change it."))
        if not application.is_editable:
            raise ProgrammeError(
                _(
                    "This application has been sent: it can only be changed if the programme "
                    "team asks you for more information."
                )
            )
    _check_cafe_free(cafe, exclude_pk=application.pk)
    unknown = [need for need in fields.get("needs", []) if need not in SupportKind.values]
    if unknown:
        raise ProgrammeError(_("Choose the support you want in the list."), field="needs")
    application.cafe = cafe
    application.commune = commune
    for name in APPLICATION_FIELDS:
        if name in fields:
            setattr(application, name, fields[name])
    application.full_clean(exclude=["applicant", "reviewed_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise ProgrammeError(
            _("This café already has an application in progress."), field="cafe"
        ) from None
    return application


@transaction.atomic
def application_send(*, applicant: Member, application: Application) -> Application:
    """Send it to staff. A rule that is not met needs an explanation; staff decide."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not permissions.can_edit_application(applicant, application):
        raise ProgrammeError(
            _("This application has already been sent, or it is not yours to send.")
        )
    eligibility = eligibility_of(application)
    if not eligibility.all_met and not application.explanation.strip():
        raise ProgrammeError(
            _(
                "At least one rule is not met: explain why you apply all the same before "
                "sending, so the programme team can decide."
            ),
            field="explanation",
        )
    if not application.current_operation.strip():
        raise ProgrammeError(
            _("Describe how the café runs today before sending."), field="current_operation"
        )
    if not application.needs:
        raise ProgrammeError(
            _("Choose at least one kind of support before sending."), field="needs"
        )
    application.status = ApplicationStatus.SENT
    application.is_eligible = eligibility.all_met
    application.sent_at = timezone.now()
    application.save(update_fields=["status", "is_eligible", "sent_at", "updated_at"])
    return application


def _check_reviewer(actor: Member) -> None:
    if not permissions.can_review_applications(actor):
        raise ProgrammeError(_("Only the programme staff review applications."))


def _locked_for_review(application: Application) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in (ApplicationStatus.SENT, ApplicationStatus.INFO_REQUESTED):
        raise ProgrammeError(_("This application has already been decided or is not sent yet."))
    return application


def _record_review(application: Application, actor: Member, status: str) -> None:
    application.status = status
    application.reviewed_at = timezone.now()
    application.reviewed_by = actor


@transaction.atomic
def application_request_info(
    *, actor: Member, application: Application, message: str
) -> Application:
    """Give the application back to the manager with questions; they change it and send it
    again."""
    _check_reviewer(actor)
    application = _locked_for_review(application)
    if application.status != ApplicationStatus.SENT:
        raise ProgrammeError(_("More information has already been asked for."))
    if not message.strip():
        raise ProgrammeError(_("Write what the manager should add or explain."), field="message")
    _record_review(application, actor, ApplicationStatus.INFO_REQUESTED)
    application.info_request = message.strip()
    application.save(
        update_fields=["status", "reviewed_at", "reviewed_by", "info_request", "updated_at"]
    )
    _mail_on_commit(application, "info_requested")
    return application


@transaction.atomic
def application_accept(
    *, actor: Member, application: Application, coach: Member, cohort: Cohort, message: str = ""
) -> SupportFile:
    """Accept: the café joins the cohort with its coach, and its support file opens."""
    _check_reviewer(actor)
    application = _locked_for_review(application)
    if not permissions.can_coach(coach):
        raise ProgrammeError(
            _("The coach must be a member of the programme staff or an independent professional."),
            field="coach",
        )
    if not cohort.is_open:
        raise ProgrammeError(_("This cohort no longer takes new cafés."), field="cohort")
    _record_review(application, actor, ApplicationStatus.ACCEPTED)
    application.decision_reason = message.strip()
    application.save(
        update_fields=["status", "reviewed_at", "reviewed_by", "decision_reason", "updated_at"]
    )
    support_file = SupportFile(
        application=application, cafe=application.cafe, cohort=cohort, coach=coach
    )
    support_file.full_clean(exclude=["application", "cafe", "cohort", "coach"])
    support_file.save()
    # The coach follows the café's projects with the residents from now on.
    from network.services.projects import cafe_project_channels_sync

    cafe_project_channels_sync(cafe=application.cafe)
    _mail_on_commit(application, "accepted")
    from .tasks import send_coach_assigned_mail

    transaction.on_commit(lambda: send_coach_assigned_mail.enqueue(support_file_id=support_file.pk))
    return support_file


@transaction.atomic
def application_refuse(*, actor: Member, application: Application, reason: str) -> Application:
    _check_reviewer(actor)
    application = _locked_for_review(application)
    if not reason.strip():
        raise ProgrammeError(
            _("Give the reason of the refusal: the manager receives it."), field="reason"
        )
    _record_review(application, actor, ApplicationStatus.REFUSED)
    application.decision_reason = reason.strip()
    application.save(
        update_fields=["status", "reviewed_at", "reviewed_by", "decision_reason", "updated_at"]
    )
    _mail_on_commit(application, "refused")
    return application


# --- The support file ----------------------------------------------------------------------------


def _check_can_edit(actor: Member, support_file: SupportFile) -> None:
    if not permissions.can_edit_support_file(actor, support_file):
        raise ProgrammeError(not_following_message())


def _check_not_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ProgrammeError(
            _("This date is in the future: record it once it has happened."), field=field
        )


DIAGNOSTIC_FIELDS = (
    "carried_out_on",
    "activity",
    "finances",
    "services",
    "town_hall",
    "associations",
    "producers",
    "other_shops",
    "strengths",
    "weaknesses",
    "opportunities",
)


@transaction.atomic
def diagnostic_save(
    *, actor: Member, support_file: SupportFile, fields: Mapping[str, Any]
) -> Diagnostic:
    _check_can_edit(actor, support_file)
    _check_not_future(fields["carried_out_on"], "carried_out_on")
    diagnostic = Diagnostic.objects.select_for_update().filter(
        support_file=support_file
    ).first() or Diagnostic(support_file=support_file)
    for name in DIAGNOSTIC_FIELDS:
        if name in fields:
            setattr(diagnostic, name, fields[name])
    diagnostic.recorded_by = actor
    diagnostic.full_clean(exclude=["support_file", "recorded_by"])
    diagnostic.save()
    return diagnostic


def _people_of(support_file: SupportFile) -> set[int]:
    return {support_file.coach_id, *support_file.cafe.managers.values_list("pk", flat=True)}


ACTION_FIELDS = ("title", "description", "category", "owner", "due_on", "status", "resources_note")


@transaction.atomic
def action_save(
    *,
    actor: Member,
    support_file: SupportFile,
    fields: Mapping[str, Any],
    training_sessions: Iterable | None = None,
    resources: Iterable | None = None,
    action: Action | None = None,
) -> Action:
    """Add an action to the plan or change one. It is carried by the coach or one of the
    café's managers."""
    _check_can_edit(actor, support_file)
    if action is None:
        action = Action(support_file=support_file)
    else:
        action = Action.objects.select_for_update().get(pk=action.pk)
        if action.support_file_id != support_file.pk:
            raise ProgrammeError(_("This action belongs to another café's plan."))
    owner = fields.get("owner", action.owner if action.owner_id else None)
    if owner is None or owner.pk not in _people_of(support_file):
        raise ProgrammeError(
            _("An action is carried by the café's manager or its coach."), field="owner"
        )
    for name in ACTION_FIELDS:
        if name in fields:
            setattr(action, name, fields[name])
    _sync_done_on(action)
    action.full_clean(exclude=["support_file", "owner"])
    action.save()
    if training_sessions is not None:
        action.training_sessions.set(training_sessions)
    if resources is not None:
        action.resources.set(resources)
    return action


def _sync_done_on(action: Action) -> None:
    if action.status == ActionStatus.DONE and action.done_on is None:
        action.done_on = timezone.localdate()
    elif action.status != ActionStatus.DONE:
        action.done_on = None


@transaction.atomic
def plan_agree(*, actor: Member, support_file: SupportFile, agreed_on: date) -> SupportFile:
    """Record the day the manager agreed to the action plan."""
    _check_can_edit(actor, support_file)
    _check_not_future(agreed_on, "agreed_on")
    if not support_file.actions.exists():
        raise ProgrammeError(_("Add the plan's actions before recording the agreement."))
    support_file.plan_agreed_on = agreed_on
    support_file.save(update_fields=["plan_agreed_on"])
    return support_file


FOLLOW_UP_FIELDS = (
    "kind",
    "happened_on",
    "people",
    "notes",
    "decisions",
    "next_steps",
    "next_visit_on",
)


@transaction.atomic
def follow_up_record(
    *,
    actor: Member,
    support_file: SupportFile,
    fields: Mapping[str, Any],
    action_statuses: Mapping[int, str] | None = None,
) -> FollowUp:
    """Record a visit or a remote follow-up; the actions whose status changed during it are
    updated, and each change is kept for the timeline."""
    _check_can_edit(actor, support_file)
    _check_not_future(fields["happened_on"], "happened_on")
    next_visit_on = fields.get("next_visit_on")
    if next_visit_on is not None and next_visit_on <= fields["happened_on"]:
        raise ProgrammeError(
            _("The next visit or call must come after this one."), field="next_visit_on"
        )
    follow_up = FollowUp(support_file=support_file, recorded_by=actor)
    for name in FOLLOW_UP_FIELDS:
        if name in fields:
            setattr(follow_up, name, fields[name])
    follow_up.full_clean(exclude=["support_file", "recorded_by"])
    follow_up.save()
    statuses = dict(action_statuses or {})
    if statuses:
        actions = Action.objects.select_for_update().filter(
            support_file=support_file, pk__in=statuses
        )
        found = {action.pk: action for action in actions}
        if set(statuses) - set(found):
            raise ProgrammeError(_("One of the actions is not in this café's plan."))
        for pk, new_status in statuses.items():
            action = found[pk]
            if new_status not in ActionStatus.values:
                raise ProgrammeError(_("Choose a status in the list."))
            if new_status == action.status:
                continue
            ActionUpdate.objects.create(
                follow_up=follow_up, action=action, old_status=action.status, new_status=new_status
            )
            action.status = new_status
            _sync_done_on(action)
            action.save(update_fields=["status", "done_on", "updated_at"])
    return follow_up
