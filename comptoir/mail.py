"""E-mails in the recipient's language, rendered from templates/<prefix>_subject.txt and
<prefix>_message.txt."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation


def send_templated_mail(
    *,
    recipients: Iterable[str],
    template_prefix: str,
    context: dict[str, Any],
    language: str | None = None,
    reply_to: Iterable[str] = (),
) -> int:
    recipients = list(recipients)
    if not recipients:
        return 0
    context = {"site_name": settings.WAGTAIL_SITE_NAME, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template_prefix}_subject.txt", context)
        body = render_to_string(f"{template_prefix}_message.txt", context)
    # One line, whatever a member typed into it: a mail header cannot carry a line break.
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    message = EmailMessage(subject=subject, body=body, to=recipients, reply_to=list(reply_to))
    return message.send()


def absolute_url(path: str) -> str:
    """Mails are sent outside any request: links start from the configured base URL."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
