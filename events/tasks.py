"""E-mails about registrations, sent after the registration is saved."""

from django.urls import reverse
from django.utils import formats, translation
from django_tasks import task

from comptoir.mail import absolute_url, send_templated_mail

from .models import Registration, RegistrationStatus

TEMPLATES = {
    "registered": "events/email/registration_confirmed",
    "waiting": "events/email/registration_waiting",
    "promoted": "events/email/registration_promoted",
}


@task()
def send_registration_mail(*, registration_id: int, event: str) -> int:
    registration = Registration.objects.select_related(
        "member", "session__training", "session__commune"
    ).get(pk=registration_id)
    if event == "promoted" and registration.status != RegistrationStatus.REGISTERED:
        return 0
    member = registration.member
    session = registration.session
    with translation.override(member.language):
        when = formats.date_format(session.starts_at, "DATETIME_FORMAT")
    return send_templated_mail(
        recipients=[member.email],
        template_prefix=TEMPLATES[event],
        context={
            "member": member,
            "session": session,
            "registration": registration,
            "when": when,
            "url": absolute_url(reverse("events:session_detail", args=[session.pk])),
        },
        language=member.language,
    )
