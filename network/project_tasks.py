"""Background work of the projects area: telling an idea's author its status changed."""

from django.urls import reverse
from django_tasks import task

from comptoir.mail import absolute_url, send_templated_mail

from .models import Idea, IdeaStatus


@task()
def send_idea_status_mail(*, idea_id: int) -> int:
    """Mail the author of an idea its new status and the café's answer."""
    idea = Idea.objects.select_related("author", "project__cafe").filter(pk=idea_id).first()
    if idea is None or idea.author is None or not idea.author.is_active:
        return 0
    return send_templated_mail(
        recipients=[idea.author.email],
        template_prefix="network/projects/email/idea_status",
        context={
            "idea": idea,
            "member": idea.author,
            "status": IdeaStatus(idea.status).label,
            "idea_url": absolute_url(idea.get_absolute_url()),
        },
        language=idea.author.language,
    )


@task()
def notify_managers_of_idea_report(*, report_id: int) -> int:
    """Tell the café's managers that a resident reported an idea or a comment."""
    from .models import IdeaReport, MembershipStatus

    report = (
        IdeaReport.objects.select_related("idea__project__cafe", "comment__idea__project__cafe")
        .filter(pk=report_id, resolved_at__isnull=True)
        .first()
    )
    if report is None:
        return 0
    idea = report.idea or report.comment.idea
    project = idea.project
    sent = 0
    for manager in project.cafe.managers.filter(status=MembershipStatus.APPROVED, is_active=True):
        sent += send_templated_mail(
            recipients=[manager.email],
            template_prefix="network/projects/email/report_new",
            context={
                "member": manager,
                "project": project,
                "idea": idea,
                "is_comment": report.comment_id is not None,
                "reason": report.reason,
                "reports_url": absolute_url(reverse("projects:reports", args=[project.pk])),
            },
            language=manager.language,
        )
    return sent
