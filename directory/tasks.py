"""Background work of the directory: messages between members, relayed by e-mail."""

from django_tasks import task

from comptoir.mail import absolute_url, send_templated_mail
from network.models import Member

from .models import ContactMessage, ValidationStatus
from .selectors import contact_entry_get


def _sender_profile_url(sender: Member) -> str | None:
    """The sender's own page in the directory, when the recipient may open it."""
    manager_profile = getattr(sender, "manager_profile", None)
    if manager_profile is not None:
        return absolute_url(manager_profile.get_absolute_url())
    for related in ("professional_profile", "supplier_profile"):
        profile = getattr(sender, related, None)
        if profile is not None and profile.status == ValidationStatus.VALIDATED:
            return absolute_url(profile.get_absolute_url())
    return None


@task()
def contact_message_relay(*, message_id: int) -> int:
    """Send one saved message to its recipient, as plain text.

    The mail comes from the site and its Reply-To is the sender's address: an answer goes
    straight to the sender, while the sender never learns the recipient's address unless the
    recipient answers.
    """
    message = (
        ContactMessage.objects.select_related("sender", "recipient").filter(pk=message_id).first()
    )
    if message is None or message.sender is None:
        # The sender's account was deleted before the mail left: no one to answer to.
        return 0
    sender = message.sender
    recipient = message.recipient
    entry = contact_entry_get(kind=message.about_kind, object_id=message.about_object_id)
    context = {
        "message": message,
        "sender": sender,
        "sender_name": sender.get_full_name() or sender.email,
        "sender_cafes": [str(cafe) for cafe in sender.cafes.select_related("commune")],
        "sender_profile_url": _sender_profile_url(sender),
        "reply_email": sender.email,
        "entry": entry,
        # The directory is for members: a link helps only someone with an account.
        "entry_url": absolute_url(entry.get_absolute_url()) if entry and recipient else None,
        "recipient_has_account": recipient is not None,
    }
    return send_templated_mail(
        recipients=[message.recipient_email],
        template_prefix="directory/email/contact_message",
        context=context,
        language=recipient.language if recipient is not None else None,
        reply_to=[sender.email],
    )
