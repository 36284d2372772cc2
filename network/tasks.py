"""Background work of the network app: e-mails about membership and the channels."""

from django.urls import reverse
from django_tasks import task

from comptoir.mail import absolute_url, send_templated_mail

from .models import Member, MembershipStatus
from .selectors import member_list_reviewers


@task()
def send_membership_decision(*, member_id: int) -> int:
    member = Member.objects.get(pk=member_id)
    if member.status == MembershipStatus.PENDING:
        return 0
    template = (
        "network/email/membership_approved"
        if member.status == MembershipStatus.APPROVED
        else "network/email/membership_refused"
    )
    return send_templated_mail(
        recipients=[member.email],
        template_prefix=template,
        context={"member": member, "login_url": absolute_url(reverse("account_login"))},
        language=member.language,
    )


@task()
def notify_reviewers_of_request(*, member_id: int) -> int:
    member = Member.objects.get(pk=member_id)
    sent = 0
    for reviewer in member_list_reviewers():
        sent += send_templated_mail(
            recipients=[reviewer.email],
            template_prefix="network/email/membership_request",
            context={
                "member": member,
                "review_url": absolute_url(reverse("network_admin:pending_members")),
            },
            language=reviewer.language,
        )
    return sent


@task()
def send_mention_mails(*, message_id: int) -> int:
    """Mail the members named in a message who chose to hear of each mention."""
    from .services.notifications import mention_mails_send

    return mention_mails_send(message_id=message_id)


@task()
def notify_staff_of_report(*, report_id: int) -> int:
    """Tell programme staff that a member reported a message."""
    from .services.notifications import report_mails_send

    return report_mails_send(report_id=report_id)
