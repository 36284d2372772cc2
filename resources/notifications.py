"""Mails to contributors, in their language, sent once the decision is committed."""

from comptoir.mail import absolute_url, send_templated_mail

from .models import Contribution


def notify_contribution_published(contribution: Contribution) -> int:
    member = contribution.contributor
    return send_templated_mail(
        recipients=[member.email],
        template_prefix="resources/email/contribution_published",
        context={
            "member": member,
            "page": contribution.page,
            "url": absolute_url(contribution.page.url or "/"),
        },
        language=member.language,
    )


def notify_contribution_changes_requested(contribution: Contribution) -> int:
    from django.urls import reverse

    member = contribution.contributor
    return send_templated_mail(
        recipients=[member.email],
        template_prefix="resources/email/contribution_changes_requested",
        context={
            "member": member,
            "page": contribution.page,
            "comment": contribution.review_comment,
            "url": absolute_url(reverse("resources:my_contributions")),
        },
        language=member.language,
    )
