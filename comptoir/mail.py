"""E-mails in the recipient's language, rendered from templates/<prefix>_subject.txt and
<prefix>_message.txt."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


def send_templated_mail(
    *,
    recipients: Iterable[str],
    template_prefix: str,
    context: dict[str, Any],
    language: str | None = None,
) -> int:
    recipients = list(recipients)
    if not recipients:
        return 0
    context = {"site_name": settings.WAGTAIL_SITE_NAME, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template_prefix}_subject.txt", context)
        body = render_to_string(f"{template_prefix}_message.txt", context)
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    return send_mail(subject, body, None, recipients)


def absolute_url(path: str) -> str:
    """Mails are sent outside any request: links start from the configured base URL."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
