"""E-mails to the applicant about their application, sent once the decision is saved."""

from django.urls import reverse
from django_tasks import task

from comptoir.mail import absolute_url, send_templated_mail

from .models import Application

TEMPLATES = {
    "info_requested": "programme/email/info_requested",
    "accepted": "programme/email/accepted",
    "refused": "programme/email/refused",
}


@task()
def send_application_mail(*, application_id: int, event: str) -> int:
    application = Application.objects.select_related(
        "applicant", "cafe", "support_file__coach", "support_file__cohort"
    ).get(pk=application_id)
    applicant = application.applicant
    support_file = getattr(application, "support_file", None)
    url = (
        support_file.get_absolute_url()
        if event == "accepted" and support_file
        else application.get_absolute_url()
    )
    return send_templated_mail(
        recipients=[applicant.email],
        template_prefix=TEMPLATES[event],
        context={
            "member": applicant,
            "application": application,
            "support_file": support_file,
            "url": absolute_url(url),
            "home_url": absolute_url(reverse("programme:home")),
        },
        language=applicant.language,
    )


@task()
def send_coach_assigned_mail(*, support_file_id: int) -> int:
    """Tell the coach which café they now follow."""
    from .models import SupportFile

    support_file = SupportFile.objects.select_related("coach", "cafe__commune", "cohort").get(
        pk=support_file_id
    )
    coach = support_file.coach
    return send_templated_mail(
        recipients=[coach.email],
        template_prefix="programme/email/coach_assigned",
        context={
            "member": coach,
            "support_file": support_file,
            "url": absolute_url(support_file.get_absolute_url()),
        },
        language=coach.language,
    )
