"""Trainers' pages (staff too): the trainings they run, creating and editing trainings and
their sessions, cancelling a session."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from comptoir.access import roles_required
from directory.permissions import DIRECTORY_ROLES

from .. import permissions
from ..forms import SessionCancelForm, SessionForm, TrainingForm
from ..models import SessionStatus
from ..selectors.trainers import session_list_managed, training_list_for_manager
from ..services import sessions as services
from ..services.sessions import SessionError

training_roles = roles_required(*DIRECTORY_ROLES)


def _check_can_run_trainings(member) -> None:
    if not permissions.can_create_training(member):
        raise PermissionDenied


def _show_error(form, error: SessionError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _home_anchor(anchor: str) -> str:
    return f"{reverse('events:trainer_home')}#{anchor}"


@training_roles
def trainer_home(request: HttpRequest) -> HttpResponse:
    _check_can_run_trainings(request.user)
    trainings = training_list_for_manager(member=request.user)
    return render(request, "events/manage/trainer_home.html", {"trainings": trainings})


def _training_form_view(request: HttpRequest, training=None) -> HttpResponse:
    form = TrainingForm(request.POST or None, instance=training, member=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if training is None:
                saved = services.training_create(actor=request.user, **form.service_fields())
            else:
                saved = services.training_update(
                    actor=request.user, training=training, **form.service_fields()
                )
        except SessionError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("The training has been saved."))
            return redirect(_home_anchor(f"training-{saved.pk}"))
    return render(request, "events/manage/training_form.html", {"form": form, "training": training})


@training_roles
def training_create(request: HttpRequest) -> HttpResponse:
    _check_can_run_trainings(request.user)
    return _training_form_view(request)


@training_roles
def training_edit(request: HttpRequest, training_id: int) -> HttpResponse:
    training = permissions.get_training_for_manager(request.user, training_id)
    return _training_form_view(request, training)


@training_roles
def session_create(request: HttpRequest, training_id: int) -> HttpResponse:
    training = permissions.get_training_for_manager(request.user, training_id)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(
                actor=request.user, training=training, **form.service_fields()
            )
        except SessionError as error:
            _show_error(form, error)
        else:
            if session.status == SessionStatus.OPEN:
                messages.success(request, _("The session is scheduled and open for registration."))
            else:
                messages.success(
                    request, _("The session is saved as a draft: only its trainers see it.")
                )
            return redirect(_home_anchor(f"session-{session.pk}"))
    return render(
        request,
        "events/manage/session_form.html",
        {"form": form, "training": training, "session": None},
    )


@training_roles
def session_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    session = permissions.get_session_for_manager(request.user, session_id)
    if not permissions.can_change_session(request.user, session):
        messages.error(
            request, _("This session is cancelled or over: it can no longer be changed.")
        )
        return redirect(_home_anchor(f"session-{session.pk}"))
    form = SessionForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            promoted = services.session_update(
                actor=request.user, session=session, **form.service_fields()
            )
        except SessionError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("The session has been saved."))
            if promoted:
                messages.info(
                    request,
                    ngettext(
                        "%(count)s member of the waiting list is now registered and has been "
                        "told by e-mail.",
                        "%(count)s members of the waiting list are now registered and have been "
                        "told by e-mail.",
                        len(promoted),
                    )
                    % {"count": len(promoted)},
                )
            return redirect(_home_anchor(f"session-{session.pk}"))
    return render(
        request,
        "events/manage/session_form.html",
        {"form": form, "training": session.training, "session": session},
    )


@training_roles
def session_cancel(request: HttpRequest, session_id: int) -> HttpResponse:
    session = permissions.get_session_for_manager(request.user, session_id)
    if session.status == SessionStatus.CANCELLED:
        messages.info(request, _("This session is already cancelled."))
        return redirect(_home_anchor(f"session-{session.pk}"))
    if not permissions.can_change_session(request.user, session):
        messages.error(request, _("This session is over: it can no longer be cancelled."))
        return redirect(_home_anchor(f"session-{session.pk}"))
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_cancel(
                actor=request.user, session=session, reason=form.cleaned_data["reason"]
            )
        except SessionError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("The session is cancelled; those registered and waiting are told by e-mail."),
            )
        return redirect(_home_anchor(f"session-{session.pk}"))
    return render(
        request,
        "events/manage/session_cancel.html",
        {"form": form, "session": session, "counts": session_list_managed().get(pk=session.pk)},
    )
