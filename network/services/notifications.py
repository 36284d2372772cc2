"""E-mails about the channels: a mail at each mention, the daily digest of unread messages,
and staff's mail about a new report.

Every mail is claimed by a conditional UPDATE before it goes out (``Mention.notified_at``;
``Member.last_digest_at`` and ``ChannelMembership.digested_seq`` for the digest) and released
if it fails, so running twice, or two runs at once, never sends the same thing twice, and a
failed mail is tried again at the next run. Call these functions outside a transaction: each
claim must be committed at once to be seen by another run.

Who hears what, by ``Member.digest_frequency``:

- ``mention``: one mail at each mention, right after the message is posted (the hourly
  command sends again those that failed); no digest.
- ``daily``: one digest a day at most, of the messages still unread 30 minutes after they
  were posted, mentions of their name marked; no mail at each mention.
- ``off``: nothing.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from comptoir.mail import absolute_url, send_templated_mail

from ..models import (
    Channel,
    ChannelKind,
    ChannelMembership,
    DigestFrequency,
    Member,
    MembershipStatus,
    Mention,
    Message,
    MessageReport,
)
from ..permissions import can_read_channel

logger = logging.getLogger(__name__)

# A message read within this time is not put in a digest: someone following the channel live
# is not mailed about it.
GRACE_PERIOD = timedelta(minutes=30)
DIGEST_INTERVAL = timedelta(hours=24)
# The scheduler starts the command at about the same minute every hour; without this slack a
# digest sent at 08:05:03 would wait until 09:05 the next day, one hour later every day.
DIGEST_SLACK = timedelta(minutes=15)
DIGEST_MESSAGES_PER_CHANNEL = 10
DIGEST_EXCERPT_CHARS = 500
# Mention mails that failed are tried again by the hourly command while they are this recent,
# once the mail sent right after posting has had time to go.
MENTION_RETRY_WINDOW = timedelta(days=2)
MENTION_RETRY_DELAY = timedelta(minutes=10)


def _approved(prefix: str = "") -> dict:
    return {f"{prefix}is_active": True, f"{prefix}status": MembershipStatus.APPROVED}


def channel_label(channel: Channel, member: Member) -> str:
    """The channel's name as the member knows it: a conversation is named after the other
    member. Call with the member's language active."""
    if channel.kind != ChannelKind.DIRECT:
        return channel.name
    other = (
        ChannelMembership.objects.filter(channel=channel)
        .exclude(member=member)
        .select_related("member")
        .first()
    )
    if other is None:
        return channel.name
    return _("Conversation with %(name)s") % {"name": other.member}


def _author_name(message: Message) -> str:
    return str(message.author) if message.author else _("A former member")


def message_url(message: Message) -> str:
    """The channel's page showing this message (the page of history ending with it)."""
    return reverse("network:channel", args=[message.channel_id]) + f"?avant={message.seq + 1}"


# --- A mail at each mention ------------------------------------------------------------------


def _send_mention_mail(member: Member, message: Message) -> int:
    with translation.override(member.language or None):
        context = {
            "member": member,
            "author": _author_name(message),
            "channel": channel_label(message.channel, member),
            "is_conversation": message.channel.kind == ChannelKind.DIRECT,
            "body": message.body,
            "url": absolute_url(message_url(message)),
            "settings_url": absolute_url(reverse("network:notification_settings")),
        }
    return send_templated_mail(
        recipients=[member.email],
        template_prefix="network/email/mention",
        context=context,
        language=member.language or None,
    )


def mention_mails_send(*, message_id: int) -> int:
    """Mail the members named in a message who chose to hear of each mention, once each,
    while they may still read the channel, the message is still shown and they have not read
    it yet. Returns how many mails went out."""
    message = Message.objects.select_related("channel", "author").filter(pk=message_id).first()
    if message is None or not message.is_visible:
        return 0
    mentions = (
        Mention.objects.filter(
            message=message,
            notified_at__isnull=True,
            member__digest_frequency=DigestFrequency.EACH_MENTION,
            **_approved("member__"),
        )
        .select_related("member")
        .order_by("pk")
    )
    sent = 0
    for mention in list(mentions):
        member = mention.member
        if not can_read_channel(member, message.channel):
            continue
        if ChannelMembership.objects.filter(
            channel=message.channel, member=member, last_read_seq__gte=message.seq
        ).exists():
            continue  # already seen
        now = timezone.now()
        claimed = Mention.objects.filter(pk=mention.pk, notified_at__isnull=True).update(
            notified_at=now
        )
        if not claimed:
            continue  # another run sends it
        try:
            delivered = _send_mention_mail(member, message)
        except Exception:
            logger.exception("Mention mail for mention %s failed", mention.pk)
            delivered = 0
        if delivered:
            sent += 1
        else:
            Mention.objects.filter(pk=mention.pk, notified_at=now).update(notified_at=None)
    return sent


def mention_mails_retry(*, now: datetime | None = None) -> int:
    """Send again the mention mails that have not gone out (a mail server down when the
    message was posted), for messages of the last two days."""
    now = now or timezone.now()
    message_ids = (
        Mention.objects.filter(
            notified_at__isnull=True,
            member__digest_frequency=DigestFrequency.EACH_MENTION,
            message__created_at__gte=now - MENTION_RETRY_WINDOW,
            message__created_at__lte=now - MENTION_RETRY_DELAY,
        )
        .values_list("message_id", flat=True)
        .distinct()
    )
    return sum(mention_mails_send(message_id=pk) for pk in list(message_ids))


# --- The daily digest ------------------------------------------------------------------------


@dataclass
class _Claim:
    membership: ChannelMembership
    start: int  # messages after this number...
    upto: int  # ...up to this one are in the digest


@dataclass
class DigestSection:
    channel: str
    url: str
    messages: list[dict] = field(default_factory=list)
    more: int = 0
    total: int = 0
    mentions: int = 0


def _digest_candidates(*, cutoff: datetime, due_before: datetime) -> QuerySet[ChannelMembership]:
    """Memberships of members on the daily digest, due for one, with messages after both
    their read mark and the last digest that are older than the grace period; ``upto`` is the
    number of the last such message."""
    last_old_enough = (
        Message.objects.filter(
            channel=OuterRef("channel"), seq__gt=OuterRef("mark"), created_at__lte=cutoff
        )
        .order_by("-seq")
        .values("seq")[:1]
    )
    return (
        ChannelMembership.objects.filter(
            member__digest_frequency=DigestFrequency.DAILY,
            **_approved("member__"),
        )
        .filter(Q(member__last_digest_at__isnull=True) | Q(member__last_digest_at__lte=due_before))
        .annotate(mark=Greatest(F("last_read_seq"), F("digested_seq")))
        .filter(channel__last_seq__gt=F("mark"))
        .annotate(upto=Subquery(last_old_enough))
        .filter(upto__isnull=False)
        .select_related("member", "channel")
        .order_by("member_id", "channel__name", "channel_id")
    )


def _digest_section(member: Member, claim: _Claim) -> DigestSection | None:
    channel = claim.membership.channel
    messages = (
        Message.objects.filter(
            channel=channel,
            seq__gt=claim.start,
            seq__lte=claim.upto,
            deleted_at__isnull=True,
            hidden_at__isnull=True,
        )
        .exclude(author=member)
        .select_related("author")
    )
    total = messages.count()
    if not total:
        return None
    mentioning = messages.filter(mentions__member=member)
    mention_count = mentioning.count()
    # Messages naming the member are always shown (within the cap), then the latest others.
    shown = list(mentioning.order_by("-seq")[:DIGEST_MESSAGES_PER_CHANNEL])
    mentioned_ids = {m.pk for m in shown}
    room = DIGEST_MESSAGES_PER_CHANNEL - len(shown)
    if room:
        shown += list(messages.exclude(mentions__member=member).order_by("-seq")[:room])
    shown.sort(key=lambda m: m.seq)
    return DigestSection(
        channel=channel_label(channel, member),
        url=absolute_url(channel.get_absolute_url()),
        messages=[
            {
                "author": _author_name(message),
                "created_at": message.created_at,
                "body": Truncator(message.body).chars(DIGEST_EXCERPT_CHARS),
                "mentioned": message.pk in mentioned_ids,
            }
            for message in shown
        ],
        more=total - len(shown),
        total=total,
        mentions=mention_count,
    )


def _release_digest(member: Member, claims: list[_Claim], *, now: datetime, previous) -> None:
    for claim in claims:
        ChannelMembership.objects.filter(pk=claim.membership.pk, digested_seq=claim.upto).update(
            digested_seq=claim.membership.digested_seq
        )
    Member.objects.filter(pk=member.pk, last_digest_at=now).update(last_digest_at=previous)


def _member_digest_send(
    member: Member, memberships: list[ChannelMembership], *, now: datetime, due_before: datetime
) -> bool:
    previous = member.last_digest_at
    # Today's digest of this member: whoever sets the date first sends it.
    claimed = (
        Member.objects.filter(pk=member.pk)
        .filter(Q(last_digest_at__isnull=True) | Q(last_digest_at__lte=due_before))
        .update(last_digest_at=now)
    )
    if not claimed:
        return False
    claims = []
    for membership in memberships:
        if not can_read_channel(member, membership.channel):
            continue
        if ChannelMembership.objects.filter(
            pk=membership.pk, digested_seq=membership.digested_seq
        ).update(digested_seq=membership.upto):
            claims.append(
                _Claim(membership=membership, start=membership.mark, upto=membership.upto)
            )
    with translation.override(member.language or None):
        sections = [s for s in (_digest_section(member, claim) for claim in claims) if s]
    if not sections:
        # Only hidden, deleted or own messages: they stay claimed (nothing to tell), but the
        # member's day is not used up.
        Member.objects.filter(pk=member.pk, last_digest_at=now).update(last_digest_at=previous)
        return False
    try:
        delivered = send_templated_mail(
            recipients=[member.email],
            template_prefix="network/email/digest",
            context={
                "member": member,
                "sections": sections,
                "total": sum(s.total for s in sections),
                "mentions": sum(s.mentions for s in sections),
                "channels": len(sections),
                "settings_url": absolute_url(reverse("network:notification_settings")),
            },
            language=member.language or None,
        )
    except Exception:
        logger.exception("Channel digest for member %s failed", member.pk)
        delivered = 0
    if not delivered:
        _release_digest(member, claims, now=now, previous=previous)
        return False
    # Their mentions were told in the digest.
    mention_filter = Q()
    for claim in claims:
        mention_filter |= Q(
            message__channel_id=claim.membership.channel_id,
            message__seq__gt=claim.start,
            message__seq__lte=claim.upto,
        )
    Mention.objects.filter(mention_filter, member=member, notified_at__isnull=True).update(
        notified_at=now
    )
    return True


def channel_digests_send(*, now: datetime | None = None) -> int:
    """Send the daily digests due at ``now`` (default: the current time) to members on the
    daily digest; returns how many went out.

    One mail per member, at most once in 24 hours (give or take the scheduler's quarter hour),
    listing per channel the messages after their read mark and after the last digest that are
    older than the grace period, written by others and still shown: those naming the member
    first, then the latest, up to 10 per channel and "and N more". Runs twice, or at once,
    send nothing new; a mail that fails releases its claims for the next run.
    """
    now = now or timezone.now()
    cutoff = now - GRACE_PERIOD
    due_before = now - DIGEST_INTERVAL + DIGEST_SLACK
    by_member: dict[int, list[ChannelMembership]] = {}
    for membership in _digest_candidates(cutoff=cutoff, due_before=due_before):
        by_member.setdefault(membership.member_id, []).append(membership)
    sent = 0
    for memberships in by_member.values():
        member = memberships[0].member
        if _member_digest_send(member, memberships, now=now, due_before=due_before):
            sent += 1
    return sent


# --- Staff: a new report ---------------------------------------------------------------------


def report_mails_send(*, report_id: int) -> int:
    """Tell programme staff of a new report, while it is open."""
    from ..selectors import member_list_reviewers

    report = (
        MessageReport.objects.select_related("message__channel", "message__author", "reporter")
        .filter(pk=report_id, resolved_at__isnull=True)
        .first()
    )
    if report is None:
        return 0
    message = report.message
    sent = 0
    for reviewer in member_list_reviewers():
        with translation.override(reviewer.language or None):
            context = {
                "report": report,
                "reporter": str(report.reporter) if report.reporter else _("A former member"),
                "author": _author_name(message),
                "channel": message.channel.name,
                "body": message.body,
                "reports_url": absolute_url(reverse("network:reports")),
            }
        sent += send_templated_mail(
            recipients=[reviewer.email],
            template_prefix="network/email/report_new",
            context=context,
            language=reviewer.language or None,
        )
    return sent


# --- The member's choice ---------------------------------------------------------------------


def member_digest_frequency_set(*, member: Member, frequency: str) -> Member:
    """How the member hears of their channels by e-mail (see the module's docstring)."""
    member.digest_frequency = frequency
    member.full_clean(
        exclude=[f.name for f in Member._meta.fields if f.name != "digest_frequency"],
        validate_unique=False,
        validate_constraints=False,
    )
    member.save(update_fields=["digest_frequency"])
    return member
