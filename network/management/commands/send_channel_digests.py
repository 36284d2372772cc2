"""Send the daily digests of unread channel messages that are due, and the mention mails that
failed to go. Run it every hour from the scheduler; each member gets at most one digest a day,
and running it twice, or twice at once, never sends anything twice."""

from django.core.management.base import BaseCommand

from network.services.notifications import channel_digests_send, mention_mails_retry


class Command(BaseCommand):
    help = (
        "Send the daily digests of unread channel messages that are due "
        "(and mention e-mails that failed earlier)."
    )

    def handle(self, *args, **options) -> None:
        digests = channel_digests_send()
        mentions = mention_mails_retry()
        self.stdout.write(f"Digests sent: {digests}. Mention e-mails sent again: {mentions}.")
