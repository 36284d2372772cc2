"""Reporting a message, staff moderation, search in the channels and the member's choice of
e-mails about the channels."""

import re

import pytest
from django.core import mail
from django.core.cache import cache

from network.models import ChannelKind, Member, Message, MessageReport, Role
from network.services.channels import (
    channel_create,
    channel_join,
    direct_conversation_open,
    message_payload,
    message_post,
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
def author(member_factory, topic):
    member = member_factory(role=Role.PROFESSIONAL, first_name="Bob", last_name="Durand")
    channel_join(member=member, channel=topic)
    return member


@pytest.fixture
def reader(member_factory, topic):
    member = member_factory(first_name="Alice", last_name="Martin")
    channel_join(member=member, channel=topic)
    return member


def post(author, channel, body) -> Message:
    message, _created = message_post(author=author, channel=channel, body=body)
    return message


def page(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def report_url(message) -> str:
    return f"/reseau/messages/{message.pk}/signaler/"


def hide_url(message) -> str:
    return f"/reseau/messages/{message.pk}/masquer/"


# --- Reporting -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_member_reports_a_message_and_staff_are_told(
    client_for, topic, author, reader, staff_member, django_capture_on_commit_callbacks
):
    message = post(author, topic, "Achetez mes bouteilles, prix cassés !")
    client = client_for(reader)

    response = client.get(report_url(message))
    assert response.status_code == 200
    html = page(response)
    assert "<h1>Signaler un message</h1>" in html
    assert "Achetez mes bouteilles, prix cassés !" in html
    assert "Qu'est-ce qui ne va pas dans ce message ?" in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(report_url(message), {"reason": "Publicité"})

    assert response.status_code == 302
    assert response["Location"] == f"/reseau/canaux/{topic.pk}/?avant={message.seq + 1}"
    report = MessageReport.objects.get()
    assert (report.message, report.reporter, report.reason) == (message, reader, "Publicité")
    assert report.resolved_at is None
    assert [m.to for m in mail.outbox] == [[staff_member.email]]
    sent = mail.outbox[0]
    assert sent.subject == "[Comptoir] Message signalé dans « Approvisionnement »"
    assert (
        "Alice Martin a signalé un message de Bob Durand dans « Approvisionnement »." in sent.body
    )
    assert "Publicité" in sent.body
    assert "/reseau/signalements/" in sent.body
    # The confirmation is shown on the next page.
    assert "Merci : votre signalement a été transmis à l'équipe du programme" in page(
        client.get("/reseau/notifications/")
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reason", "error"),
    [
        ("", "Indiquez ce qui ne va pas dans ce message."),
        ("x" * 1001, "Le motif doit faire moins de 1 000 caractères."),
    ],
)
def test_a_report_needs_a_reason_of_reasonable_length(
    reason, error, client_for, topic, author, reader
):
    message = post(author, topic, "Un message ordinaire.")

    response = client_for(reader).post(report_url(message), {"reason": reason})

    assert response.status_code == 200
    assert error in page(response)
    assert not MessageReport.objects.exists()


@pytest.mark.django_db
def test_a_message_is_reported_once_per_member(client_for, topic, author, reader):
    message = post(author, topic, "Un message discuté.")
    client = client_for(reader)
    client.post(report_url(message), {"reason": "Insultant"})

    again = client.post(report_url(message), {"reason": "Toujours insultant"})
    assert "Vous avez déjà signalé ce message." in page(again)
    assert "Vous avez déjà signalé ce message." in page(client.get(report_url(message)))
    assert MessageReport.objects.count() == 1


@pytest.mark.django_db
def test_nobody_reports_their_own_message(client_for, topic, author):
    message = post(author, topic, "Mon propre message.")

    response = client_for(author).post(report_url(message), {"reason": "Test"})

    assert "Vous ne pouvez pas signaler votre propre message." in page(response)
    assert not MessageReport.objects.exists()


@pytest.mark.django_db
def test_messages_one_cannot_read_cannot_be_reported(client_for, member_factory, staff_member):
    insider = member_factory(first_name="Claire")
    outsider = member_factory(first_name="Denis")
    private = channel_create(
        actor=staff_member, kind=ChannelKind.PRIVATE, name="Projet secret", members=[insider]
    )
    message = post(insider, private, "Entre nous.")
    client = client_for(outsider)

    assert client.get(report_url(message)).status_code == 404
    assert client.post(report_url(message), {"reason": "Curieux"}).status_code == 404
    assert client.get("/reseau/messages/999999/signaler/").status_code == 404
    assert not MessageReport.objects.exists()


# --- Staff moderation ------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_see_open_reports_and_hide_a_message_with_the_reason_kept(
    client_for, topic, author, reader, staff_member
):
    message = post(author, topic, "<b>Des propos</b> injurieux")
    client_for(reader).post(report_url(message), {"reason": "Injures envers un collègue"})
    staff = client_for(staff_member)

    listing = page(staff.get("/reseau/signalements/"))
    assert "<h1>Messages signalés</h1>" in listing
    assert "1 signalement en cours" in listing
    assert "Message de Bob Durand dans « Approvisionnement »" in listing
    assert "Alice Martin, le " in listing
    assert "Injures envers un collègue" in listing
    assert "&lt;b&gt;Des propos&lt;/b&gt; injurieux" in listing
    assert "<b>Des propos" not in listing

    response = staff.post(hide_url(message), {"reason": "Propos injurieux"})

    assert response.status_code == 302
    assert response["Location"] == "/reseau/signalements/"
    message.refresh_from_db()
    assert message.hidden_at is not None
    assert message.hidden_by == staff_member
    assert message.hidden_reason == "Propos injurieux"
    report = MessageReport.objects.get()
    assert report.resolved_at is not None and report.resolved_by == staff_member
    payload = message_payload(message)
    assert payload["hidden"] is True and payload["body"] == ""
    after = page(staff.get("/reseau/signalements/"))
    assert "Le message est masqué" in after
    assert "Aucun signalement en attente : tout va bien." in after


@pytest.mark.django_db
def test_hiding_needs_a_reason(client_for, topic, author, staff_member):
    message = post(author, topic, "Message douteux.")

    response = client_for(staff_member).post(hide_url(message), {"reason": "  "})

    assert response.status_code == 200
    assert "Indiquez pourquoi le message est masqué." in page(response)
    message.refresh_from_db()
    assert message.hidden_at is None


@pytest.mark.django_db
def test_staff_close_reports_and_keep_the_message(client_for, topic, author, reader, staff_member):
    message = post(author, topic, "Un avis tranché mais correct.")
    client_for(reader).post(report_url(message), {"reason": "Je ne suis pas d'accord"})

    response = client_for(staff_member).post(
        "/reseau/signalements/", {"dismiss": str(message.pk)}, follow=True
    )

    html = page(response)
    assert "Le signalement est clos ; le message reste affiché." in html
    assert "Aucun signalement en attente" in html
    assert MessageReport.objects.get().resolved_by == staff_member
    message.refresh_from_db()
    assert message.hidden_at is None


@pytest.mark.django_db
def test_reports_on_a_conversation_can_be_closed_not_hidden(
    client_for, member_factory, staff_member
):
    alice = member_factory(first_name="Alice")
    bob = member_factory(first_name="Bob")
    conversation = direct_conversation_open(member=alice, other=bob)
    message = post(bob, conversation, "Message privé désagréable.")
    client_for(alice).post(report_url(message), {"reason": "Harcèlement"})
    staff = client_for(staff_member)

    listing = page(staff.get("/reseau/signalements/"))
    assert "ne peuvent pas être masqués" in listing
    assert hide_url(message) not in listing

    staff.post(hide_url(message), {"reason": "Harcèlement"})
    message.refresh_from_db()
    assert message.hidden_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.MANAGER, Role.PROFESSIONAL, Role.RESIDENT])
def test_moderation_is_for_staff_only(role, client_for, member_factory, topic, author):
    message = post(author, topic, "Un message.")
    client = client_for(member_factory(role=role))

    assert client.get("/reseau/signalements/").status_code == 403
    assert client.post("/reseau/signalements/", {"dismiss": str(message.pk)}).status_code == 403
    assert client.post(hide_url(message), {"reason": "Je n'aime pas"}).status_code == 403
    message.refresh_from_db()
    assert message.hidden_at is None


@pytest.mark.django_db
def test_the_report_list_query_count_does_not_grow_with_reports(
    client_for, member_factory, topic, author, staff_member, django_assert_max_num_queries
):
    for number in range(6):
        reporter = member_factory(first_name=f"Témoin{number}")
        message = post(author, topic, f"Message {number}")
        client_for(reporter).post(report_url(message), {"reason": "À vérifier"})
    staff = client_for(staff_member)

    with django_assert_max_num_queries(12):
        response = staff.get("/reseau/signalements/")

    assert "6 signalements en cours" in page(response)


# --- Search ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_search_finds_visible_messages_of_readable_channels_only(
    client_for, member_factory, topic, author, reader, staff_member
):
    found = post(author, topic, "Le fournisseur de café bio livre le jeudi.")
    hidden = post(author, topic, "Fournisseur à éviter, message masqué.")
    client_for(staff_member).post(hide_url(hidden), {"reason": "Diffamation"})
    insider = member_factory(first_name="Claire")
    private = channel_create(
        actor=staff_member, kind=ChannelKind.PRIVATE, name="Projet secret", members=[insider]
    )
    post(insider, private, "Notre fournisseur secret.")

    response = client_for(reader).get("/reseau/recherche/", {"q": "fournisseur"})

    assert response.status_code == 200
    html = page(response)
    assert "1 message trouvé" in html
    assert "<mark>fournisseur</mark> de café bio" in html
    assert f"/reseau/canaux/{topic.pk}/?avant={found.seq + 1}" in html
    assert "Approvisionnement" in html
    assert "Bob Durand" in html
    assert "masqué" not in html.split("<h1>")[1]
    assert "secret" not in html


@pytest.mark.django_db
def test_search_escapes_the_messages(client_for, topic, author, reader):
    post(author, topic, '<script>alert("x")</script> Recherche de serveuse pour l\'été')

    html = page(client_for(reader).get("/reseau/recherche/", {"q": "serveuse"}))

    assert "<script>alert" not in html
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Recherche de <mark>serveuse</mark>"
        in html
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("", "Saisissez ce que vous cherchez."),
        ("   ", "Saisissez ce que vous cherchez."),
        ("a", "Saisissez au moins 2 caractères."),
        ("x" * 101, "Saisissez 100 caractères au maximum."),
    ],
)
def test_search_needs_a_query_of_2_to_100_characters(query, error, client_for, reader):
    response = client_for(reader).get("/reseau/recherche/", {"q": query})

    assert response.status_code == 200
    html = page(response)
    assert error in html
    assert "trouvé" not in html


@pytest.mark.django_db
def test_the_search_page_opens_without_a_query(client_for, reader):
    html = page(client_for(reader).get("/reseau/recherche/"))

    assert "<h1>Rechercher dans les canaux</h1>" in html
    assert '<label for="id_q">Mots à rechercher</label>' in html
    assert "Saisissez" not in html


@pytest.mark.django_db
def test_search_query_count_does_not_grow_with_results(
    client_for, topic, author, reader, django_assert_max_num_queries
):
    for number in range(8):
        post(author, topic, f"Livraison de pain numéro {number}")
    client = client_for(reader)

    with django_assert_max_num_queries(8):
        response = client.get("/reseau/recherche/", {"q": "pain"})

    assert "8 messages trouvés" in page(response)


# --- E-mails about the channels --------------------------------------------------------------


@pytest.mark.django_db
def test_the_member_chooses_how_they_hear_of_their_channels(client_for, reader):
    client = client_for(reader)

    html = page(client.get("/reseau/notifications/"))
    assert "<h1>E-mails sur les canaux</h1>" in html
    for label in ("Jamais", "À chaque mention de mon nom", "Un résumé quotidien"):
        assert label in html
    assert re.search(r'value="daily"[^>]*checked', html)
    assert not re.search(r'value="(off|mention)"[^>]*checked', html)

    response = client.post("/reseau/notifications/", {"digest_frequency": "mention"}, follow=True)

    assert "Votre choix d'e-mails est enregistré." in page(response)
    reader.refresh_from_db()
    assert reader.digest_frequency == "mention"


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{"digest_frequency": "hourly"}, {}])
def test_an_unknown_or_missing_choice_is_refused_in_french(data, client_for, reader):
    response = client_for(reader).post("/reseau/notifications/", data)

    assert response.status_code == 200
    assert "Choisissez l'une des options." in page(response)
    assert Member.objects.get(pk=reader.pk).digest_frequency == "daily"


@pytest.mark.django_db
def test_staff_cannot_read_an_unreported_direct_message_through_the_hide_page(
    client_for, member_factory, staff_member
):
    alice = member_factory(first_name="Alice")
    bob = member_factory(first_name="Bob")
    conversation = direct_conversation_open(member=alice, other=bob)
    secret = post(bob, conversation, "Rendez-vous chez le notaire mardi.")
    staff = client_for(staff_member)

    response = staff.get(hide_url(secret))
    assert response.status_code == 404
    assert "notaire" not in page(response)
    assert staff.post(hide_url(secret), {"reason": "Curiosité"}).status_code == 404

    # Once a member of the conversation reports it, staff see the message they were shown.
    client_for(alice).post(report_url(secret), {"reason": "Harcèlement"})
    response = staff.get(hide_url(secret))
    assert response.status_code == 200
    assert "notaire" in page(response)
