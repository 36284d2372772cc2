"""Writing to a directory entry: the site relays the message by e-mail and never shows the
receiver's address to the sender."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from directory.models import ContactMessage, EntryKind, ValidationStatus
from directory.services import (
    CONTACT_LIMIT,
    DirectoryError,
    contact_message_send,
    manager_profile_save,
)
from network.models import Role

REQUIRED = "Ce champ est obligatoire."


def contact_url(kind: str, object_id: int) -> str:
    return reverse("directory:contact", args=[kind, object_id])


def message_data(**overrides) -> dict:
    data = {"subject": "Livraison de jus de pomme", "body": "Bonjour, livrez-vous à Sulignat ?"}
    return data | overrides


@pytest.fixture
def sender(member_factory, cafe_factory):
    member = member_factory(role=Role.MANAGER, first_name="Léa", last_name="Martin")
    cafe_factory(name="Le Bistrot de Sulignat", managers=[member])
    return member


@pytest.fixture
def post(client_for, django_capture_on_commit_callbacks):
    """POST as a member, running what the service leaves for after the commit."""

    def send(member, url, data, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client_for(member).post(url, data, **kwargs)

    return send


def test_a_manager_writes_to_a_supplier_through_its_account(
    sender, supplier_factory, supplier_member, client_for, post
):
    supplier = supplier_factory(
        member=supplier_member, email="vitrine@fournisseur.fr", email_visibility="members"
    )
    url = contact_url("supplier", supplier.pk)

    page = client_for(sender).get(url)
    assert page.status_code == 200
    assert 'name="body"' in page.content.decode()

    response = post(sender, url, message_data(), follow=True)

    assert response.redirect_chain == [(supplier.get_absolute_url(), 302)]
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    [sent] = mail.outbox
    assert sent.to == [supplier_member.email]
    assert sent.reply_to == [sender.email]
    assert sent.from_email == settings.DEFAULT_FROM_EMAIL
    assert sent.subject.startswith("[Comptoir] Léa Martin ")
    assert sent.subject.endswith(": Livraison de jus de pomme")
    assert "Bonjour, livrez-vous à Sulignat ?" in sent.body
    assert "Léa Martin" in sent.body
    assert "Le Bistrot de Sulignat" in sent.body
    with translation.override(sender.language):
        assert str(Role.MANAGER.label) in sent.body  # in the recipient's language
    assert sender.email in sent.body  # how to answer
    message = ContactMessage.objects.get()
    assert message.sender == sender
    assert message.recipient == supplier_member
    assert message.recipient_email == supplier_member.email
    assert (message.about_kind, message.about_object_id) == (EntryKind.SUPPLIER, supplier.pk)
    # The contact page shows neither the account's address nor the profile's.
    for content in (page.content.decode(), client_for(sender).get(url).content.decode()):
        assert supplier_member.email not in content
        assert "vitrine@fournisseur.fr" not in content
        assert sender.email in content  # the sender is told what the receiver will see


def test_writing_to_a_professional_reaches_its_account(
    sender, professional_factory, member_factory, post
):
    account = member_factory(role=Role.PROFESSIONAL)
    professional = professional_factory(member=account, email="autre@exemple.fr")

    post(sender, contact_url("professional", professional.pk), message_data())

    assert [m.to for m in mail.outbox] == [[account.email]]


def test_writing_to_a_cafe_reaches_each_of_its_managers(sender, member_factory, cafe_factory, post):
    first, second = member_factory(), member_factory()
    cafe = cafe_factory(name="Café de Pérouges", commune="Pérouges", managers=[first, second])

    response = post(sender, contact_url("cafe", cafe.pk), message_data())

    assert response.status_code == 302
    # One mail each: no manager sees the other's address.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)
    assert all(m.reply_to == [sender.email] for m in mail.outbox)
    messages = ContactMessage.objects.all()
    assert {m.recipient for m in messages} == {first, second}
    assert len({m.created_at for m in messages}) == 1  # one sending


def test_writing_to_a_manager_reaches_that_member(sender, member_factory, cafe_factory, post):
    other = member_factory()
    cafe_factory(managers=[other])
    profile = manager_profile_save(actor=other, member=other, fields={})

    post(sender, contact_url("manager", profile.pk), message_data())

    assert [m.to for m in mail.outbox] == [[other.email]]
    assert ContactMessage.objects.get().recipient == other


def test_a_supplier_with_no_account_gets_the_mail_on_its_profile_address(
    sender, supplier_factory, client_for, post
):
    supplier = supplier_factory(email="contact@fournisseur.fr")
    url = contact_url("supplier", supplier.pk)

    assert "contact@fournisseur.fr" not in client_for(sender).get(url).content.decode()
    post(sender, url, message_data())

    [sent] = mail.outbox
    assert sent.to == ["contact@fournisseur.fr"]
    assert sent.reply_to == [sender.email]
    message = ContactMessage.objects.get()
    assert message.recipient is None
    assert message.recipient_email == "contact@fournisseur.fr"


def test_an_entry_with_no_one_to_receive_explains_and_sends_nothing(
    sender, supplier_factory, client_for, post
):
    supplier = supplier_factory()  # no account, no e-mail
    url = contact_url("supplier", supplier.pk)

    page = client_for(sender).get(url)
    assert page.status_code == 200
    assert page.context["refusal"] == "nobody"
    assert 'name="body"' not in page.content.decode()

    response = post(sender, url, message_data())
    assert response.status_code == 403
    assert ContactMessage.objects.count() == 0
    assert mail.outbox == []


def test_a_proposed_entry_cannot_be_used_to_write_to_any_address(sender, supplier_factory, post):
    """Otherwise a member could propose an entry with someone's address and make the site
    write to them."""
    supplier = supplier_factory(actor=sender, email="quelquun@exemple.fr")
    assert supplier.status == ValidationStatus.PROPOSED

    response = post(sender, contact_url("supplier", supplier.pk), message_data())

    assert response.status_code == 403
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"subject": "", "body": ""}, {"subject", "body"}),
        ({"subject": "   ", "body": "Bonjour"}, {"subject"}),
        ({"subject": "Bonjour", "body": " \r\n\t "}, {"body"}),
    ],
)
def test_an_empty_subject_or_body_is_a_field_error_in_french(
    sender, supplier_factory, post, data, errors
):
    supplier = supplier_factory(email="contact@fournisseur.fr")

    response = post(sender, contact_url("supplier", supplier.pk), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == errors
    assert all(form.errors[name] == [REQUIRED] for name in errors)
    assert REQUIRED in response.content.decode()
    assert ContactMessage.objects.count() == 0
    assert mail.outbox == []


def test_what_was_typed_stays_in_the_form(sender, supplier_factory, post):
    supplier = supplier_factory(email="contact@fournisseur.fr")

    response = post(
        sender, contact_url("supplier", supplier.pk), {"subject": "", "body": "Mon long texte"}
    )

    assert "Mon long texte" in response.content.decode()


def test_a_body_over_5000_characters_is_refused(sender, supplier_factory, post):
    supplier = supplier_factory(email="contact@fournisseur.fr")

    response = post(sender, contact_url("supplier", supplier.pk), message_data(body="a" * 5001))

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"body"}
    assert "5000" in response.context["form"].errors["body"][0]
    assert mail.outbox == []


def test_line_breaks_count_once_against_the_limit(sender, supplier_factory, post):
    """Browsers send CRLF; the page counted one character per line break."""
    supplier = supplier_factory(email="contact@fournisseur.fr")
    body = "abcd\r\n" * 1000  # 5,000 characters as typed, 6,000 as sent

    response = post(sender, contact_url("supplier", supplier.pk), message_data(body=body))

    assert response.status_code == 302
    assert ContactMessage.objects.get().body == ("abcd\n" * 1000).strip()


def test_html_is_sent_as_plain_text_and_never_rendered(sender, supplier_factory, post):
    supplier = supplier_factory(email="contact@fournisseur.fr")
    body = '<script>alert("x")</script> <b>gras</b> & <a href="http://x">lien</a>'

    # Re-shown after an error: escaped.
    response = post(sender, contact_url("supplier", supplier.pk), {"subject": "", "body": body})
    content = response.content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert" in content

    post(sender, contact_url("supplier", supplier.pk), message_data(body=body))
    [sent] = mail.outbox
    assert sent.content_subtype == "plain"
    assert not getattr(sent, "alternatives", None)
    assert body in sent.body  # as typed, not escaped nor interpreted


def test_a_subject_stays_on_one_line(sender, supplier_factory, post):
    supplier = supplier_factory(email="contact@fournisseur.fr")

    post(
        sender,
        contact_url("supplier", supplier.pk),
        message_data(subject="Bonjour\r\nBcc: victime@exemple.fr"),
    )

    [sent] = mail.outbox
    assert sent.subject.endswith(": Bonjour Bcc: victime@exemple.fr")
    assert sent.bcc == []
    assert ContactMessage.objects.get().subject == "Bonjour Bcc: victime@exemple.fr"


def test_the_eleventh_message_within_an_hour_is_refused(sender, supplier_factory, post):
    supplier = supplier_factory(email="contact@fournisseur.fr")
    url = contact_url("supplier", supplier.pk)
    now = timezone.now()
    older = [now - timedelta(hours=2)]  # outside the window: does not count
    recent = [now - timedelta(minutes=minutes) for minutes in range(5, 5 + CONTACT_LIMIT - 1)]
    for created_at in older + recent:
        ContactMessage.objects.create(
            sender=sender,
            recipient_email="contact@fournisseur.fr",
            about_kind=EntryKind.SUPPLIER,
            about_object_id=supplier.pk,
            subject="Avant",
            body="Avant",
            created_at=created_at,
        )

    tenth = post(sender, url, message_data())
    assert tenth.status_code == 302
    assert len(mail.outbox) == 1

    eleventh = post(sender, url, message_data(body="Encore un message"))

    assert eleventh.status_code == 200
    [error] = eleventh.context["form"].non_field_errors()
    assert str(CONTACT_LIMIT) in error
    assert error in eleventh.content.decode()
    assert "Encore un message" in eleventh.content.decode()  # nothing lost
    assert len(mail.outbox) == 1
    assert ContactMessage.objects.count() == 1 + CONTACT_LIMIT


def test_a_message_to_several_managers_counts_as_one_sending(
    sender, member_factory, cafe_factory, supplier_factory
):
    cafe = cafe_factory(managers=[member_factory(), member_factory(), member_factory()])
    supplier = supplier_factory(email="contact@fournisseur.fr")

    for _number in range(CONTACT_LIMIT - 1):
        contact_message_send(sender=sender, kind="cafe", obj=cafe, subject="S", body="B")
    contact_message_send(sender=sender, kind="supplier", obj=supplier, subject="S", body="B")
    with pytest.raises(DirectoryError):
        contact_message_send(sender=sender, kind="supplier", obj=supplier, subject="S", body="B")


def test_a_resident_may_not_open_the_contact_page(resident, supplier_factory, client_for):
    supplier = supplier_factory(email="contact@fournisseur.fr")

    response = client_for(resident).post(contact_url("supplier", supplier.pk), message_data())

    assert response.status_code == 403
    assert client_for(resident).get(contact_url("supplier", supplier.pk)).status_code == 403
    assert ContactMessage.objects.count() == 0


def test_a_resident_cannot_send_through_the_service(resident, supplier_factory):
    supplier = supplier_factory(email="contact@fournisseur.fr")

    with pytest.raises(PermissionDenied):
        contact_message_send(sender=resident, kind="supplier", obj=supplier, subject="S", body="B")


def test_anonymous_visitors_are_sent_to_login(supplier_factory, client_for):
    supplier = supplier_factory(email="contact@fournisseur.fr")
    url = contact_url("supplier", supplier.pk)

    response = client_for(None).get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_unknown_kind_or_entry_is_not_found(sender, supplier_factory, client_for):
    supplier = supplier_factory(email="contact@fournisseur.fr")
    client = client_for(sender)

    assert client.get(f"/annuaire/inconnu/{supplier.pk}/contacter/").status_code == 404
    assert client.get(contact_url("supplier", supplier.pk + 1000)).status_code == 404


def test_an_entry_the_viewer_cannot_see_is_not_found(
    sender, member_factory, supplier_factory, client_for
):
    other = member_factory()
    proposed = supplier_factory(actor=other, email="contact@fournisseur.fr")

    assert client_for(sender).get(contact_url("supplier", proposed.pk)).status_code == 404


def test_a_member_cannot_write_to_their_own_entry(
    supplier_factory, supplier_member, client_for, post
):
    supplier = supplier_factory(member=supplier_member, email="contact@fournisseur.fr")
    url = contact_url("supplier", supplier.pk)

    page = client_for(supplier_member).get(url)
    assert page.context["refusal"] == "own"
    assert 'name="body"' not in page.content.decode()

    response = post(supplier_member, url, message_data())
    assert response.status_code == 403
    assert mail.outbox == []
    with pytest.raises(DirectoryError):
        contact_message_send(
            sender=supplier_member, kind="supplier", obj=supplier, subject="S", body="B"
        )
    assert ContactMessage.objects.count() == 0


def test_a_manager_cannot_write_to_their_own_cafe(sender, client_for, post):
    cafe = sender.cafes.get()

    assert client_for(sender).get(contact_url("cafe", cafe.pk)).context["refusal"] == "own"
    assert post(sender, contact_url("cafe", cafe.pk), message_data()).status_code == 403
    assert mail.outbox == []


def test_profile_pages_link_to_the_contact_page_except_ones_own(
    sender, supplier_factory, supplier_member, client_for
):
    supplier = supplier_factory(member=supplier_member)
    cafe = sender.cafes.get()
    link = 'href="{}"'

    assert link.format(contact_url("supplier", supplier.pk)) in (
        client_for(sender).get(supplier.get_absolute_url()).content.decode()
    )
    assert link.format(contact_url("supplier", supplier.pk)) not in (
        client_for(supplier_member).get(supplier.get_absolute_url()).content.decode()
    )
    assert link.format(contact_url("cafe", cafe.pk)) in (
        client_for(supplier_member).get(cafe.get_absolute_url()).content.decode()
    )
    assert link.format(contact_url("cafe", cafe.pk)) not in (
        client_for(sender).get(cafe.get_absolute_url()).content.decode()
    )
