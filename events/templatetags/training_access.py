"""What a member may do with trainings, asked from the templates: the same helpers as the
views, from events/permissions.py."""

from django import template

from .. import permissions

register = template.Library()


@register.filter
def may_run_trainings(member) -> bool:
    """``{% if user|may_run_trainings %}``: trainers and staff have the trainers' pages."""
    return member.is_authenticated and permissions.can_create_training(member)


@register.filter
def may_manage_session(member, session) -> bool:
    """Follow its participants (the dashboard)."""
    return member.is_authenticated and permissions.can_manage_session(member, session)


@register.filter
def may_change_session(member, session) -> bool:
    """Edit or cancel it."""
    return member.is_authenticated and permissions.can_change_session(member, session)
