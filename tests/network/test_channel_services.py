"""The discussion channels' foundation: numbering, idempotent posts, who may read and write,
read marks, région channels, conversations, limits, and broadcasts only after commit."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from network.models import Channel, ChannelKind, ChannelMembership, MembershipStatus, Message, Role
from network.permissions import can_post_in_channel, can_read_channel
from network.services import channels as services
from network.services.channels import (
    ChannelError,
    channel_archive,
    channel_join,
    channel_leave,
    channel_mark_read,
    channel_members_add,
    direct_conversation_open,
    message_delete,
    message_edit,
    message_hide,
    message_post,
    region_channels_join,
)


class RecordingLayer:
    """Stands in for the channel layer: keeps what was sent to which group."""

    def __init__(self, fail: bool = False) -> None:
        self.sent: list[tuple[str, dict]] = []
        self.fail = fail

    async def group_send(self, group: str, event: dict) -> None:
        if self.fail:
            raise ConnectionError("Redis est parti")
        self.sent.append((group, event))


@pytest.fixture
def layer(monkeypatch) -> RecordingLayer:
    recording = RecordingLayer()
    monkeypatch.setattr(services, "get_channel_layer", lambda: recording)
    return recording


@pytest.fixture
def topic(db) -> Channel:
    return Channel.objects.create(kind=ChannelKind.TOPIC, name="Approvisionnement")


@pytest.fixture
def private(member_factory) -> Channel:
    return Channel.objects.create(kind=ChannelKind.PRIVATE, name="Projet de Lagrasse")


def error_of(call, **kwargs) -> ChannelError:
    with pytest.raises(ChannelError) as caught:
        call(**kwargs)
    return caught.value


# --- Numbering --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_channel_numbers_its_messages_from_one_without_gaps(member_factory, topic, private):
    author = member_factory(role=Role.MANAGER)
    channel_members_add(channel=private, members=[author])

    posted = [
        message_post(author=author, channel=channel, body=f"Message {n}")[0].seq
        for n, channel in enumerate([topic, topic, private, topic, private])
    ]

    assert posted == [1, 2, 1, 3, 2]
    topic.refresh_from_db()
    private.refresh_from_db()
    assert (topic.last_seq, private.last_seq) == (3, 2)
    assert topic.last_message_at is not None


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_simultaneous_posts_get_consecutive_numbers(member_factory, topic):
    """24 threads, each with its own PostgreSQL connection, post at once in one channel."""
    assert connection.vendor == "postgresql"
    authors = [member_factory(role=Role.MANAGER) for _ in range(12)]
    start = threading.Barrier(24)

    def post(number):
        start.wait()
        try:
            message, _created = message_post(
                author=authors[number % 12], channel=topic, body=f"En même temps {number}"
            )
            return message.seq
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=24) as pool:
        numbers = list(pool.map(post, range(24)))

    assert sorted(numbers) == list(range(1, 25))
    stored = list(Message.objects.filter(channel=topic).order_by("seq").values_list("seq", "body"))
    assert [seq for seq, _body in stored] == list(range(1, 25))
    assert len({body for _seq, body in stored}) == 24
    topic.refresh_from_db()
    assert topic.last_seq == 24


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_simultaneous_resends_of_one_message_save_it_once(member_factory, topic):
    assert connection.vendor == "postgresql"
    author = member_factory(role=Role.MANAGER)
    start = threading.Barrier(6)

    def resend(_number):
        start.wait()
        try:
            message, created = message_post(
                author=author, channel=topic, body="Une seule fois", client_id="double-clic"
            )
            return message.pk, created
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(resend, range(6)))

    assert len({pk for pk, _created in outcomes}) == 1
    assert [created for _pk, created in outcomes].count(True) == 1
    assert Message.objects.filter(channel=topic).count() == 1


# --- Idempotent posts, limits ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_resend_with_the_same_client_id_returns_the_saved_message(member_factory, topic, layer):
    author = member_factory(role=Role.MANAGER)
    other = member_factory(role=Role.MANAGER)

    first, created = message_post(author=author, channel=topic, body="Bonjour", client_id="abc-1")
    again, created_again = message_post(
        author=author, channel=topic, body="Bonjour", client_id="abc-1"
    )
    # Another member's client may well pick the same identifier.
    theirs, theirs_created = message_post(
        author=other, channel=topic, body="Salut", client_id="abc-1"
    )

    assert (created, created_again, theirs_created) == (True, False, True)
    assert again.pk == first.pk
    assert theirs.seq == 2
    assert Message.objects.filter(channel=topic).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("client_id", ["avec espace", "x" * 65, 42, "é"])
def test_an_invalid_client_id_is_refused(member_factory, topic, client_id):
    error = error_of(
        message_post,
        author=member_factory(role=Role.MANAGER),
        channel=topic,
        body="Bonjour",
        client_id=client_id,
    )

    assert (error.code, error.message) == ("invalid", "L'identifiant du message n'est pas valide.")
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_message_length_is_bounded_and_blank_messages_refused(member_factory, topic):
    author = member_factory(role=Role.MANAGER)

    longest, _created = message_post(author=author, channel=topic, body="  " + "a" * 4000 + "\n")
    too_long = error_of(message_post, author=author, channel=topic, body="a" * 4001)
    blank = error_of(message_post, author=author, channel=topic, body=" \n\t ")
    not_text = error_of(message_post, author=author, channel=topic, body=["a"])

    assert longest.body == "a" * 4000
    assert too_long.code == "too_long"
    assert too_long.message == "Un message compte au plus 4000 caractères ; celui-ci en a 4001."
    assert (blank.code, blank.message) == ("empty", "Écrivez un message avant de l'envoyer.")
    assert not_text.code == "empty"
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_posting_is_limited_per_member_with_a_clear_message(member_factory, topic, monkeypatch):
    within_one_minute = timezone.now().replace(second=1)
    monkeypatch.setattr(timezone, "now", lambda: within_one_minute)
    author = member_factory(role=Role.MANAGER)
    other = member_factory(role=Role.MANAGER)
    for number in range(20):
        message_post(author=author, channel=topic, body=f"Message {number}", client_id=f"m{number}")

    error = error_of(message_post, author=author, channel=topic, body="Un de trop")
    # A resend of a saved message is not a new post; others are not held back.
    _resent, created = message_post(author=author, channel=topic, body="Message 0", client_id="m0")
    assert not created
    error_of(message_post, author=author, channel=topic, body="Encore", client_id="s")
    message_post(author=other, channel=topic, body="Moi je peux")

    assert error.code == "rate_limited"
    assert error.message == (
        "Vous envoyez des messages trop vite : attendez une minute avant le suivant."
    )
    assert Message.objects.filter(channel=topic, author=author).count() == 20
    assert Message.objects.filter(channel=topic, author=other).count() == 1


@pytest.mark.django_db
def test_the_posting_limit_counts_the_last_minute_only(member_factory, topic, monkeypatch):
    start = timezone.now()
    clock = [start]
    monkeypatch.setattr(timezone, "now", lambda: clock[0])
    author = member_factory(role=Role.MANAGER)
    for number in range(20):
        clock[0] = start + timedelta(seconds=number)
        message_post(author=author, channel=topic, body=f"Message {number}")

    clock[0] = start + timedelta(seconds=59)
    assert error_of(message_post, author=author, channel=topic, body="Trop tôt").code == (
        "rate_limited"
    )
    clock[0] = start + timedelta(seconds=60, milliseconds=1)  # the first one is a minute old
    message, created = message_post(author=author, channel=topic, body="Ça repart")
    assert created and message.seq == 21
    assert error_of(message_post, author=author, channel=topic, body="Pas deux").code == (
        "rate_limited"
    )


# --- Broadcasts --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_broadcast_goes_after_commit_and_never_for_a_rolled_back_post(
    member_factory, topic, layer
):
    author = member_factory(role=Role.MANAGER, first_name="Alice", last_name="Martin")

    with transaction.atomic():
        message_post(author=author, channel=topic, body="Premier", client_id="p1")
        assert layer.sent == []  # saved, not yet told
    assert [(g, e["type"], e["message"]["seq"]) for g, e in layer.sent] == [
        (topic.group_name, "chat.message", 1)
    ]
    assert layer.sent[0][1]["message"]["author"] == {"id": author.pk, "name": "Alice Martin"}
    assert layer.sent[0][1]["message"]["client_id"] == "p1"

    with pytest.raises(RuntimeError), transaction.atomic():
        message_post(author=author, channel=topic, body="Annulé")
        raise RuntimeError

    assert len(layer.sent) == 1
    assert list(Message.objects.values_list("seq", flat=True)) == [1]
    message_post(author=author, channel=topic, body="Premier", client_id="p1")  # a resend
    assert len(layer.sent) == 1


@pytest.mark.django_db(transaction=True)
def test_a_failed_broadcast_does_not_fail_the_saved_post(member_factory, topic, monkeypatch):
    monkeypatch.setattr(services, "get_channel_layer", lambda: RecordingLayer(fail=True))

    message, created = message_post(
        author=member_factory(role=Role.MANAGER), channel=topic, body="Sauvé quand même"
    )

    assert created
    assert Message.objects.get().body == "Sauvé quand même"


@pytest.mark.django_db
def test_edit_delete_and_hide_keep_the_place_and_tell_the_channel(
    member_factory, topic, layer, django_capture_on_commit_callbacks
):
    author = member_factory(role=Role.MANAGER)
    staff = member_factory(role=Role.STAFF)
    first, _c = message_post(author=author, channel=topic, body="Un")
    second, _c = message_post(author=author, channel=topic, body="Deux")

    with django_capture_on_commit_callbacks(execute=True):
        message_edit(actor=author, message=first, body="Un, corrigé")
        message_delete(actor=author, message=second)
        message_hide(actor=staff, message=first, reason="Hors sujet")

    updates = [e["message"] for _g, e in layer.sent if e["type"] == "chat.update"]
    assert [(u["seq"], u["body"], u["edited"], u["deleted"], u["hidden"]) for u in updates] == [
        (1, "Un, corrigé", True, False, False),
        (2, "", False, True, False),
        (1, "", True, False, True),
    ]
    first.refresh_from_db()
    assert (first.body, first.hidden_by, first.hidden_reason) == (
        "Un, corrigé",
        staff,
        "Hors sujet",
    )
    assert list(Message.objects.values_list("seq", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_only_the_author_edits_or_deletes_while_the_message_is_visible(member_factory, topic):
    author = member_factory(role=Role.MANAGER)
    other = member_factory(role=Role.MANAGER)
    staff = member_factory(role=Role.STAFF)
    message, _c = message_post(author=author, channel=topic, body="Original")

    by_other = error_of(message_edit, actor=other, message=message, body="Piraté")
    delete_by_other = error_of(message_delete, actor=other, message=message)
    message_hide(actor=staff, message=message, reason="Publicité")
    after_hiding = error_of(message_edit, actor=author, message=message, body="Revenu")

    assert (by_other.code, by_other.message) == (
        "forbidden",
        "Vous ne pouvez modifier que vos propres messages.",
    )
    assert delete_by_other.message == "Vous ne pouvez supprimer que vos propres messages."
    assert after_hiding.code == "forbidden"
    message.refresh_from_db()
    assert (message.body, message.edited_at, message.deleted_at) == ("Original", None, None)


# --- Who may read and post ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "role", "member_of", "may_read", "may_post"),
    [
        (ChannelKind.TOPIC, Role.MANAGER, False, True, True),
        (ChannelKind.TOPIC, Role.PROFESSIONAL, False, True, True),
        (ChannelKind.TOPIC, Role.SUPPLIER, False, True, True),
        (ChannelKind.TOPIC, Role.STAFF, False, True, True),
        (ChannelKind.TOPIC, Role.RESIDENT, False, False, False),
        (ChannelKind.REGION, Role.MANAGER, False, True, True),
        (ChannelKind.REGION, Role.RESIDENT, False, False, False),
        (ChannelKind.PRIVATE, Role.MANAGER, False, False, False),
        (ChannelKind.PRIVATE, Role.MANAGER, True, True, True),
        (ChannelKind.PRIVATE, Role.RESIDENT, True, True, True),
        (ChannelKind.PRIVATE, Role.STAFF, False, True, False),
        (ChannelKind.DIRECT, Role.MANAGER, True, True, True),
        (ChannelKind.DIRECT, Role.MANAGER, False, False, False),
        (ChannelKind.DIRECT, Role.STAFF, False, False, False),
    ],
)
def test_who_reads_and_posts_in_which_channel(
    member_factory, geography, kind, role, member_of, may_read, may_post
):
    from directory.models import Region

    member = member_factory(role=role)
    fields = {"kind": kind, "name": "Canal"}
    if kind == ChannelKind.REGION:
        fields["region"] = Region.objects.get(code="84")
    if kind == ChannelKind.DIRECT:
        fields["direct_key"] = "0-0"
    channel = Channel.objects.create(**fields)
    if member_of:
        channel_members_add(channel=channel, members=[member])

    assert can_read_channel(member, channel) is may_read
    assert can_post_in_channel(member, channel) is may_post
    if may_post:
        assert message_post(author=member, channel=channel, body="Bonjour")[1]
    else:
        error = error_of(message_post, author=member, channel=channel, body="Bonjour")
        if may_read:
            assert (error.code, error.message) == (
                "forbidden",
                "Vous ne pouvez pas faire cela dans ce canal.",
            )
        else:  # a channel one may not read is not revealed
            assert (error.code, error.message) == (
                "not_found",
                "Ce canal n'existe pas ou vous n'y avez pas accès.",
            )
        assert not Message.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("status", [MembershipStatus.PENDING, MembershipStatus.REFUSED])
def test_members_not_approved_read_and_post_nowhere(member_factory, topic, status):
    member = member_factory(role=Role.MANAGER, status=status)

    assert not can_read_channel(member, topic)
    assert error_of(message_post, author=member, channel=topic, body="Bonjour").code == "not_found"


@pytest.mark.django_db
def test_an_archived_channel_stays_readable_and_takes_no_post(member_factory, topic, layer):
    manager = member_factory(role=Role.MANAGER)
    staff = member_factory(role=Role.STAFF)
    message_post(author=manager, channel=topic, body="Avant l'archivage")

    refused = error_of(channel_archive, actor=manager, channel=topic)
    channel_archive(actor=staff, channel=topic)
    error = error_of(message_post, author=manager, channel=topic, body="Après")

    assert refused.code == "forbidden"
    assert (error.code, error.message) == (
        "archived",
        "Ce canal est archivé : il n'est plus qu'en lecture.",
    )
    topic.refresh_from_db()
    assert can_read_channel(manager, topic)
    assert topic.last_seq == 1
    assert error_of(channel_join, member=manager, channel=topic).code == "forbidden"


@pytest.mark.django_db
def test_posting_in_an_open_channel_joins_it_and_reads_up_to_ones_message(member_factory, topic):
    reader = member_factory(role=Role.SUPPLIER)
    writer = member_factory(role=Role.PROFESSIONAL)
    channel_join(member=reader, channel=topic)
    message_post(author=reader, channel=topic, body="Un")

    message_post(author=writer, channel=topic, body="Deux")

    membership = ChannelMembership.objects.get(channel=topic, member=writer)
    assert membership.last_read_seq == 2
    assert ChannelMembership.objects.get(channel=topic, member=reader).last_read_seq == 1


# --- Read marks --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_read_mark_moves_forward_only_and_not_into_the_future(member_factory, private):
    author = member_factory(role=Role.MANAGER)
    reader = member_factory(role=Role.MANAGER)
    outsider = member_factory(role=Role.MANAGER)
    channel_members_add(channel=private, members=[author, reader])
    for number in range(5):
        message_post(author=author, channel=private, body=f"Message {number}")
    membership = ChannelMembership.objects.get(channel=private, member=reader)

    channel_mark_read(member=reader, channel=private, seq=4)
    channel_mark_read(member=reader, channel=private, seq=2)
    future = error_of(channel_mark_read, member=reader, channel=private, seq=6)
    invalid = [
        error_of(channel_mark_read, member=reader, channel=private, seq=value).code
        for value in (-1, True, "3", 2.0, None)
    ]
    forbidden = error_of(channel_mark_read, member=outsider, channel=private, seq=1)

    membership.refresh_from_db()
    assert membership.last_read_seq == 4
    assert (future.code, future.message) == ("future", "Ce numéro de message n'existe pas encore.")
    assert invalid == ["invalid"] * 5
    assert forbidden.code == "forbidden"
    channel_mark_read(member=reader, channel=private, seq=5)
    membership.refresh_from_db()
    assert membership.last_read_seq == 5


# --- Région channels and conversations ---------------------------------------------------------


@pytest.mark.django_db
def test_members_join_the_channel_of_their_cafes_region_automatically(
    member_factory, cafe_factory, professional_factory
):
    first = member_factory(role=Role.MANAGER)
    second = member_factory(role=Role.MANAGER)
    cafe_factory(commune="Sulignat", managers=[first])  # Ain, Auvergne-Rhône-Alpes
    cafe_factory(commune="Pérouges", managers=[second])  # Ain too
    professional = member_factory(role=Role.PROFESSIONAL)
    professional_factory(commune="Lagrasse", member=professional)  # Aude, Occitanie

    [channel] = region_channels_join(member=first)
    message_post(author=first, channel=channel, body="Bonjour la région")
    [same] = region_channels_join(member=second)
    again = region_channels_join(member=first)
    [occitanie] = region_channels_join(member=professional)

    assert same.pk == channel.pk and [c.pk for c in again] == [channel.pk]
    assert channel.name == "Région Auvergne-Rhône-Alpes"
    assert (channel.kind, channel.region.code) == (ChannelKind.REGION, "84")
    assert occitanie.name == "Région Occitanie"
    assert Channel.objects.filter(kind=ChannelKind.REGION).count() == 2
    assert ChannelMembership.objects.filter(channel=channel).count() == 2
    # A newcomer starts with nothing unread.
    assert ChannelMembership.objects.get(channel=channel, member=second).last_read_seq == 1


@pytest.mark.django_db
def test_residents_join_no_region_channel(member_factory, cafe_factory, resident):
    cafe_factory(commune="Sulignat", managers=[member_factory(role=Role.MANAGER)])

    assert region_channels_join(member=resident) == []
    assert not ChannelMembership.objects.filter(member=resident).exists()


@pytest.mark.django_db
def test_a_conversation_is_unique_per_pair_and_private_to_it(member_factory):
    alice = member_factory(role=Role.MANAGER)
    bruno = member_factory(role=Role.SUPPLIER)
    staff = member_factory(role=Role.STAFF)
    pending = member_factory(role=Role.MANAGER, status=MembershipStatus.PENDING)

    conversation = direct_conversation_open(member=alice, other=bruno)
    same = direct_conversation_open(member=bruno, other=alice)
    with_self = error_of(direct_conversation_open, member=alice, other=alice)
    with_pending = error_of(direct_conversation_open, member=alice, other=pending)
    leaving = error_of(channel_leave, member=alice, channel=conversation)

    assert same.pk == conversation.pk
    assert conversation.kind == ChannelKind.DIRECT
    assert set(conversation.members.all()) == {alice, bruno}
    assert not can_read_channel(staff, conversation)
    assert (with_self.code, with_self.message) == (
        "invalid",
        "Cette conversation ne peut pas être ouverte.",
    )
    assert with_pending.code == "invalid"
    assert leaving.message == "On ne peut pas quitter une conversation."
    assert Channel.objects.filter(kind=ChannelKind.DIRECT).count() == 1


@pytest.mark.django_db
def test_residents_have_no_direct_conversations(member_factory):
    """Residents take part in their café's project channels, not in the network's
    conversations: neither side may open one."""
    manager = member_factory(role=Role.MANAGER)
    resident = member_factory(role=Role.RESIDENT)

    to_resident = error_of(direct_conversation_open, member=manager, other=resident)
    from_resident = error_of(direct_conversation_open, member=resident, other=manager)

    assert to_resident.message == "Cette conversation ne peut pas être ouverte."
    assert from_resident.code == "invalid"
    assert not Channel.objects.filter(kind=ChannelKind.DIRECT).exists()


@pytest.mark.django_db
def test_posting_costs_the_same_few_queries_however_long_the_channel(
    member_factory, private, layer, django_assert_max_num_queries, settings
):
    """Posting is the busy path of a live channel (bench/chat_fanout.py): numbering takes
    the lock and reads the resend, membership and rate checks in one statement, then the
    message and the author's read mark are written."""
    settings.NETWORK_POST_RATE_LIMIT = (100, 60)
    alice, bruno = member_factory(), member_factory()
    channel_members_add(channel=private, members=[alice, bruno])
    for number in range(30):
        message_post(
            author=bruno, channel=private, body=f"Message {number}", client_id=f"b{number}"
        )

    with django_assert_max_num_queries(5):  # savepoint, number, insert, read mark, release
        message, created = message_post(
            author=alice, channel=Channel(pk=private.pk), body="Bonjour", client_id="a1"
        )
    with django_assert_max_num_queries(5):  # a resend gives its number back, reads the saved one
        again, created_again = message_post(
            author=alice, channel=Channel(pk=private.pk), body="Bonjour", client_id="a1"
        )

    assert (message.seq, created) == (31, True)
    assert (again.pk, created_again) == (message.pk, False)
    assert ChannelMembership.objects.get(channel=private, member=alice).last_read_seq == 31


# --- Posting in one statement (PostgreSQL) -----------------------------------------------------
# A socket reads its channel when it subscribes, and posts into it later: on PostgreSQL, outside
# a transaction, the message is then numbered and saved in one statement, which checks again
# what may have changed since the channel was read.


def as_read_by(member, channel: Channel) -> Channel:
    from network.selectors.channels import channel_get_for_member

    return channel_get_for_member(member, channel.pk)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_post_into_a_channel_read_beforehand_is_one_statement(
    member_factory, private, layer, django_assert_num_queries
):
    alice, bruno = member_factory(), member_factory()
    channel_members_add(channel=private, members=[alice, bruno])
    message_post(author=bruno, channel=private, body="Bonjour à tous")
    channel = as_read_by(alice, private)

    with django_assert_num_queries(1):  # number, save, and the author's read mark
        message, created = message_post(
            author=alice, channel=channel, body="Je livre jeudi", client_id="a1"
        )

    assert (message.seq, created) == (2, True)
    stored = Message.objects.get(pk=message.pk)
    assert (stored.seq, stored.body, stored.author, stored.client_id) == (
        2,
        "Je livre jeudi",
        alice,
        "a1",
    )
    assert stored.created_at == message.created_at
    assert ChannelMembership.objects.get(channel=private, member=alice).last_read_seq == 2
    private.refresh_from_db()
    assert (private.last_seq, private.last_message_at) == (2, message.created_at)
    assert [(e["type"], e["message"]["seq"], e["message"]["body"]) for _g, e in layer.sent][-1] == (
        "chat.message",
        2,
        "Je livre jeudi",
    )


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_channel_archived_since_it_was_read_takes_no_post_and_no_number(
    member_factory, topic, layer
):
    manager, staff = member_factory(role=Role.MANAGER), member_factory(role=Role.STAFF)
    message_post(author=manager, channel=topic, body="Avant")
    channel = as_read_by(manager, topic)
    channel_archive(actor=staff, channel=topic)

    error = error_of(message_post, author=manager, channel=channel, body="Après")

    assert error.code == "archived"
    topic.refresh_from_db()
    assert topic.last_seq == 1
    assert list(Message.objects.filter(channel=topic).values_list("body", flat=True)) == ["Avant"]
    assert [e["message"]["body"] for _g, e in layer.sent if e["type"] == "chat.message"] == [
        "Avant"
    ]


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_member_removed_since_the_channel_was_read_can_no_longer_post(
    member_factory, private, layer
):
    alice = member_factory()
    channel_members_add(channel=private, members=[alice])
    channel = as_read_by(alice, private)
    ChannelMembership.objects.filter(channel=private, member=alice).delete()

    error = error_of(message_post, author=alice, channel=channel, body="Toujours là ?")

    assert error.code == "not_found"
    private.refresh_from_db()
    assert private.last_seq == 0
    assert not Message.objects.filter(channel=private).exists()
    assert layer.sent == []


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_resends_and_the_posting_limit_hold_in_one_statement(
    member_factory, topic, layer, settings
):
    settings.NETWORK_POST_RATE_LIMIT = (2, 60)
    author = member_factory(role=Role.MANAGER)
    channel = as_read_by(author, topic)

    first, created = message_post(author=author, channel=channel, body="Un", client_id="c1")
    again, created_again = message_post(author=author, channel=channel, body="Un", client_id="c1")
    message_post(author=author, channel=channel, body="Deux", client_id="c2")
    error = error_of(message_post, author=author, channel=channel, body="Trois", client_id="c3")

    assert (first.seq, created) == (1, True)
    assert (again.pk, created_again) == (first.pk, False)
    assert error.code == "rate_limited"
    topic.refresh_from_db()
    assert topic.last_seq == 2
    assert list(Message.objects.filter(channel=topic).values_list("seq", "body")) == [
        (1, "Un"),
        (2, "Deux"),
    ]
    assert len([e for _g, e in layer.sent if e["type"] == "chat.message"]) == 2


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_first_post_in_one_statement_joins_the_open_channel(member_factory, topic):
    writer = member_factory(role=Role.PROFESSIONAL)
    channel = as_read_by(writer, topic)

    message, _created = message_post(author=writer, channel=channel, body="Bonjour")
    message_post(author=writer, channel=channel, body="Me revoilà")

    membership = ChannelMembership.objects.get(channel=topic, member=writer)
    assert (message.seq, membership.last_read_seq) == (1, 2)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_post_that_mentions_someone_saves_the_mention_with_it(member_factory, topic):
    from network.models import Mention

    author = member_factory(role=Role.MANAGER)
    named = member_factory(role=Role.SUPPLIER, first_name="Bérénice", last_name="Roux")
    channel = as_read_by(author, topic)

    message, _created = message_post(author=author, channel=channel, body="@Bérénice Roux merci")

    assert list(Mention.objects.values_list("message", "member")) == [(message.pk, named.pk)]
