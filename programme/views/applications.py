"""Managers: their programme page, applying, the eligibility rules as they fill the form, and
the commune search."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from directory.permissions import is_staff

from .. import permissions, selectors
from ..eligibility import eligibility_check, eligibility_of
from ..forms import ApplicationForm, CommuneSearchForm, commune_label
from ..models import Application, ApplicationStatus
from ..services import ProgrammeError, application_save, application_send
from .common import manager_only, not_found, programme_roles, show_error


@programme_roles
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """A manager's applications and support; a coach's cafés; staff's entry points."""
    member = request.user
    files = []
    for support_file in selectors.support_file_list_for_member(member=member):
        actions = list(support_file.actions.all())
        follow_ups = list(support_file.follow_ups.all())
        files.append(
            {
                "file": support_file,
                "actions": actions,
                "progress": selectors.progress_of(actions),
                "next_visit": selectors.next_visit_of(follow_ups),
                "sessions": selectors.recommended_sessions(actions),
                "resources": selectors.recommended_resources(actions, member=member),
            }
        )
    applications = (
        list(selectors.application_list_for_member(member=member))
        if permissions.can_apply(member)
        else []
    )
    return render(
        request,
        "programme/home.html",
        {
            "files": files,
            "applications": applications,
            "can_apply": permissions.can_apply(member),
            "is_staff": is_staff(member),
        },
    )


def _eligibility_from_form(form: ApplicationForm, member):
    """The rules for what the form holds now, valid or not: the page explains them as the
    manager fills it."""
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    if form.is_bound:
        return eligibility_check(
            applicant=member,
            cafe=data.get("cafe"),
            commune=data.get("commune"),
            declares_last_cafe=bool(data.get("declares_last_cafe")),
            declares_dedicated_space=bool(data.get("declares_dedicated_space")),
        )
    initial = form.initial
    cafe = form.fields["cafe"].queryset.filter(pk=initial.get("cafe")).first()
    return eligibility_check(
        applicant=member,
        cafe=cafe,
        commune=initial.get("commune"),
        declares_last_cafe=bool(initial.get("declares_last_cafe")),
        declares_dedicated_space=bool(initial.get("declares_dedicated_space")),
    )


def _application_form(request: HttpRequest, application: Application | None) -> HttpResponse:
    member = request.user
    initial = None
    if application is None:
        cafe = selectors.cafe_list_for_applicant(member=member).first()
        if cafe is None:
            return render(request, "programme/no_cafe.html")
        # What the directory already says of the café, for the manager to confirm.
        initial = {
            "cafe": cafe.pk,
            "commune": cafe.commune,
            "declares_last_cafe": cafe.is_last_cafe,
            "declares_dedicated_space": cafe.has_dedicated_space,
        }
    form = ApplicationForm(
        request.POST or None, member=member, application=application, initial=initial
    )
    action = request.POST.get("action", "save")
    if request.method == "POST" and form.is_valid() and action in ("save", "send"):
        try:
            application = application_save(
                applicant=member,
                cafe=form.cleaned_data["cafe"],
                commune=form.cleaned_data["commune"],
                fields=form.service_fields(),
                application=application,
            )
        except ProgrammeError as error:
            show_error(form, error)
        else:
            if action == "send":
                try:
                    application_send(applicant=member, application=application)
                except ProgrammeError as error:
                    messages.warning(request, _("Your draft is saved but it is not sent yet."))
                    form = ApplicationForm(request.POST, member=member, application=application)
                    form.is_valid()
                    show_error(form, error)
                    return _render_form(request, form, application, member)
                messages.success(
                    request,
                    _("Your application has been sent. The programme team will answer by e-mail."),
                )
            else:
                messages.success(
                    request,
                    _("Your draft is saved. You can come back to it and send it when it is ready."),
                )
            return redirect(application.get_absolute_url())
    return _render_form(request, form, application, member)


def _render_form(request, form, application, member) -> HttpResponse:
    return render(
        request,
        "programme/application_form.html",
        {
            "form": form,
            "application": application,
            "eligibility": _eligibility_from_form(form, member),
        },
    )


@manager_only
def application_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_apply(request.user):
        return not_found(request)
    return _application_form(request, None)


@programme_roles
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.application_get_for_viewer(
        viewer=request.user, application_id=application_id
    )
    if application is None:
        return not_found(request)
    if permissions.can_edit_application(request.user, application) and (
        request.method == "POST" or request.GET.get("modifier") is not None
    ):
        return _application_form(request, application)
    if request.method == "POST":
        messages.error(
            request,
            _(
                "This application has been sent: it can only be changed if the programme team "
                "asks you for more information."
            ),
        )
        return redirect(application.get_absolute_url())
    return render(
        request,
        "programme/application_detail.html",
        {
            "application": application,
            "eligibility": eligibility_of(application),
            "can_edit": permissions.can_edit_application(request.user, application),
            "support_file": getattr(application, "support_file", None)
            if application.status == ApplicationStatus.ACCEPTED
            else None,
        },
    )


@manager_only
@require_safe
def eligibility_fragment(request: HttpRequest) -> HttpResponse:
    """The rules for the form's current values, for the page's script to refresh them as the
    manager types; without script, the "Check the rules" button gives the same."""
    form = ApplicationForm(request.GET, member=request.user)
    form.is_valid()
    return render(
        request,
        "programme/_eligibility.html",
        {"eligibility": _eligibility_from_form(form, request.user)},
    )


@programme_roles
@require_safe
def commune_search(request: HttpRequest) -> HttpResponse:
    form = CommuneSearchForm(request.GET or None)
    communes = (
        selectors.commune_search(text=form.cleaned_data["q"])
        if form.is_bound and form.is_valid()
        else []
    )
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {"communes": [{"value": c.insee_code, "label": commune_label(c)} for c in communes]}
        )
    return render(request, "programme/commune_search.html", {"form": form, "communes": communes})
