"""Who may do what with members. Views, admin views and consumers call these same helpers."""

from .models import Channel, ChannelKind, Member, Message, Role


def is_approved_member(member: object) -> bool:
    return bool(getattr(member, "is_authenticated", False)) and getattr(
        member, "is_approved", False
    )


def can_review_members(member: Member) -> bool:
    return is_approved_member(member) and (member.role == Role.STAFF or member.is_superuser)


def can_use_admin(member: Member) -> bool:
    """The Wagtail admin is for programme staff only."""
    return can_review_members(member)


# --- Discussion channels ----------------------------------------------------------------------
# Topic and région channels belong to the professional network (residents take part in their
# café's project channels, which are private). Staff read every channel but the direct
# conversations, to moderate; a direct conversation is its two members' only.

OPEN_CHANNEL_ROLES = (Role.MANAGER, Role.PROFESSIONAL, Role.SUPPLIER, Role.STAFF)


def can_use_channels(member: Member) -> bool:
    return is_approved_member(member)


def can_browse_open_channels(member: Member) -> bool:
    return is_approved_member(member) and (member.role in OPEN_CHANNEL_ROLES or member.is_superuser)


def can_talk_directly(member: Member, other: Member) -> bool:
    """Direct conversations are between two people of the professional network: residents
    take part in their café's project channels only."""
    return (
        member.pk != other.pk
        and can_browse_open_channels(member)
        and can_browse_open_channels(other)
    )


def can_manage_channels(member: Member) -> bool:
    """Create, archive, choose the members of private channels, hide messages."""
    return is_approved_member(member) and member.is_programme_staff


def _is_channel_member(member: Member, channel: Channel) -> bool:
    memberships = getattr(channel, "viewer_memberships", None)
    if memberships is not None:  # prefetched for this viewer by the selectors
        return bool(memberships)
    return channel.memberships.filter(member_id=member.pk).exists()


def can_read_channel(member: Member, channel: Channel) -> bool:
    if not is_approved_member(member):
        return False
    if channel.kind in (ChannelKind.TOPIC, ChannelKind.REGION):
        return can_browse_open_channels(member)
    if channel.kind == ChannelKind.PRIVATE and can_manage_channels(member):
        return True
    return _is_channel_member(member, channel)


def can_join_channel(member: Member, channel: Channel) -> bool:
    return (
        channel.kind in (ChannelKind.TOPIC, ChannelKind.REGION)
        and not channel.is_archived
        and can_browse_open_channels(member)
    )


def can_leave_channel(member: Member, channel: Channel) -> bool:
    """Topic channels only: a région's channel is joined again automatically, and private
    channels and conversations are chosen for their members."""
    return (
        channel.kind == ChannelKind.TOPIC
        and is_approved_member(member)
        and _is_channel_member(member, channel)
    )


def can_post_in_channel(member: Member, channel: Channel) -> bool:
    """Open channels take posts from anyone who may join them (posting joins); private
    channels and conversations from their members only."""
    if channel.is_archived or not can_read_channel(member, channel):
        return False
    return can_join_channel(member, channel) or _is_channel_member(member, channel)


def can_change_message(member: Member, message: Message) -> bool:
    """Edit or delete: one's own message, while it is visible and its channel is live."""
    return (
        is_approved_member(member)
        and message.author_id == member.pk
        and message.is_visible
        and not message.channel.is_archived
    )


def can_report_message(member: Member, message: Message) -> bool:
    return (
        can_read_channel(member, message.channel)
        and message.author_id != member.pk
        and message.is_visible
    )


def can_hide_message(member: Member, message: Message) -> bool:
    return can_manage_channels(member) and message.channel.kind != ChannelKind.DIRECT


def can_review_message(member: Member, message: Message) -> bool:
    """Open a message's moderation page: staff, for a channel they read, or for a message a
    member reported (a direct conversation is its two members' only, not readable by its
    number)."""
    return can_manage_channels(member) and (
        can_read_channel(member, message.channel) or message.reports.exists()
    )
