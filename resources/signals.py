"""Wagtail's publication and workflow events, turned into the library's own writes."""

from django.dispatch import receiver
from wagtail.signals import page_published, task_rejected

from .models import ResourcePage


@receiver(page_published, sender=ResourcePage)
def resource_published(sender, instance: ResourcePage, **kwargs) -> None:
    from .services import contribution_published

    contribution_published(page=instance)


@receiver(task_rejected)
def review_task_rejected(sender, instance, **kwargs) -> None:
    """Staff asked for changes ("request changes" in the admin) with a comment."""
    from .services import contribution_changes_requested

    content_object = instance.workflow_state.content_object
    if content_object is None:
        return
    contribution_changes_requested(page=content_object, comment=instance.comment)
