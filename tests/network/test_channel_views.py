"""The discussion channel pages, as members use them without JavaScript: the list with unread
counts, a channel's history paged backwards, the plain form to post, editing and deleting
one's own messages, staff managing channels, conversations, and the polling endpoint."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from network.models import Channel, ChannelKind, ChannelMembership, Message, Role
from network.selectors.channels import HISTORY_PAGE
from network.services import channels as channel_services
from network.services.channels import (
    channel_archive,
    channel_create,
    channel_join,
    direct_conversation_open,
    message_delete,
    message_edit,
    message_post,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with no message counted against anyone's posting rate."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_rate_limit(monkeypatch):
    """For tests that need a long history from one author."""
    monkeypatch.setattr(channel_services, "POST_RATE_LIMIT", (10_000, 60))


@pytest.fixture
def topic(staff_member):
    return channel_create(actor=staff_member, kind=ChannelKind.TOPIC, name="Animer son café")


@pytest.fixture
def private(staff_member, member_factory):
    return channel_create(
        actor=staff_member,
        kind=ChannelKind.PRIVATE,
        name="Projet épicerie",
        members=[member_factory(role=Role.MANAGER)],
    )


def text(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def post(channel, author, body, client_id=""):
    message, _created = message_post(author=author, channel=channel, body=body, client_id=client_id)
    return message


def channel_url(channel) -> str:
    return reverse("network:channel", args=[channel.pk])


# --- The list ------------------------------------------------------------------------------


def test_list_shows_my_channels_with_their_unread_count_and_open_ones_to_join(
    manager, member_factory, staff_member, topic, client_for
):
    other = member_factory(role=Role.PROFESSIONAL)
    channel_join(member=manager, channel=topic)
    for body in ("Bonjour", "Qui vient jeudi ?", "Moi"):
        post(topic, other, body)
    to_join = channel_create(actor=staff_member, kind=ChannelKind.TOPIC, name="Fournisseurs")

    page = text(client_for(manager).get(reverse("network:channels")))

    mine = page.split("Mes canaux")[1].split("Conversations")[0]
    assert "Animer son café" in mine
    assert "3 non lus" in mine
    open_ones = page.split("Canaux ouverts à rejoindre")[1]
    assert "Fournisseurs" in open_ones
    assert reverse("network:channel_join", args=[to_join.pk]) in open_ones
    assert "Créer un canal" not in page


def test_region_channel_is_joined_automatically_by_the_manager_of_a_cafe_there(
    manager, cafe_factory, client_for
):
    cafe_factory(commune="Sulignat", managers=[manager])

    page = text(client_for(manager).get(reverse("network:channels")))

    channel = Channel.objects.get(kind=ChannelKind.REGION)
    assert channel.region.name == "Auvergne-Rhône-Alpes"
    assert ChannelMembership.objects.filter(channel=channel, member=manager).exists()
    assert "Région Auvergne-Rhône-Alpes" in page.split("Mes canaux")[1].split("Conversations")[0]


def test_a_resident_sees_their_private_channels_but_no_open_one(
    resident, staff_member, topic, client_for
):
    project = channel_create(
        actor=staff_member, kind=ChannelKind.PRIVATE, name="Projet du café", members=[resident]
    )
    client = client_for(resident)

    page = text(client.get(reverse("network:channels")))

    assert "Projet du café" in page
    assert "Animer son café" not in page
    assert "Canaux ouverts à rejoindre" not in page
    assert client.get(channel_url(topic)).status_code == 404
    assert client.get(channel_url(project)).status_code == 200


def test_navigation_shows_the_unread_total(manager, member_factory, topic, private, client_for):
    other = member_factory(role=Role.SUPPLIER)
    channel_join(member=manager, channel=topic)
    post(topic, other, "Un")
    post(topic, other, "Deux")
    ChannelMembership.objects.create(channel=private, member=manager)
    post(private, private.memberships.exclude(member=manager).first().member, "Trois")

    page = text(client_for(manager).get(reverse("members_home")))

    nav = page.split('class="site-nav"')[1].split("</nav>")[0]
    assert re.search(r"Échanges <span class=\"nav-badge\">3<span[^>]*> messages non lus", nav)


def test_navigation_has_no_badge_when_everything_is_read(manager, client_for):
    page = text(client_for(manager).get(reverse("members_home")))

    nav = page.split('class="site-nav"')[1].split("</nav>")[0]
    assert "Échanges" in nav
    assert "nav-badge" not in nav


# --- A channel's page ----------------------------------------------------------------------


def test_private_channel_is_hidden_from_non_members_and_shown_to_members(
    private, member_factory, client_for
):
    member = private.memberships.exclude(member__role=Role.STAFF).first().member
    post(private, member, "Le devis de l'épicier est arrivé")
    outsider = member_factory(role=Role.MANAGER)

    assert client_for(outsider).get(channel_url(private)).status_code == 404
    assert client_for(outsider).get(reverse("network:channels")).content.count(b"Projet") == 0
    response = client_for(member).get(channel_url(private))
    assert response.status_code == 200
    assert "Le devis de l'épicier est arrivé" in text(response)


def test_viewing_the_latest_page_marks_the_channel_read(manager, member_factory, topic, client_for):
    other = member_factory(role=Role.MANAGER)
    channel_join(member=manager, channel=topic)
    post(topic, other, "Premier")
    post(topic, other, "Second")

    page = text(client_for(manager).get(channel_url(topic)))

    assert "Nouveaux messages" in page
    assert page.index("Nouveaux messages") < page.index("Premier")
    membership = ChannelMembership.objects.get(channel=topic, member=manager)
    assert membership.last_read_seq == 2
    assert "nav-badge" not in page  # the navigation counts what is left unread


def test_posting_with_the_form_saves_the_message_and_shows_it(manager, topic, client_for):
    client = client_for(manager)
    form_page = text(client.get(channel_url(topic)))
    client_id = re.search(r'name="client_id" value="([^"]+)"', form_page).group(1)

    response = client.post(channel_url(topic), {"body": "Bonjour à tous", "client_id": client_id})

    message = Message.objects.get(channel=topic)
    assert response.status_code == 302
    assert response["Location"] == f"{channel_url(topic)}#message-1"
    assert message.author == manager and message.body == "Bonjour à tous"
    assert ChannelMembership.objects.filter(channel=topic, member=manager).exists()
    assert "Bonjour à tous" in text(client.get(channel_url(topic)))


def test_the_same_form_sent_twice_saves_one_message(manager, topic, client_for):
    client = client_for(manager)
    data = {"body": "Une seule fois", "client_id": "formulaire-1"}

    first = client.post(channel_url(topic), data)
    second = client.post(channel_url(topic), data)

    assert first.status_code == second.status_code == 302
    assert Message.objects.filter(channel=topic).count() == 1


def test_each_form_shown_carries_a_new_client_id(manager, topic, client_for):
    client = client_for(manager)
    ids = {
        re.search(r'name="client_id" value="([^"]+)"', text(client.get(channel_url(topic)))).group(
            1
        )
        for _ in range(2)
    }
    assert len(ids) == 2


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("   ", "Écrivez un message avant de l'envoyer."),
        ("a" * 4001, "4001"),
    ],
)
def test_empty_or_too_long_message_is_refused_in_french_and_kept(
    manager, topic, client_for, body, error
):
    response = client_for(manager).post(channel_url(topic), {"body": body, "client_id": "x1"})

    page = text(response)
    assert response.status_code == 200
    assert error in page
    assert 'aria-invalid="true"' in page
    if body.strip():
        assert body in page  # the text stays in the form
    assert not Message.objects.exists()


def test_posting_too_fast_gets_a_clear_message(manager, topic, client_for):
    client = client_for(manager)
    count, _seconds = channel_services.POST_RATE_LIMIT
    for number in range(count):
        client.post(channel_url(topic), {"body": f"Message {number}", "client_id": f"c{number}"})

    response = client.post(channel_url(topic), {"body": "Encore un", "client_id": "trop"})

    assert response.status_code == 200
    assert "Vous envoyez des messages trop vite" in text(response)
    assert "Encore un" in text(response)
    assert Message.objects.filter(channel=topic).count() == count


def test_html_is_shown_as_text_and_links_are_clickable(manager, topic, client_for):
    post(
        topic,
        manager,
        '<script>alert("x")</script> <img src=x onerror=alert(1)> '
        "voir https://exemple.fr/fiche?a=1&b=2.",
    )

    page = text(client_for(manager).get(channel_url(topic)))

    body = page.split('class="chat-message__body">')[1].split("</p>")[0]
    assert "<script>" not in body and "<img" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    assert (
        '<a href="https://exemple.fr/fiche?a=1&amp;b=2" rel="nofollow">'
        "https://exemple.fr/fiche?a=1&amp;b=2</a>." in body
    )


def test_history_is_paged_backwards(manager, topic, client_for, no_rate_limit):
    for number in range(1, HISTORY_PAGE + 11):
        post(topic, manager, f"Message numéro {number}.")
    client = client_for(manager)

    latest = text(client.get(channel_url(topic)))

    assert "Message numéro 11." in latest and f"Message numéro {HISTORY_PAGE + 10}." in latest
    assert "Message numéro 10." not in latest
    older_link = re.search(r'href="(\?avant=\d+)"[^>]*>Messages plus anciens', latest).group(1)
    assert older_link == "?avant=11"

    older = text(client.get(channel_url(topic) + older_link))

    assert "Message numéro 1." in older and "Message numéro 10." in older
    assert "Message numéro 11." not in older
    assert "Messages plus anciens" not in older
    assert "Messages plus récents" in older
    assert "js/channels.js" not in older  # an old page is not made live
    assert 'name="body"' in older


def test_nonsense_paging_parameter_shows_the_latest_page(manager, topic, client_for):
    post(topic, manager, "Le seul message")

    response = client_for(manager).get(channel_url(topic) + "?avant=abc")

    assert response.status_code == 200
    assert "Le seul message" in text(response)


def test_deleted_and_hidden_messages_keep_their_place_without_their_text(
    manager, member_factory, staff_member, topic, client_for
):
    other = member_factory(role=Role.MANAGER)
    gone = post(topic, manager, "Je retire ce que j'ai dit")
    hidden = post(topic, other, "Propos déplacés")
    message_delete(actor=manager, message=gone)
    channel_services.message_hide(actor=staff_member, message=hidden, reason="Insultes")

    page = text(client_for(manager).get(channel_url(topic)))

    assert "Message supprimé" in page
    assert "Message masqué par l'équipe" in page
    assert "Je retire" not in page and "Propos déplacés" not in page


def test_archived_channel_is_read_only(manager, staff_member, topic, client_for):
    message = post(topic, manager, "Avant l'archivage")
    channel_archive(actor=staff_member, channel=topic)
    client = client_for(manager)

    page = text(client.get(channel_url(topic)))
    response = client.post(channel_url(topic), {"body": "Après", "client_id": "apres"})

    assert "Avant l'archivage" in page
    assert "Ce canal a été archivé" in page
    assert 'name="body"' not in page
    assert reverse("network:message_edit", args=[message.pk]) not in page
    assert "js/channels.js" not in page
    assert "Ce canal est archivé : il n'est plus qu'en lecture." in text(response)
    assert Message.objects.filter(channel=topic).count() == 1


def test_channel_detail_query_count_does_not_grow_with_messages(
    manager, member_factory, topic, client_for, django_assert_max_num_queries, no_rate_limit
):
    other = member_factory(role=Role.PROFESSIONAL)
    channel_join(member=manager, channel=topic)
    client = client_for(manager)
    post(topic, other, "Un premier")
    client.get(channel_url(topic))  # warm the session and what is cached
    post(topic, other, "Un deuxième")
    with django_assert_max_num_queries(12) as few:
        client.get(channel_url(topic))
    for number in range(HISTORY_PAGE):
        post(topic, other if number % 2 else manager, f"Message {number}")

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(channel_url(topic))

    assert text(response).count('class="chat-message') >= HISTORY_PAGE


# --- Own messages --------------------------------------------------------------------------


def test_a_member_edits_their_message(manager, topic, client_for):
    message = post(topic, manager, "Rendez-vous à 9h")
    client = client_for(manager)

    form = client.get(reverse("network:message_edit", args=[message.pk]))
    response = client.post(
        reverse("network:message_edit", args=[message.pk]), {"body": "Rendez-vous à 10h"}
    )

    assert form.status_code == 200 and "Rendez-vous à 9h" in text(form)
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.body == "Rendez-vous à 10h" and message.edited_at is not None
    page = text(client.get(channel_url(topic)))
    assert "Rendez-vous à 10h" in page and "(modifié)" in page


def test_an_empty_edit_is_refused_and_changes_nothing(manager, topic, client_for):
    message = post(topic, manager, "Texte d'origine")

    response = client_for(manager).post(
        reverse("network:message_edit", args=[message.pk]), {"body": "  "}
    )

    assert response.status_code == 200
    assert "Écrivez un message avant de l'envoyer." in text(response)
    message.refresh_from_db()
    assert message.body == "Texte d'origine" and message.edited_at is None


def test_a_member_deletes_their_message(manager, topic, client_for):
    message = post(topic, manager, "Oups, mauvais canal")
    client = client_for(manager)

    confirm = client.get(reverse("network:message_delete", args=[message.pk]))
    response = client.post(reverse("network:message_delete", args=[message.pk]))

    assert "Supprimer mon message" in text(confirm)
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.deleted_at is not None
    page = text(client.get(channel_url(topic)))
    assert "Message supprimé" in page and "Oups" not in page


def test_nobody_edits_or_deletes_someone_elses_message(
    manager, member_factory, topic, private, client_for
):
    message = post(topic, manager, "Mon message")
    other = client_for(member_factory(role=Role.MANAGER))
    secret = post(private, private.memberships.exclude(member__role=Role.STAFF).first().member, "x")

    assert other.get(reverse("network:message_edit", args=[message.pk])).status_code == 403
    assert (
        other.post(
            reverse("network:message_edit", args=[message.pk]), {"body": "Piraté"}
        ).status_code
        == 403
    )
    assert other.post(reverse("network:message_delete", args=[message.pk])).status_code == 403
    assert other.get(reverse("network:message_edit", args=[secret.pk])).status_code == 404
    message.refresh_from_db()
    assert message.body == "Mon message" and message.deleted_at is None


def test_own_messages_have_edit_links_and_others_a_report_link(
    manager, member_factory, topic, client_for
):
    mine = post(topic, manager, "Le mien")
    theirs = post(topic, member_factory(role=Role.MANAGER), "Le sien")

    page = text(client_for(manager).get(channel_url(topic)))

    assert reverse("network:message_edit", args=[mine.pk]) in page
    assert reverse("network:message_delete", args=[mine.pk]) in page
    assert reverse("network:message_edit", args=[theirs.pk]) not in page
    assert reverse("network:message_report", args=[theirs.pk]) in page
    assert reverse("network:message_report", args=[mine.pk]) not in page


# --- Joining, leaving, managing ---------------------------------------------------------------


def test_a_member_joins_and_leaves_a_topic_channel(manager, topic, client_for):
    client = client_for(manager)

    joined = client.post(reverse("network:channel_join", args=[topic.pk]), follow=True)
    assert ChannelMembership.objects.filter(channel=topic, member=manager).exists()
    assert "Vous avez rejoint ce canal." in text(joined)
    assert "Quitter ce canal" in text(joined)

    left = client.post(reverse("network:channel_leave", args=[topic.pk]), follow=True)
    assert not ChannelMembership.objects.filter(channel=topic, member=manager).exists()
    assert "Vous avez quitté le canal" in text(left)


def test_a_private_channel_cannot_be_left_from_its_page(private, client_for):
    member = private.memberships.exclude(member__role=Role.STAFF).first().member

    response = client_for(member).post(
        reverse("network:channel_leave", args=[private.pk]), follow=True
    )

    assert "Vous ne pouvez pas quitter ce canal." in text(response)
    assert ChannelMembership.objects.filter(channel=private, member=member).exists()


def test_staff_create_a_private_channel_with_chosen_members(
    staff_member, member_factory, client_for
):
    chosen = member_factory(role=Role.RESIDENT, email="habitante@exemple.fr")
    client = client_for(staff_member)

    form = client.get(reverse("network:channel_create"))
    response = client.post(
        reverse("network:channel_create"),
        {
            "kind": "private",
            "name": "Projet de Sulignat",
            "description": "Le comité du café",
            "members": "Habitante@exemple.fr",
        },
        follow=True,
    )

    assert form.status_code == 200
    channel = Channel.objects.get(name="Projet de Sulignat")
    assert channel.kind == ChannelKind.PRIVATE
    assert set(channel.members.all()) == {staff_member, chosen}
    assert "Le canal a été créé." in text(response)


def test_channel_creation_refuses_unknown_members(staff_member, client_for):
    response = client_for(staff_member).post(
        reverse("network:channel_create"),
        {"kind": "private", "name": "Projet", "members": "inconnu@exemple.fr"},
    )

    assert response.status_code == 200
    assert "Aucun membre validé n'a ces adresses : inconnu@exemple.fr." in text(response)
    assert not Channel.objects.exists()


def test_staff_archive_a_channel(staff_member, topic, client_for):
    response = client_for(staff_member).post(
        reverse("network:channel_archive", args=[topic.pk]), follow=True
    )

    topic.refresh_from_db()
    assert topic.is_archived
    assert "Le canal est archivé" in text(response)


def test_members_who_are_not_staff_cannot_create_or_archive(manager, topic, client_for):
    client = client_for(manager)

    assert client.get(reverse("network:channel_create")).status_code == 403
    assert (
        client.post(reverse("network:channel_create"), {"kind": "topic", "name": "X"}).status_code
        == 403
    )
    assert client.post(reverse("network:channel_archive", args=[topic.pk])).status_code == 403
    topic.refresh_from_db()
    assert not topic.is_archived
    assert Channel.objects.count() == 1


# --- Conversations ----------------------------------------------------------------------------


def test_one_conversation_per_pair_of_members(manager, member_factory, client_for):
    other = member_factory(role=Role.PROFESSIONAL, first_name="Inès", last_name="Martin")

    first = client_for(manager).post(reverse("network:conversation_open", args=[other.pk]))
    second = client_for(other).post(reverse("network:conversation_open", args=[manager.pk]))

    channel = Channel.objects.get(kind=ChannelKind.DIRECT)
    assert first["Location"] == second["Location"] == channel_url(channel)
    assert set(channel.members.all()) == {manager, other}
    listing = text(client_for(manager).get(reverse("network:channels")))
    assert "Inès Martin" in listing.split("Conversations")[1]


def test_a_conversation_with_oneself_is_refused(manager, client_for):
    response = client_for(manager).post(
        reverse("network:conversation_open", args=[manager.pk]), follow=True
    )

    assert "Cette conversation ne peut pas être ouverte." in text(response)
    assert not Channel.objects.exists()


def test_a_conversation_is_private_to_its_two_members(
    manager, member_factory, staff_member, client_for
):
    other = member_factory(role=Role.MANAGER)
    channel = direct_conversation_open(member=manager, other=other)
    post(channel, manager, "Entre nous")

    assert client_for(staff_member).get(channel_url(channel)).status_code == 404
    assert "Entre nous" in text(client_for(other).get(channel_url(channel)))


# --- Polling without the socket -----------------------------------------------------------------


def test_poll_returns_only_the_messages_after_the_given_number(manager, topic, client_for):
    for body in ("Un", "Deux", "Trois"):
        post(topic, manager, body)

    response = client_for(manager).get(
        reverse("network:channel_poll", args=[topic.pk]), {"apres": 1}
    )

    data = response.json()
    assert response.status_code == 200
    assert [m["seq"] for m in data["messages"]] == [2, 3]
    assert [m["body"] for m in data["messages"]] == ["Deux", "Trois"]
    assert data["last_seq"] == 3 and data["more"] is False


def test_poll_is_for_readers_only_and_checks_its_number(
    private, member_factory, manager, client_for
):
    url = reverse("network:channel_poll", args=[private.pk])
    member = private.memberships.exclude(member__role=Role.STAFF).first().member

    assert client_for(manager).get(url, {"apres": 0}).status_code == 404
    refused = client_for(member).get(url, {"apres": "-1"})
    assert refused.status_code == 400
    assert refused.json()["message"] == "Le numéro de message n'est pas valide."
    assert client_for(member).get(url, {"apres": 0}).status_code == 200


def test_poll_brings_what_changed_since_the_page_was_shown(
    manager, member_factory, topic, client_for
):
    other = member_factory()
    first = post(topic, other, "Livraison lundi")
    second = post(topic, other, "Rendez-vous à 9 h")
    post(topic, other, "Sans changement")
    page = client_for(manager).get(channel_url(topic))
    shown_at = re.search(r'data-changes-at="([^"]+)"', page.content.decode()).group(1)
    message_edit(actor=other, message=first, body="Livraison mardi")
    message_delete(actor=other, message=second)
    post(topic, other, "Nouveau")

    data = (
        client_for(manager)
        .get(reverse("network:channel_poll", args=[topic.pk]), {"apres": 3, "depuis": shown_at})
        .json()
    )

    assert [(m["seq"], m["body"], m["edited"], m["deleted"]) for m in data["updates"]] == [
        (1, "Livraison mardi", True, False),
        (2, "", False, True),
    ]
    assert [m["body"] for m in data["messages"]] == ["Nouveau"]
    later = (
        client_for(manager)
        .get(reverse("network:channel_poll", args=[topic.pk]), {"apres": 4, "depuis": data["at"]})
        .json()
    )
    # Changes of the last seconds come again (a late commit is not missed); nothing older.
    assert {m["seq"] for m in later["updates"]} <= {1, 2}
    assert later["messages"] == []


def test_poll_refuses_a_moment_it_did_not_give(manager, topic, client_for):
    url = reverse("network:channel_poll", args=[topic.pk])
    for nonsense in ("hier", "2026-11-30T10:00:00", "x" * 100):
        refused = client_for(manager).get(url, {"apres": 0, "depuis": nonsense})
        assert refused.status_code == 400
        assert refused.json()["message"] == "Le moment indiqué n'est pas valide."


def test_the_polling_page_marks_what_was_read(manager, member_factory, topic, client_for):
    other = member_factory()
    client = client_for(manager)
    client.get(channel_url(topic))  # the member joins the channel's readers by posting or joining
    post(topic, manager, "Bonjour")
    post(topic, other, "Un")
    post(topic, other, "Deux")
    url = reverse("network:channel_read", args=[topic.pk])

    assert client.post(url, {"seq": 3}).json() == {"channel": topic.pk, "seq": 3}
    assert ChannelMembership.objects.get(channel=topic, member=manager).last_read_seq == 3
    future = client.post(url, {"seq": 9})
    assert future.status_code == 400
    assert future.json()["message"] == "Ce numéro de message n'existe pas encore."
    assert client.post(url, {"seq": "abc"}).status_code == 400
    assert client.get(url).status_code == 405
    assert ChannelMembership.objects.get(channel=topic, member=manager).last_read_seq == 3


def test_only_readers_mark_a_channel_read(private, manager, client_for):
    response = client_for(manager).post(
        reverse("network:channel_read", args=[private.pk]), {"seq": 0}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("body", "html"),
    [
        (
            "www.exemple.fr, merci",
            '<a href="http://www.exemple.fr" rel="nofollow">www.exemple.fr</a>, merci',
        ),
        (
            "(voir https://exemple.fr/a)",
            '(voir <a href="https://exemple.fr/a" rel="nofollow">https://exemple.fr/a</a>)',
        ),
        ("écrire à contact@cafe.fr ou exemple.com", "écrire à contact@cafe.fr ou exemple.com"),
        ("javascript:alert(1)", "javascript:alert(1)"),
        (
            'https://x.fr/"onmouseover="alert(1)',
            '<a href="https://x.fr/" rel="nofollow">https://x.fr/</a>&quot;onmouseover=&quot;alert(1)',
        ),
    ],
)
def test_links_follow_the_same_rule_as_the_live_page(body, html):
    """The page's script links http://, https:// and www. addresses only, without the
    punctuation that ends a sentence; the server does the same, so a message reads the same
    live and after a reload."""
    from network.templatetags.channel_text import message_text

    assert message_text(body) == html
