import pytest
from django.core import mail

from network.models import MembershipStatus, Role
from network.services import MembershipError, member_approve, member_refuse


@pytest.mark.django_db
def test_approving_a_member_opens_the_space_and_tells_them_by_e_mail(
    pending_member, staff_member, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member_approve(member=pending_member, reviewer=staff_member)

    pending_member.refresh_from_db()
    assert pending_member.status == MembershipStatus.APPROVED
    assert pending_member.reviewed_by == staff_member
    assert pending_member.reviewed_at is not None
    assert [m.to for m in mail.outbox] == [[pending_member.email]]
    assert "/compte/login/" in mail.outbox[0].body
    assert client_for(pending_member).get("/espace/").status_code == 200


@pytest.mark.django_db
def test_refusing_a_member_keeps_the_reason_and_sends_it(
    pending_member, staff_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member_refuse(
            member=pending_member, reviewer=staff_member, reason="  Le café n'est pas en France.  "
        )

    pending_member.refresh_from_db()
    assert pending_member.status == MembershipStatus.REFUSED
    assert pending_member.refusal_reason == "Le café n'est pas en France."
    assert len(mail.outbox) == 1
    assert "Le café n'est pas en France." in mail.outbox[0].body


@pytest.mark.django_db
def test_refusal_without_a_reason_is_refused_and_changes_nothing(pending_member, staff_member):
    with pytest.raises(MembershipError) as error:
        member_refuse(member=pending_member, reviewer=staff_member, reason="   ")

    assert "raison" in error.value.message
    pending_member.refresh_from_db()
    assert pending_member.status == MembershipStatus.PENDING
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_request_cannot_be_decided_twice(pending_member, staff_member):
    member_approve(member=pending_member, reviewer=staff_member)

    with pytest.raises(MembershipError) as error:
        member_refuse(member=pending_member, reviewer=staff_member, reason="Trop tard")

    assert "déjà été traitée" in error.value.message
    pending_member.refresh_from_db()
    assert pending_member.status == MembershipStatus.APPROVED
    assert pending_member.refusal_reason == ""


@pytest.mark.django_db
def test_approved_staff_can_use_the_admin(member_factory, staff_member, client_for):
    newcomer = member_factory(role=Role.STAFF, status=MembershipStatus.PENDING)
    assert client_for(newcomer).get("/cms/")["Location"] == "/adhesion/"

    member_approve(member=newcomer, reviewer=staff_member)

    newcomer.refresh_from_db()
    assert newcomer.is_staff
    assert newcomer.has_perm("wagtailadmin.access_admin")
    assert client_for(newcomer).get("/cms/").status_code == 200


@pytest.mark.django_db
def test_e_mails_follow_the_member_language(
    member_factory, staff_member, django_capture_on_commit_callbacks
):
    english = member_factory(status=MembershipStatus.PENDING, language="en")
    french = member_factory(status=MembershipStatus.PENDING, language="fr")

    with django_capture_on_commit_callbacks(execute=True):
        member_approve(member=english, reviewer=staff_member)
        member_approve(member=french, reviewer=staff_member)

    assert "approved" in mail.outbox[0].subject
    assert "acceptée" in mail.outbox[1].subject
