"""Training pages: the calendar, a session, registering and cancelling."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comptoir.access import roles_required
from directory.permissions import DIRECTORY_ROLES

from .. import selectors, services
from ..calendars import sessions_calendar
from ..forms import CalendarFilterForm, RegistrationForm
from ..models import Registration

training_roles = roles_required(*DIRECTORY_ROLES)


@training_roles
def calendar(request: HttpRequest) -> HttpResponse:
    form = CalendarFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if form.is_bound and form.errors:
        messages.warning(request, _("Some filters were not understood and have been ignored."))
    sessions = selectors.session_list_upcoming(
        month=filters.get("month"),
        departement=filters.get("departement", ""),
        mode=filters.get("mode", ""),
        theme=filters.get("theme", ""),
    )
    return render(request, "events/calendar.html", {"form": form, "sessions": sessions})


@training_roles
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.session_get_for_member(session_id=session_id)
    if session is None:
        raise Http404
    registration = selectors.registration_of(member=request.user, session=session)
    form = RegistrationForm(request.POST or None, member=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_create(
                member=request.user,
                session=session,
                places=form.cleaned_data["places"],
                cafe=form.cleaned_data.get("cafe"),
            )
        except services.RegistrationError as error:
            messages.error(request, error.message)
        else:
            if registration.status == "registered":
                messages.success(request, _("You are registered. A confirmation has been sent."))
            else:
                messages.info(
                    request,
                    _("The session is full: you are on the waiting list; you will hear by e-mail."),
                )
            return redirect(session.get_absolute_url())
    return render(
        request,
        "events/session_detail.html",
        {
            "session": session,
            "registration": registration,
            "form": form,
            "places_taken": selectors.places_taken(session),
        },
    )


@training_roles
@require_POST
def registration_cancel(request: HttpRequest, registration_id: int) -> HttpResponse:
    registration = Registration.objects.filter(pk=registration_id, member=request.user).first()
    if registration is None:
        raise Http404
    try:
        services.registration_cancel(registration=registration, actor=request.user)
    except services.RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your registration has been cancelled."))
    return redirect("events:session_detail", registration.session_id)


@training_roles
def session_ical(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.session_get_for_member(session_id=session_id)
    if session is None:
        raise Http404
    registration = selectors.registration_of(member=request.user, session=session)
    show_link = registration is not None and registration.status == "registered"
    response = HttpResponse(
        sessions_calendar([(session, show_link)]), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response
