"""Demo accounts for `make run`: one per role, plus one request waiting for review."""

from allauth.account.models import EmailAddress
from django.db import transaction

from network.models import Member, MembershipStatus, Role
from network.services import programme_staff_group_ensure

DEMO_PASSWORD = "comptoir-demo"  # noqa: S105 (demo only, printed by `make run`)

DEMO_MEMBERS = [
    ("equipe@comptoir.example", "Claire", "Morel", Role.STAFF, MembershipStatus.APPROVED),
    ("gerante@comptoir.example", "Sophie", "Bernard", Role.MANAGER, MembershipStatus.APPROVED),
    ("pro@comptoir.example", "Karim", "Haddad", Role.PROFESSIONAL, MembershipStatus.APPROVED),
    ("fournisseur@comptoir.example", "Luc", "Garnier", Role.SUPPLIER, MembershipStatus.APPROVED),
    ("habitant@comptoir.example", "Jeanne", "Roux", Role.RESIDENT, MembershipStatus.APPROVED),
    ("en-attente@comptoir.example", "Paul", "Lefèvre", Role.MANAGER, MembershipStatus.PENDING),
]


@transaction.atomic
def demo_members_ensure() -> list[Member]:
    members = []
    for email, first_name, last_name, role, status in DEMO_MEMBERS:
        member = Member.objects.filter(email=email).first()
        if member is None:
            member = Member.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                first_name=first_name,
                last_name=last_name,
                role=role,
                status=status,
                is_trainer=role == Role.PROFESSIONAL,
            )
            if role == Role.STAFF:
                member.is_staff = True
                member.is_superuser = True
                member.save(update_fields=["is_staff", "is_superuser"])
                member.groups.add(programme_staff_group_ensure())
        EmailAddress.objects.update_or_create(
            user=member, email=email, defaults={"verified": True, "primary": True}
        )
        members.append(member)
    return members
