"""CSRF on every form: a POST without the form's token is refused on every route of the site,
before any view runs, with a French page that says nothing was saved."""

import pytest
from django.test import Client

from network.models import Role

from .test_route_walk import ROUTES


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.STAFF, Role.MANAGER, Role.RESIDENT])
def test_a_post_without_its_token_is_refused_everywhere(
    role, member_factory, cafe_factory, home_page
):
    cafe = cafe_factory(name="Café A")
    member = member_factory(role=role, resident_cafe=cafe if role == Role.RESIDENT else None)
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    client.raise_request_exception = False

    accepted = []
    for route in ROUTES:
        if "logout" in route.url:
            continue  # checked below, last: it would end the session
        response = client.post(route.url, {"title": "Sans jeton", "body": "Sans jeton"})
        body = response.content.decode()
        # Wagtail's admin API (Django REST framework) checks the token itself, in JSON.
        refused = "Rien n'a été enregistré" in body or "CSRF Failed" in body
        if role != Role.STAFF:  # routes closed to the role are refused before any form is read
            refused = refused or "<title>Accès refusé" in body
        if response.status_code != 403 or not refused:
            accepted.append((route.url, response.status_code))

    assert not accepted, f"POST without a CSRF token not refused: {accepted}"
    response = client.post("/compte/logout/")
    assert response.status_code == 403 and "_auth_user_id" in client.session
