"""Staff moderation of the channels, beside ``message_hide`` and ``message_report`` (in
.channels): closing the reports on a message without hiding it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Member, Message
from ..permissions import can_manage_channels
from .channels import ChannelError


@transaction.atomic
def message_reports_dismiss(*, actor: Member, message: Message) -> int:
    """Staff looked at the message and leave it shown: its open reports are closed. Returns
    how many were."""
    if not can_manage_channels(actor):
        raise ChannelError("forbidden", _("You may not do this in this channel."))
    return message.reports.filter(resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor
    )
