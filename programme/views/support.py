"""A café's support file: diagnostic, action plan, visits and follow-ups, timeline. Only the
café's managers, its coach and staff see it; only the coach and staff change it."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import permissions, selectors
from ..forms import ActionForm, DiagnosticForm, FollowUpForm, PlanAgreementForm
from ..services import (
    ProgrammeError,
    action_save,
    diagnostic_save,
    follow_up_record,
    plan_agree,
)
from .common import not_following, not_found, programme_roles, show_error


def _file_for_viewer(request: HttpRequest, file_id: int):
    return selectors.support_file_get_for_viewer(viewer=request.user, file_id=file_id)


def _file_for_editor(request: HttpRequest, file_id: int):
    """(file, None) when the visitor may change it, else (None, the answer to give)."""
    support_file = _file_for_viewer(request, file_id)
    if support_file is None:
        return None, not_found(request)
    if not permissions.can_edit_support_file(request.user, support_file):
        return None, not_following(request, support_file)
    return support_file, None


@programme_roles
@require_safe
def support_file(request: HttpRequest, file_id: int) -> HttpResponse:
    support_file = _file_for_viewer(request, file_id)
    if support_file is None:
        return not_found(request)
    return _support_file_page(request, support_file)


def _support_file_page(
    request: HttpRequest, support_file, *, agreement_form: PlanAgreementForm | None = None
) -> HttpResponse:
    """The support file's page; an agreement sent back with errors is shown again as typed."""
    actions = list(selectors.action_list_for_file(support_file=support_file))
    follow_ups = list(selectors.follow_up_list_for_file(support_file=support_file))
    return render(
        request,
        "programme/support_file.html",
        {
            "support_file": support_file,
            "diagnostic": getattr(support_file, "diagnostic", None),
            "actions": actions,
            "follow_ups": follow_ups,
            "progress": selectors.progress_of(actions),
            "next_visit": selectors.next_visit_of(follow_ups),
            "sessions": selectors.recommended_sessions(actions),
            "resources": selectors.recommended_resources(actions, member=request.user),
            "timeline": selectors.timeline_of(
                support_file=support_file, actions=actions, follow_ups=follow_ups
            ),
            "can_edit": permissions.can_edit_support_file(request.user, support_file),
            "agreement_form": agreement_form or PlanAgreementForm(),
        },
    )


@programme_roles
def diagnostic_edit(request: HttpRequest, file_id: int) -> HttpResponse:
    support_file, refusal = _file_for_editor(request, file_id)
    if refusal:
        return refusal
    diagnostic = getattr(support_file, "diagnostic", None)
    form = DiagnosticForm(request.POST or None, instance=diagnostic)
    if request.method == "POST" and form.is_valid():
        try:
            diagnostic_save(
                actor=request.user, support_file=support_file, fields=form.service_fields()
            )
        except ProgrammeError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The diagnostic has been saved."))
            return redirect(support_file.get_absolute_url() + "#diagnostic")
    return render(
        request,
        "programme/diagnostic_form.html",
        {"form": form, "support_file": support_file},
    )


def _action_form_view(request: HttpRequest, support_file, action=None) -> HttpResponse:
    form = ActionForm(request.POST or None, support_file=support_file, action=action)
    if request.method == "POST" and form.is_valid():
        try:
            action_save(
                actor=request.user,
                support_file=support_file,
                action=action,
                fields=form.service_fields(),
                training_sessions=form.cleaned_data["training_sessions"],
                resources=form.cleaned_data["resources"],
            )
        except ProgrammeError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The action has been saved."))
            return redirect(support_file.get_absolute_url() + "#plan")
    return render(
        request,
        "programme/action_form.html",
        {"form": form, "support_file": support_file, "action": action},
    )


@programme_roles
def action_create(request: HttpRequest, file_id: int) -> HttpResponse:
    support_file, refusal = _file_for_editor(request, file_id)
    if refusal:
        return refusal
    return _action_form_view(request, support_file)


@programme_roles
def action_edit(request: HttpRequest, file_id: int, action_id: int) -> HttpResponse:
    support_file, refusal = _file_for_editor(request, file_id)
    if refusal:
        return refusal
    action = support_file.actions.filter(pk=action_id).first()
    if action is None:
        return not_found(request)
    return _action_form_view(request, support_file, action)


@programme_roles
@require_POST
def plan_agreement(request: HttpRequest, file_id: int) -> HttpResponse:
    support_file, refusal = _file_for_editor(request, file_id)
    if refusal:
        return refusal
    form = PlanAgreementForm(request.POST)
    if not form.is_valid():
        return _support_file_page(request, support_file, agreement_form=form)
    try:
        plan_agree(
            actor=request.user, support_file=support_file, agreed_on=form.cleaned_data["agreed_on"]
        )
    except ProgrammeError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The agreement on the action plan has been recorded."))
    return redirect(support_file.get_absolute_url() + "#plan")


@programme_roles
def follow_up_create(request: HttpRequest, file_id: int) -> HttpResponse:
    support_file, refusal = _file_for_editor(request, file_id)
    if refusal:
        return refusal
    actions = [a for a in selectors.action_list_for_file(support_file=support_file)]
    form = FollowUpForm(request.POST or None, actions=actions)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up_record(
                actor=request.user,
                support_file=support_file,
                fields=form.service_fields(),
                action_statuses=form.action_statuses(),
            )
        except ProgrammeError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The visit or follow-up has been recorded."))
            return redirect(support_file.get_absolute_url() + "#visits")
    return render(
        request,
        "programme/follow_up_form.html",
        {"form": form, "support_file": support_file},
    )
