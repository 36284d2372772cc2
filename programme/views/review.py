"""Staff: the queue of applications, one application with its findings, and the decisions."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import selectors
from ..eligibility import eligibility_of
from ..forms import AcceptForm, InfoRequestForm, QueueFilterForm, RefuseForm
from ..models import ApplicationStatus
from ..services import (
    ProgrammeError,
    application_accept,
    application_refuse,
    application_request_info,
)
from .common import not_found, show_error, staff_only


@staff_only
@require_safe
def review_queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else selectors.QueueFilters()
    applications = list(selectors.application_queue(viewer=request.user, filters=filters))
    return render(
        request,
        "programme/review_queue.html",
        {"form": form, "applications": applications},
    )


def _application_for_review(request: HttpRequest, application_id: int):
    return selectors.application_get_for_viewer(viewer=request.user, application_id=application_id)


def _review_page(request: HttpRequest, application, *, status: int = 200, **forms) -> HttpResponse:
    decidable = application.status in (ApplicationStatus.SENT, ApplicationStatus.INFO_REQUESTED)
    context = {
        "application": application,
        "eligibility": eligibility_of(application),
        "other_cafes": list(selectors.cafe_list_other_open(application=application)),
        "decidable": decidable,
        "can_request_info": application.status == ApplicationStatus.SENT,
        "info_form": forms.get("info_form") or InfoRequestForm(),
        "accept_form": forms.get("accept_form") or AcceptForm(),
        "refuse_form": forms.get("refuse_form") or RefuseForm(),
        "support_file": getattr(application, "support_file", None)
        if application.status == ApplicationStatus.ACCEPTED
        else None,
    }
    return render(request, "programme/review_detail.html", context, status=status)


@staff_only
@require_safe
def review_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _application_for_review(request, application_id)
    if application is None or application.status == ApplicationStatus.DRAFT:
        return not_found(request)
    return _review_page(request, application)


def _decide(request, application_id: int, form_class, form_name: str, decide) -> HttpResponse:
    application = _application_for_review(request, application_id)
    if application is None or application.status == ApplicationStatus.DRAFT:
        return not_found(request)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            message = decide(application, form.cleaned_data)
        except ProgrammeError as error:
            show_error(form, error)
        else:
            messages.success(request, message)
            return redirect(reverse("programme:review_detail", args=[application.pk]))
    return _review_page(request, application, status=400, **{form_name: form})


@staff_only
@require_POST
def review_request_info(request: HttpRequest, application_id: int) -> HttpResponse:
    def decide(application, data):
        application_request_info(
            actor=request.user, application=application, message=data["message"]
        )
        return _("The manager has been asked for more information by e-mail.")

    return _decide(request, application_id, InfoRequestForm, "info_form", decide)


@staff_only
@require_POST
def review_accept(request: HttpRequest, application_id: int) -> HttpResponse:
    def decide(application, data):
        application_accept(
            actor=request.user,
            application=application,
            coach=data["coach"],
            cohort=data["cohort"],
            message=data["message"],
        )
        return _("The application is accepted; the manager has been told by e-mail.")

    return _decide(request, application_id, AcceptForm, "accept_form", decide)


@staff_only
@require_POST
def review_refuse(request: HttpRequest, application_id: int) -> HttpResponse:
    def decide(application, data):
        application_refuse(actor=request.user, application=application, reason=data["reason"])
        return _("The application is refused; the manager has been told by e-mail.")

    return _decide(request, application_id, RefuseForm, "refuse_form", decide)
