"""E-mails about registrations and sessions, sent once the change is saved."""

from typing import Any

from django.urls import reverse
from django.utils import formats, timezone, translation
from django_tasks import task

from comptoir.mail import absolute_url, send_templated_mail

from .models import Registration, RegistrationStatus, SessionStatus

TEMPLATES = {
    "registered": "events/email/registration_confirmed",
    "waiting": "events/email/registration_waiting",
    "promoted": "events/email/registration_promoted",
}


def _registration(registration_id: int) -> Registration:
    return Registration.objects.select_related(
        "member", "session__training", "session__commune"
    ).get(pk=registration_id)


def mail_about_session(
    registration: Registration, *, template_prefix: str, url: str, **context: Any
) -> int:
    """One mail to the registration's member, in their language, the session's start written
    in that language and the site's time zone."""
    member = registration.member
    session = registration.session
    with translation.override(member.language):
        when = formats.date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT")
    return send_templated_mail(
        recipients=[member.email],
        template_prefix=template_prefix,
        context={
            "member": member,
            "session": session,
            "registration": registration,
            "when": when,
            "url": url,
            **context,
        },
        language=member.language,
    )


def session_url(registration: Registration) -> str:
    return absolute_url(reverse("events:session_detail", args=[registration.session_id]))


@task()
def send_registration_mail(*, registration_id: int, event: str) -> int:
    registration = _registration(registration_id)
    if event == "promoted" and registration.status != RegistrationStatus.REGISTERED:
        return 0
    return mail_about_session(
        registration, template_prefix=TEMPLATES[event], url=session_url(registration)
    )


@task()
def send_session_cancelled_mail(*, registration_id: int) -> int:
    """Tell one member, registered or waiting, that the session is cancelled (and why, when
    the trainer said so)."""
    registration = _registration(registration_id)
    if (
        registration.session.status != SessionStatus.CANCELLED
        or registration.status == RegistrationStatus.CANCELLED
    ):
        return 0
    return mail_about_session(
        registration,
        template_prefix="events/email/session_cancelled",
        url=absolute_url(reverse("events:calendar")),
        reason=registration.session.cancellation_reason,
    )


@task()
def send_session_changed_mail(*, registration_id: int) -> int:
    """Tell one member, registered or waiting, the new date or place of their session. Read
    when sent, so two quick changes tell the latest state."""
    registration = _registration(registration_id)
    session = registration.session
    if session.status != SessionStatus.OPEN or registration.status == RegistrationStatus.CANCELLED:
        return 0
    with translation.override(registration.member.language):
        ends = formats.time_format(timezone.localtime(session.ends_at), "TIME_FORMAT")
    registered = registration.status == RegistrationStatus.REGISTERED
    return mail_about_session(
        registration,
        template_prefix="events/email/session_changed",
        url=session_url(registration),
        ends=ends,
        place=session.location,
        online_link=session.online_link if session.is_online and registered else "",
    )
