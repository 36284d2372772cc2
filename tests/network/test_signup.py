"""Sign-up, e-mail verification and login, as a visitor goes through them."""

import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from network.models import Member, MembershipStatus, Role

SIGNUP_URL = "/compte/signup/"


def signup_data(**overrides) -> dict:
    data = {
        "email": "marie.dupont@exemple.fr",
        "first_name": "Marie",
        "last_name": "Dupont",
        "role": Role.MANAGER,
        "password1": "Un-comptoir-en-zinc-42",
        "password2": "Un-comptoir-en-zinc-42",
    }
    data.update(overrides)
    return data


def verification_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/compte/confirm-email/[^\s]+/)", message.body).group(1)


@pytest.fixture(autouse=True)
def _site(home_page):
    return home_page


@pytest.mark.django_db
def test_signup_creates_a_pending_member_and_sends_the_verification_link(client):
    response = client.post(SIGNUP_URL, signup_data())

    assert response.status_code == 302
    member = Member.objects.get(email="marie.dupont@exemple.fr")
    assert member.role == Role.MANAGER
    assert member.status == MembershipStatus.PENDING
    assert member.first_name == "Marie"
    assert member.language == "fr"
    assert not EmailAddress.objects.get(user=member).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["marie.dupont@exemple.fr"]
    assert "/compte/confirm-email/" in mail.outbox[0].body


@pytest.mark.django_db
def test_verified_member_lands_on_the_pending_page_and_staff_are_told(
    client, staff_member, django_capture_on_commit_callbacks
):
    client.post(SIGNUP_URL, signup_data())
    link = verification_link(mail.outbox[0])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link, follow=True)

    assert response.redirect_chain[-1][0] == reverse("membership_status")
    assert "Votre adhésion est en cours d'examen" in response.content.decode()
    assert EmailAddress.objects.get(email="marie.dupont@exemple.fr").verified
    to_staff = [m for m in mail.outbox if m.to == [staff_member.email]]
    assert len(to_staff) == 1
    assert "Marie Dupont" in to_staff[0].subject
    assert "/cms/adhesions/" in to_staff[0].body
    # The members' space stays closed until staff approve.
    assert client.get("/espace/")["Location"] == reverse("membership_status")


@pytest.mark.django_db
def test_unverified_member_cannot_log_in_before_confirming(client):
    client.post(SIGNUP_URL, signup_data())
    client.logout()

    response = client.post(
        "/compte/login/",
        {"login": "marie.dupont@exemple.fr", "password": "Un-comptoir-en-zinc-42"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_signup_with_an_e_mail_already_used_changes_nothing(client, manager):
    """allauth prevents enumeration: the form looks accepted, the owner is warned by e-mail."""
    before = Member.objects.count()

    response = client.post(SIGNUP_URL, signup_data(email=manager.email.upper()))

    assert response.status_code == 302
    assert Member.objects.count() == before
    manager.refresh_from_db()
    assert manager.first_name != "Marie"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [manager.email]
    assert "/compte/confirm-email/" not in mail.outbox[0].body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "pas-une-adresse"}, "email", "Saisissez une adresse e-mail valide."),
        (
            {"password1": "azerty", "password2": "azerty"},
            "password1",
            "Ce mot de passe est trop court.",
        ),
        (
            {"password1": "0123456789123", "password2": "0123456789123"},
            "password1",
            "Ce mot de passe est entièrement numérique.",
        ),
        ({"password2": "Autre-chose-encore-42"}, "password2", "Vous devez saisir deux fois"),
        ({"role": "staff"}, "role", "Sélectionnez un choix valide."),
        ({"role": "resident"}, "role", "Sélectionnez un choix valide."),
        ({"first_name": "  "}, "first_name", "Ce champ est obligatoire."),
    ],
)
def test_bad_signup_input_is_refused_in_french_and_creates_nothing(
    client, overrides, field, message
):
    response = client.post(SIGNUP_URL, signup_data(**overrides))

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Member.objects.filter(email="marie.dupont@exemple.fr").exists()
    assert not EmailAddress.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_expired_verification_link_is_refused_with_a_french_message(client, settings):
    client.post(SIGNUP_URL, signup_data())
    link = verification_link(mail.outbox[0])
    member = Member.objects.get(email="marie.dupont@exemple.fr")
    address = EmailAddress.objects.get(user=member)
    # HMAC keys carry their signing time: move the clock past the expiry.
    later = (
        time.time()
        + timedelta(days=settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS + 1).total_seconds()
    )

    with mock.patch("django.core.signing.time.time", return_value=later):
        page = client.get(link)
        response = client.post(link)

    assert "Ce lien de confirmation d'adresse e-mail a expiré ou n'est pas valide" in (
        page.content.decode().replace("&#x27;", "'")
    )
    assert response.status_code in (200, 404)
    address.refresh_from_db()
    assert not address.verified


@pytest.mark.django_db
def test_a_verification_link_used_twice_does_nothing_more(client):
    client.post(SIGNUP_URL, signup_data())
    link = verification_link(mail.outbox[0])
    client.post(link)
    sent_before = len(mail.outbox)

    again = client.get(link)

    assert again.status_code in (200, 404)
    assert len(mail.outbox) == sent_before
    assert EmailAddress.objects.filter(email="marie.dupont@exemple.fr").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_url", ["https://evil.example/phish", "//evil.example/", "/\\evil.example"]
)
def test_login_never_redirects_outside_the_site(client, manager, next_url):
    response = client.post(
        f"/compte/login/?next={next_url}",
        {"login": manager.email, "password": "un-mot-de-passe-solide", "next": next_url},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("members_home")


@pytest.mark.django_db
def test_login_follows_a_local_next(client, manager):
    response = client.post(
        "/compte/login/?next=/espace/",
        {"login": manager.email, "password": "un-mot-de-passe-solide", "next": "/espace/"},
    )

    assert response["Location"] == "/espace/"


@pytest.mark.django_db
def test_wrong_password_gets_a_french_message(client, manager):
    response = client.post("/compte/login/", {"login": manager.email, "password": "mauvais"})

    assert response.status_code == 200
    assert "L’adresse e-mail ou le mot de passe sont incorrects." in response.content.decode()


@pytest.mark.django_db
def test_login_failures_are_rate_limited(client, manager, settings):
    from django.core.cache import cache

    from comptoir.settings import base

    # The limits production runs with (allauth's defaults: 5 failures per account in 5 minutes).
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    cache.clear()

    for _attempt in range(5):
        client.post("/compte/login/", {"login": manager.email, "password": "mauvais"})
    response = client.post(
        "/compte/login/", {"login": manager.email, "password": "un-mot-de-passe-solide"}
    )

    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)
    assert "Trop de tentatives" in response.content.decode() or response.status_code == 429
