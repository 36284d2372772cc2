from allauth.account.signals import email_confirmed
from django.db import transaction
from django.dispatch import receiver

from .models import MembershipStatus


@receiver(email_confirmed)
def tell_reviewers_when_email_confirmed(sender, request, email_address, **kwargs) -> None:
    """A request reaches staff only once its e-mail address is proven."""
    from .tasks import notify_reviewers_of_request

    member = email_address.user
    if member.status == MembershipStatus.PENDING and email_address.primary:
        transaction.on_commit(lambda: notify_reviewers_of_request.enqueue(member_id=member.pk))


def programme_staff_group_after_migrate(sender, **kwargs) -> None:
    """Runs once, after the last app: every permission the group needs exists by then."""
    from django.apps import apps

    from .services import programme_staff_group_ensure

    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender is not with_models[-1]:
        return
    programme_staff_group_ensure()
