"""Personal calendar feeds: a secret address per member, replaced or deleted at will."""

import secrets

from django.db import transaction

from network.models import Member

from ..models import CalendarFeed


@transaction.atomic(durable=True)
def calendar_feed_renew(*, member: Member) -> CalendarFeed:
    """Give the member a new feed address (creating their feed if they have none).

    The old token is overwritten, so the old address stops working at once. The member row is
    locked first: two clicks at the same time end with one feed, not a duplicate-key error.
    """
    Member.objects.select_for_update().filter(pk=member.pk).first()
    feed = CalendarFeed.objects.filter(member=member).first() or CalendarFeed(member=member)
    # 32 random bytes: guessing an address is out of reach, so the token alone is the key.
    feed.token = secrets.token_urlsafe(32)
    feed.full_clean()
    feed.save()
    return feed


def calendar_feed_revoke(*, member: Member) -> None:
    """Delete the member's feed: its address answers 404 from now on. Nothing to do if none."""
    CalendarFeed.objects.filter(member=member).delete()
