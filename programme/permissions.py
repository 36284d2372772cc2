"""Who may apply, review and follow a café's support. Views, templates and services call these
same helpers."""

from directory.permissions import is_staff
from network.models import Member, Role
from network.permissions import is_approved_member

from .models import Application, SupportFile

# Managers apply and follow their plan; professionals may coach; staff do everything.
PROGRAMME_ROLES = (Role.MANAGER, Role.PROFESSIONAL, Role.STAFF)
COACH_ROLES = (Role.STAFF, Role.PROFESSIONAL)


def can_use_programme(member: Member) -> bool:
    return is_approved_member(member) and (member.role in PROGRAMME_ROLES or member.is_superuser)


def can_apply(member: Member) -> bool:
    return is_approved_member(member) and member.role == Role.MANAGER


def is_cafe_manager(member: Member, cafe) -> bool:
    return cafe.managers.filter(pk=member.pk).exists()


def can_view_application(member: Member, application: Application) -> bool:
    if is_staff(member):
        return True
    return can_apply(member) and (
        application.applicant_id == member.pk or is_cafe_manager(member, application.cafe)
    )


def can_edit_application(member: Member, application: Application) -> bool:
    """Its applicant, while it is a draft or staff asked for more information."""
    return (
        can_apply(member)
        and application.applicant_id == member.pk
        and application.is_editable
        and is_cafe_manager(member, application.cafe)
    )


def can_review_applications(member: Member) -> bool:
    return is_staff(member)


def can_coach(member: Member) -> bool:
    return is_approved_member(member) and (member.role in COACH_ROLES or member.is_superuser)


def can_view_support_file(member: Member, support_file: SupportFile) -> bool:
    """The café's managers, its coach and staff; nobody else learns it exists."""
    if not is_approved_member(member):
        return False
    if is_staff(member) or support_file.coach_id == member.pk:
        return True
    return member.role == Role.MANAGER and is_cafe_manager(member, support_file.cafe)


def can_edit_support_file(member: Member, support_file: SupportFile) -> bool:
    """Diagnostic, action plan, visits: the café's coach and staff."""
    if not is_approved_member(member):
        return False
    return is_staff(member) or (can_coach(member) and support_file.coach_id == member.pk)


def can_see_dashboard(member: Member) -> bool:
    return is_staff(member)
