"""E-mails about the channels: a mail at each mention, the daily digest of unread messages."""

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from network.models import ChannelKind, ChannelMembership, Member, Mention, Message, Role
from network.services import notifications
from network.services.channels import (
    channel_create,
    channel_join,
    channel_leave,
    channel_mark_read,
    message_hide,
    message_post,
)
from network.services.notifications import (
    channel_digests_send,
    mention_mails_retry,
    mention_mails_send,
)


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    # The posting rate limit counts in the cache, per member id and minute: ids come back
    # from one test to the next on SQLite.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def topic(staff_member):
    return channel_create(actor=staff_member, kind=ChannelKind.TOPIC, name="Approvisionnement")


@pytest.fixture
def other_topic(staff_member):
    return channel_create(actor=staff_member, kind=ChannelKind.TOPIC, name="Fournisseurs locaux")


@pytest.fixture
def bob(member_factory, topic, other_topic):
    member = member_factory(role=Role.PROFESSIONAL, first_name="Bob", last_name="Durand")
    channel_join(member=member, channel=topic)
    channel_join(member=member, channel=other_topic)
    return member


def alice_with(member_factory, channels, frequency="daily", **fields):
    alice = member_factory(
        first_name="Alice", last_name="Martin", digest_frequency=frequency, **fields
    )
    for channel in channels:
        channel_join(member=alice, channel=channel)
    return alice


def post(author, channel, body) -> Message:
    message, _created = message_post(author=author, channel=channel, body=body)
    return message


def later(hours: float = 1):
    return timezone.now() + timedelta(hours=hours)


# --- A mail at each mention ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_member_who_chose_each_mention_gets_one_mail_in_french(
    member_factory, topic, bob, django_capture_on_commit_callbacks
):
    alice = alice_with(member_factory, [topic], frequency="mention")

    with django_capture_on_commit_callbacks(execute=True):
        message = post(bob, topic, "Bonjour @Alice Martin, as-tu reçu le catalogue des brasseurs ?")

    assert [m.to for m in mail.outbox] == [[alice.email]]
    sent = mail.outbox[0]
    assert sent.subject == "[Comptoir] Bob Durand vous mentionne dans « Approvisionnement »"
    assert "Bonjour Alice," in sent.body
    assert "Bob Durand vous mentionne dans le canal « Approvisionnement » :" in sent.body
    assert "as-tu reçu le catalogue des brasseurs ?" in sent.body
    assert f"/reseau/canaux/{topic.pk}/?avant={message.seq + 1}" in sent.body
    assert "/reseau/notifications/" in sent.body
    assert Mention.objects.get(member=alice).notified_at is not None

    # The task run again, or the hourly retry, sends nothing more.
    assert mention_mails_send(message_id=message.pk) == 0
    assert mention_mails_retry(now=later()) == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_first_name_followed_by_an_ordinary_word_still_names_the_member(
    member_factory, topic, bob, django_capture_on_commit_callbacks
):
    alice = alice_with(member_factory, [topic], frequency="mention")

    with django_capture_on_commit_callbacks(execute=True):
        post(bob, topic, "@Alice bonjour, la livraison est arrivée")

    assert Mention.objects.filter(member=alice).count() == 1
    assert [m.to for m in mail.outbox] == [[alice.email]]


@pytest.mark.django_db
@pytest.mark.parametrize("frequency", ["off", "daily"])
def test_members_on_the_digest_or_nothing_get_no_mail_at_each_mention(
    frequency, member_factory, topic, bob, django_capture_on_commit_callbacks
):
    alice = alice_with(member_factory, [topic], frequency=frequency)

    with django_capture_on_commit_callbacks(execute=True):
        post(bob, topic, "Merci @Alice Martin !")

    assert Mention.objects.filter(member=alice).exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_no_mention_mail_once_the_member_cannot_read_the_channel(
    member_factory, staff_member, django_capture_on_commit_callbacks
):
    alice = member_factory(first_name="Alice", last_name="Martin", digest_frequency="mention")
    bob = member_factory(first_name="Bob", last_name="Durand")
    private = channel_create(
        actor=staff_member, kind=ChannelKind.PRIVATE, name="Projet", members=[alice, bob]
    )
    with django_capture_on_commit_callbacks(execute=False):
        message = post(bob, private, "@Alice Martin tu peux relire ?")
    assert Mention.objects.filter(member=alice).exists()

    channel_leave(member=alice, channel=private)

    assert mention_mails_send(message_id=message.pk) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_no_mention_mail_for_a_message_hidden_before_it_went(
    member_factory, topic, bob, staff_member, django_capture_on_commit_callbacks
):
    alice_with(member_factory, [topic], frequency="mention")
    with django_capture_on_commit_callbacks(execute=False):
        message = post(bob, topic, "@Alice Martin quelque chose de déplacé")
    message_hide(actor=staff_member, message=message, reason="Propos déplacés")

    assert mention_mails_send(message_id=message.pk) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_mention_mail_that_fails_is_released_and_sent_by_the_hourly_command(
    member_factory, topic, bob, monkeypatch, django_capture_on_commit_callbacks
):
    alice = alice_with(member_factory, [topic], frequency="mention")

    def broken(**kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(notifications, "send_templated_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        message = post(bob, topic, "@Alice Martin la réunion est déplacée")
    assert mail.outbox == []
    assert Mention.objects.get(member=alice).notified_at is None

    monkeypatch.undo()
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(hours=1))
    out = io.StringIO()
    call_command("send_channel_digests", stdout=out)

    assert "Mention e-mails sent again: 1." in out.getvalue()
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert Mention.objects.get(member=alice).notified_at is not None


# --- The daily digest ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_digest_lists_unread_messages_by_channel_in_french_and_goes_once(
    member_factory, topic, other_topic, bob
):
    alice = alice_with(member_factory, [topic, other_topic])
    post(bob, topic, "Qui commande chez la brasserie du Bugey ce mois-ci ?")
    post(bob, topic, "Je passe la commande vendredi.")
    post(bob, other_topic, "Nouveau maraîcher à Lagrasse, livraison le mardi.")

    assert channel_digests_send(now=later()) == 1

    assert [m.to for m in mail.outbox] == [[alice.email]]
    sent = mail.outbox[0]
    assert sent.subject == "[Comptoir] 3 messages non lus dans vos canaux"
    body = sent.body
    assert "Bonjour Alice," in body
    assert "Voici les 3 messages que vous n'avez pas encore lus dans vos canaux." in body
    assert "== Approvisionnement ==" in body
    assert "== Fournisseurs locaux ==" in body
    # Grouped: both messages of a channel under its heading, in order.
    first = body.index("brasserie du Bugey")
    assert body.index("== Approvisionnement ==") < first < body.index("commande vendredi")
    assert body.index("== Fournisseurs locaux ==") < body.index("Nouveau maraîcher")
    assert "Bob Durand, le " in body
    assert f"/reseau/canaux/{topic.pk}/" in body
    assert "/reseau/notifications/" in body

    # Run again, later the same day: nothing new.
    assert channel_digests_send(now=later()) == 0
    assert channel_digests_send(now=later(3)) == 0
    assert len(mail.outbox) == 1
    membership = ChannelMembership.objects.get(member=alice, channel=topic)
    assert membership.digested_seq == topic.messages.count()


@pytest.mark.django_db
def test_the_command_run_twice_sends_each_digest_once(member_factory, topic, bob):
    alice = alice_with(member_factory, [topic])
    post(bob, topic, "Le camion frigorifique est libre samedi.")
    Message.objects.update(created_at=timezone.now() - timedelta(hours=2))

    sent, printed = [], []
    for _run in range(2):
        out = io.StringIO()
        call_command("send_channel_digests", stdout=out)
        sent.append(len(mail.outbox))
        printed.append(out.getvalue().strip())

    assert sent == [1, 1]
    assert printed[0].startswith("Digests sent: 1.")
    assert printed[1].startswith("Digests sent: 0.")
    assert mail.outbox[0].to == [alice.email]
    assert "Le camion frigorifique est libre samedi." in mail.outbox[0].body


@pytest.mark.django_db
def test_no_digest_of_messages_already_read(member_factory, topic, bob):
    alice = alice_with(member_factory, [topic])
    message = post(bob, topic, "Rappel : inventaire lundi.")
    channel_mark_read(member=alice, channel=topic, seq=message.seq)

    assert channel_digests_send(now=later()) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_no_digest_within_the_grace_period_then_one_after_it(member_factory, topic, bob):
    alice_with(member_factory, [topic])
    post(bob, topic, "Quelqu'un a un percolateur à prêter ?")

    assert channel_digests_send(now=timezone.now() + timedelta(minutes=10)) == 0
    assert mail.outbox == []

    assert channel_digests_send(now=timezone.now() + timedelta(minutes=31)) == 1
    assert "percolateur" in mail.outbox[0].body


@pytest.mark.django_db
def test_at_most_one_digest_a_day_and_the_next_one_tells_only_what_is_new(
    member_factory, topic, bob
):
    alice_with(member_factory, [topic])
    post(bob, topic, "Premier message de la semaine.")
    assert channel_digests_send(now=later(1)) == 1

    post(bob, topic, "Deuxième message, plus tard.")
    assert channel_digests_send(now=later(3)) == 0
    assert channel_digests_send(now=later(20)) == 0
    assert len(mail.outbox) == 1

    assert channel_digests_send(now=later(25)) == 1
    assert len(mail.outbox) == 2
    second = mail.outbox[1]
    assert second.subject == "[Comptoir] 1 message non lu dans vos canaux"
    assert "Deuxième message, plus tard." in second.body
    assert "Premier message" not in second.body


@pytest.mark.django_db
def test_a_digest_that_fails_releases_its_claims_for_the_next_run(
    member_factory, topic, bob, monkeypatch
):
    alice = alice_with(member_factory, [topic])
    post(bob, topic, "Bilan de la fête du village.")

    def broken(**kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(notifications, "send_templated_mail", broken)
    assert channel_digests_send(now=later()) == 0
    assert mail.outbox == []
    alice.refresh_from_db()
    assert alice.last_digest_at is None
    assert ChannelMembership.objects.get(member=alice, channel=topic).digested_seq == 0

    monkeypatch.undo()
    assert channel_digests_send(now=later()) == 1
    assert "Bilan de la fête du village." in mail.outbox[0].body


@pytest.mark.django_db
def test_mentions_are_marked_in_the_digest(member_factory, topic, bob):
    alice = alice_with(member_factory, [topic])
    post(bob, topic, "Les horaires d'été commencent lundi.")
    post(bob, topic, "@Alice Martin tu peux confirmer tes horaires ?")

    assert channel_digests_send(now=later()) == 1

    sent = mail.outbox[0]
    assert sent.subject == "[Comptoir] 2 messages non lus dans vos canaux, où l'on vous mentionne"
    assert "Les messages qui vous mentionnent sont marqués d'une ★." in sent.body
    assert "★ Bob Durand, le " in sent.body
    assert Mention.objects.get(member=alice).notified_at is not None


@pytest.mark.django_db
def test_a_busy_channel_shows_ten_messages_and_says_how_many_more(member_factory, topic, bob):
    alice_with(member_factory, [topic])
    for number in range(1, 13):
        post(bob, topic, f"Annonce numéro {number:02d}.")

    assert channel_digests_send(now=later()) == 1

    body = mail.outbox[0].body
    assert "… et 2 autres messages." in body
    assert "Annonce numéro 12." in body
    assert "Annonce numéro 03." in body
    assert "Annonce numéro 01." not in body


@pytest.mark.django_db
def test_no_digest_of_hidden_messages_own_messages_or_unreadable_channels(
    member_factory, topic, bob, staff_member
):
    alice = alice_with(member_factory, [topic])
    hidden = post(bob, topic, "Un message masqué ensuite.")
    message_hide(actor=staff_member, message=hidden, reason="Hors sujet")

    assert channel_digests_send(now=later()) == 0

    post(bob, topic, "Un message visible.")
    Member.objects.filter(pk=alice.pk).update(role=Role.RESIDENT)  # no longer reads topics
    assert channel_digests_send(now=later()) == 0
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("frequency", ["off", "mention"])
def test_members_not_on_the_daily_summary_get_no_digest(frequency, member_factory, topic, bob):
    alice_with(member_factory, [topic], frequency=frequency)
    post(bob, topic, "Un message pour tout le monde.")

    assert channel_digests_send(now=later()) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_digest_is_in_the_member_language(member_factory, topic, bob):
    alice_with(member_factory, [topic], language="en")
    post(bob, topic, "Hello from the café.")

    assert channel_digests_send(now=later()) == 1

    sent = mail.outbox[0]
    assert sent.subject == "[Comptoir] 1 unread message in your channels"
    assert "Hello Alice," in sent.body


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_simultaneous_runs_never_mail_twice(member_factory, topic, bob, settings):
    """Six runs at once, each on its own PostgreSQL connection: twelve members on the daily
    digest, six named in a message with a mail at each mention."""
    assert connection.vendor == "postgresql"
    daily = [member_factory() for _ in range(12)]
    named = [
        member_factory(first_name="Zoé", last_name=f"Nom{letter}", digest_frequency="mention")
        for letter in "ABCDEF"
    ]
    for member in daily + named:
        channel_join(member=member, channel=topic)
    post(bob, topic, "Assemblée générale le 12, à la salle des fêtes.")
    # The task is queued, not run: the mention mails are sent below, by the concurrent runs.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    mentioning = post(bob, topic, " ".join(f"@Zoé {m.last_name}" for m in named))
    assert Mention.objects.filter(message=mentioning).count() == 6
    assert mail.outbox == []
    start = threading.Barrier(6)

    def run(_):
        start.wait()
        try:
            return (
                channel_digests_send(now=later()),
                mention_mails_send(message_id=mentioning.pk),
            )
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(run, range(6)))

    assert sum(digests for digests, _ in results) == 12
    assert sum(mentions for _, mentions in results) == 6
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in daily + named)
