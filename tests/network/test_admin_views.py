"""Staff review membership requests in the Wagtail admin."""

import pytest
from django.core import mail

from network.models import MembershipStatus, Role


@pytest.fixture(autouse=True)
def _site(home_page):
    return home_page


@pytest.mark.django_db
def test_staff_see_pending_members_with_verified_e_mail_only(
    member_factory, staff_member, client_for
):
    waiting = member_factory(status=MembershipStatus.PENDING, first_name="Odile")
    member_factory(status=MembershipStatus.PENDING, first_name="Nonverifiee", verified=False)
    member_factory(status=MembershipStatus.APPROVED, first_name="Deja")

    page = client_for(staff_member).get("/cms/adhesions/").content.decode()

    assert "Odile" in page
    assert waiting.email in page
    assert "Nonverifiee" not in page
    assert "Deja" not in page


@pytest.mark.django_db
def test_the_admin_menu_links_to_the_requests(staff_member, client_for):
    page = client_for(staff_member).get("/cms/").content.decode()

    assert "/cms/adhesions/" in page


@pytest.mark.django_db
def test_staff_approve_from_the_listing(
    pending_member, staff_member, client_for, django_capture_on_commit_callbacks
):
    client = client_for(staff_member)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/cms/adhesions/{pending_member.pk}/approve/", follow=True)

    pending_member.refresh_from_db()
    assert pending_member.status == MembershipStatus.APPROVED
    assert pending_member.email not in response.content.decode().split("<tbody>")[-1]
    assert [m.to for m in mail.outbox] == [[pending_member.email]]


@pytest.mark.django_db
def test_approve_needs_a_post(pending_member, staff_member, client_for):
    response = client_for(staff_member).get(f"/cms/adhesions/{pending_member.pk}/approve/")

    assert response.status_code == 405
    pending_member.refresh_from_db()
    assert pending_member.status == MembershipStatus.PENDING


@pytest.mark.django_db
def test_staff_refuse_with_a_reason(
    pending_member, staff_member, client_for, django_capture_on_commit_callbacks
):
    client = client_for(staff_member)
    url = f"/cms/adhesions/{pending_member.pk}/refuse/"

    form_page = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Le café est à Lyon."})

    assert form_page.status_code == 200
    assert 'name="reason"' in form_page.content.decode()
    assert response.status_code == 302
    pending_member.refresh_from_db()
    assert pending_member.status == MembershipStatus.REFUSED
    assert "Le café est à Lyon." in mail.outbox[0].body


@pytest.mark.django_db
def test_refusing_without_a_reason_shows_the_error_and_keeps_the_request(
    pending_member, staff_member, client_for
):
    response = client_for(staff_member).post(
        f"/cms/adhesions/{pending_member.pk}/refuse/", {"reason": "   "}
    )

    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    pending_member.refresh_from_db()
    assert pending_member.status == MembershipStatus.PENDING
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_request_already_decided_is_not_found(member_factory, staff_member, client_for):
    approved = member_factory(status=MembershipStatus.APPROVED)

    response = client_for(staff_member).post(
        f"/cms/adhesions/{approved.pk}/refuse/", {"reason": "x"}
    )

    assert response.status_code == 404
    approved.refresh_from_db()
    assert approved.status == MembershipStatus.APPROVED


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.MANAGER, Role.PROFESSIONAL, Role.SUPPLIER, Role.RESIDENT])
def test_other_roles_cannot_review(member_factory, pending_member, client_for, role):
    client = client_for(member_factory(role=role))

    listing = client.get("/cms/adhesions/")
    approve = client.post(f"/cms/adhesions/{pending_member.pk}/approve/")

    assert listing.status_code == 403
    assert approve.status_code == 403
    assert "Vous ne pouvez pas ouvrir cette page" in listing.content.decode()
    pending_member.refresh_from_db()
    assert pending_member.status == MembershipStatus.PENDING
