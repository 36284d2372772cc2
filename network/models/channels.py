"""Discussion channels: who may read them, and their messages, numbered without gaps."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

MESSAGE_MAX_LENGTH = 4000


class ChannelKind(models.TextChoices):
    TOPIC = "topic", _("Topic")
    REGION = "region", _("Région")
    PRIVATE = "private", _("Private")
    DIRECT = "direct", _("Conversation")


class Channel(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=ChannelKind.choices)
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    region = models.ForeignKey(
        "directory.Region",
        verbose_name=_("région"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The two members of a direct conversation, "<smaller pk>-<larger pk>": one conversation
    # per pair, enforced by the database.
    direct_key = models.CharField(max_length=40, null=True, blank=True, unique=True, editable=False)
    # The sequence number of the last message, advanced under this row's lock.
    last_seq = models.PositiveBigIntegerField(_("last message number"), default=0)
    last_message_at = models.DateTimeField(_("last message at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="ChannelMembership",
        verbose_name=_("members"),
        related_name="discussion_channels",
    )

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region"], condition=Q(kind="region"), name="channel_one_per_region"
            ),
            models.CheckConstraint(
                condition=~Q(kind="region") | Q(region__isnull=False),
                name="channel_region_has_region",
            ),
            models.CheckConstraint(
                condition=~Q(kind="direct") | Q(direct_key__isnull=False),
                name="channel_direct_has_key",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:channel", args=[self.pk])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def group_name(self) -> str:
        """The channel layer group its sockets listen on."""
        return f"channel.{self.pk}"


class ChannelMembership(models.Model):
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="memberships"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="channel_memberships",
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    last_read_seq = models.PositiveBigIntegerField(_("last message read"), default=0)
    # Messages up to this number have been told in a digest (claimed before sending).
    digested_seq = models.PositiveBigIntegerField(_("last message in a digest"), default=0)

    class Meta:
        verbose_name = _("channel membership")
        verbose_name_plural = _("channel memberships")
        constraints = [
            models.UniqueConstraint(fields=["channel", "member"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.channel}"


class Message(models.Model):
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="messages"
    )
    seq = models.PositiveBigIntegerField(_("number"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    body = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    # Chosen by the sending client: a resend after a reconnection finds the saved message
    # instead of posting it twice.
    client_id = models.CharField(_("client id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["channel", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "seq"], name="message_seq_unique"),
            models.UniqueConstraint(
                fields=["channel", "author", "client_id"],
                condition=~Q(client_id=""),
                name="message_client_id_unique",
            ),
            models.CheckConstraint(condition=Q(seq__gte=1), name="message_seq_positive"),
        ]
        # A member's messages of the last minute, counted when they post (the rate limit).
        indexes = [models.Index(fields=["author", "created_at"], name="message_author_recent")]

    def __str__(self) -> str:
        return f"{self.channel} #{self.seq}"

    @property
    def is_visible(self) -> bool:
        """Still readable: neither deleted by its author nor hidden by staff."""
        return self.deleted_at is None and self.hidden_at is None


class Mention(models.Model):
    """A member named with @ in a message; ``notified_at`` is claimed before the mail goes."""

    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.CASCADE, related_name="mentions"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="mentions",
    )
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [models.UniqueConstraint(fields=["message", "member"], name="mention_unique")]

    def __str__(self) -> str:
        return f"@{self.member} – {self.message}"


class MessageReport(models.Model):
    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"), max_length=1000)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["message", "reporter"], name="report_once_per_reporter")
        ]

    def __str__(self) -> str:
        return f"{self.message} ({self.created_at:%Y-%m-%d})"
