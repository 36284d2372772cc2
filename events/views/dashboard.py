"""Running a session: the trainer's dashboard, its CSV export, check-in, and attestations."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from comptoir.access import roles_required
from directory.exchange import csv_lines
from directory.permissions import DIRECTORY_ROLES

from ..attestations import attestation_filename, attestation_pdf
from ..models import Registration
from ..permissions import (
    can_download_attestation,
    can_manage_session,
    get_session_for_manager,
)
from ..selectors.attendance import (
    registration_count_cancelled,
    registration_count_present,
    registration_get_for_attestation,
    registration_list_participants,
    registration_list_waiting,
)
from ..services import attendance as attendance_services
from ..services.attendance import AttendanceError, attendance_is_open
from ..services.attendance import session_day as attendance_day

training_roles = roles_required(*DIRECTORY_ROLES)

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
# What the check-in buttons send; anything else is refused with a message.
ATTENDED_VALUES = {"yes": True, "no": False}

CSV_HEADER = (
    gettext_lazy("Status"),
    gettext_lazy("Waiting list position"),
    gettext_lazy("Last name"),
    gettext_lazy("First name"),
    gettext_lazy("E-mail"),
    gettext_lazy("Café"),
    gettext_lazy("Commune"),
    gettext_lazy("Département"),
    gettext_lazy("Places"),
    gettext_lazy("Registered on"),
    gettext_lazy("Attendance"),
)


def _attendance_label(registration: Registration) -> str:
    if registration.attended is None:
        return _("Not recorded yet")
    return _("Presence recorded") if registration.attended else _("Absence recorded")


def _wants_json(request: HttpRequest) -> bool:
    # Sent by static/js/attendance.js; a plain form submission asks for HTML.
    return "application/json" in request.headers.get("Accept", "")


@training_roles
@require_safe
def session_dashboard(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_session_for_manager(request.user, session_id)
    participants = list(registration_list_participants(session=session))
    waiting = list(registration_list_waiting(session=session))
    return render(
        request,
        "events/dashboard/session.html",
        {
            "session": session,
            "trainers": list(session.training.trainers.all()),
            "participants": participants,
            "waiting": waiting,
            "places_taken": sum(r.places for r in participants),
            "cancelled_count": registration_count_cancelled(session=session),
            "attendance_open": attendance_is_open(session),
            "attendance_day": attendance_day(session),
            "present_count": sum(1 for r in participants if r.attended),
        },
    )


def _csv_row(registration: Registration, position: int | None) -> list[object]:
    member, cafe = registration.member, registration.cafe
    commune = cafe.commune if cafe else None
    return [
        registration.get_status_display(),
        position or "",
        member.last_name,
        member.first_name,
        member.email,
        cafe.name if cafe else "",
        commune.name if commune else "",
        commune.departement_id if commune else "",
        registration.places,
        # ISO dates are read as dates by every spreadsheet, whatever its language.
        timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M"),
        "" if position else _attendance_label(registration),
    ]


@training_roles
@require_safe
def participants_csv(request: HttpRequest, session_id: int) -> HttpResponse:
    """Registered participants by name, then the waiting list in order, for a spreadsheet."""
    session = get_session_for_manager(request.user, session_id)
    # The header follows the viewer's language (French unless they chose otherwise).
    rows: list[list[object]] = [[str(label) for label in CSV_HEADER]]
    rows += [_csv_row(r, None) for r in registration_list_participants(session=session)]
    rows += [
        _csv_row(r, position)
        for position, r in enumerate(registration_list_waiting(session=session), start=1)
    ]
    day = attendance_day(session)
    name = slugify(session.training.title)[:50] or "session"
    response = HttpResponse("".join(csv_lines(rows)), content_type=CSV_CONTENT_TYPE)
    # csv_lines defuses cells a spreadsheet would run as formulas (= + - @).
    response["Content-Disposition"] = (
        f'attachment; filename="participants-{name}-{day:%Y-%m-%d}.csv"'
    )
    return response


def _dashboard_url(registration: Registration) -> str:
    # Back to the participant's row: on a phone the trainer goes on down the list from there.
    url = reverse("events:dashboard", args=[registration.session_id])
    return f"{url}#participant-{registration.pk}"


@training_roles
@require_POST
def attendance_record(request: HttpRequest, registration_id: int) -> HttpResponse:
    """One of the "Present" / "Absent" buttons of the dashboard (or its script)."""
    registration = Registration.objects.filter(pk=registration_id).first()
    if registration is None:
        raise Http404
    # Raises (404 or 403) for whoever may not run this session, before anything is read.
    get_session_for_manager(request.user, registration.session_id)
    attended = ATTENDED_VALUES.get(request.POST.get("attended", ""))
    try:
        if attended is None:
            raise AttendanceError(_("Choose “Present” or “Absent”."))
        registration = attendance_services.attendance_record(
            actor=request.user, registration=registration, attended=attended
        )
    except AttendanceError as error:
        if _wants_json(request):
            return JsonResponse({"error": error.message}, status=400)
        messages.error(request, error.message)
        return redirect(_dashboard_url(registration))
    name = registration.member.get_full_name() or registration.member.email
    if attended:
        done = _("%(name)s: presence recorded.") % {"name": name}
    else:
        done = _("%(name)s: absence recorded.") % {"name": name}
    if _wants_json(request):
        present, total = registration_count_present(session=registration.session)
        return JsonResponse(
            {
                "message": done,
                "attended": attended,
                "state": _attendance_label(registration),
                "summary": _("Presence recorded: %(present)s / %(total)s")
                % {"present": present, "total": total},
            }
        )
    messages.success(request, done)
    return redirect(_dashboard_url(registration))


@training_roles
@require_safe
def attestation(request: HttpRequest, registration_id: int) -> HttpResponse:
    registration = registration_get_for_attestation(registration_id=registration_id)
    if registration is None:
        raise Http404
    if can_download_attestation(request.user, registration):
        response = HttpResponse(attestation_pdf(registration), content_type="application/pdf")
        filename = attestation_filename(registration)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    if registration.member_id == request.user.pk or can_manage_session(
        request.user, registration.session
    ):
        # Theirs to see, but not yet (or not at all): say why rather than a bare refusal.
        return render(
            request,
            "events/dashboard/attestation_unavailable.html",
            {"registration": registration, "session": registration.session},
            status=403,
        )
    raise Http404
