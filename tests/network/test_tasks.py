"""E-mails leave through django-tasks: at once by default, through a worker in production."""

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from network.services import member_approve


@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_the_worker_sends_the_mail(
    settings, pending_member, staff_member
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    member_approve(member=pending_member, reviewer=staff_member)

    # Saved as a task, not sent yet: the request does not wait for the mail server.
    assert mail.outbox == []
    task = DBTaskResult.objects.get()
    assert task.task_path == "network.tasks.send_membership_decision"

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert [m.to for m in mail.outbox] == [[pending_member.email]]
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
