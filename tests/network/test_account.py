"""Password reset and change, for members whatever their status."""

import re

import pytest
from django.core import mail

from network.models import MembershipStatus
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _site(home_page):
    return home_page


@pytest.mark.django_db
def test_a_forgotten_password_can_be_reset_from_the_e_mail(client, manager):
    client.post("/compte/password/reset/", {"email": manager.email})
    link = re.search(r"https?://[^/\s]+(/compte/password/reset/key/[^\s]+/)", mail.outbox[0].body)

    form = client.get(link.group(1), follow=True)
    response = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link.group(1),
        {"password1": "Nouveau-zinc-du-bar-7", "password2": "Nouveau-zinc-du-bar-7"},
    )

    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.check_password("Nouveau-zinc-du-bar-7")


@pytest.mark.django_db
def test_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post("/compte/password/reset/", {"email": "inconnu@exemple.fr"})

    assert response.status_code == 302
    # allauth tells the unknown address that it has no account, and nobody else.
    assert [m.to for m in mail.outbox] in ([], [["inconnu@exemple.fr"]])


@pytest.mark.django_db
@pytest.mark.parametrize("status", [MembershipStatus.APPROVED, MembershipStatus.PENDING])
def test_member_changes_their_password(client_for, member_factory, status):
    member = member_factory(status=status)
    client = client_for(member)

    response = client.post(
        "/compte/password/change/",
        {"oldpassword": PASSWORD, "password1": "Autre-zinc-42-ok", "password2": "Autre-zinc-42-ok"},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("Autre-zinc-42-ok")


@pytest.mark.django_db
def test_wrong_current_password_is_refused_in_french(client_for, manager):
    response = client_for(manager).post(
        "/compte/password/change/",
        {
            "oldpassword": "pas-le-bon",
            "password1": "Autre-zinc-42-ok",
            "password2": "Autre-zinc-42-ok",
        },
    )

    assert response.status_code == 200
    assert "Merci d&#x27;indiquer votre mot de passe actuel." in response.content.decode()
    manager.refresh_from_db()
    assert manager.check_password(PASSWORD)


@pytest.mark.django_db
def test_a_form_sent_without_its_csrf_token_gets_a_french_page(manager):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)

    response = client.post("/compte/login/", {"login": manager.email, "password": PASSWORD})

    assert response.status_code == 403
    page = response.content.decode().replace("&#x27;", "'")
    assert "Le formulaire a expiré" in page
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_account_forms_show_the_error_summary_in_french(client, manager):
    """allauth's forms, shown again with their errors, open with the site's error summary like
    every other form (found by tests/comptoir/test_form_fuzz.py)."""
    response = client.post("/compte/login/", {"login": manager.email, "password": "pas-le-bon"})

    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in content
    assert "Veuillez corriger les points suivants" in content
