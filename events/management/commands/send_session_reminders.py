"""Send the reminders due now (day before, same day). Run it every hour from the scheduler;
running it twice, or twice at once, never sends a reminder twice."""

from django.core.management.base import BaseCommand

from events.services.reminders import reminders_send


class Command(BaseCommand):
    help = "Send the training session reminders due now (the day before and on the day)."

    def handle(self, *args, **options) -> None:
        counts = reminders_send()
        sent = counts["day_before"] + counts["same_day"]
        self.stdout.write(
            f"Reminders sent: {sent} (day before: {counts['day_before']}, "
            f"same day: {counts['same_day']})."
        )
        if counts["failed"]:
            self.stderr.write(
                f"Reminders not sent: {counts['failed']}; they will be tried again at the next run."
            )
