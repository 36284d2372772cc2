"""Collective training sessions: trainings, their dated sessions, and members' registrations."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase


class TaggedTraining(TaggedItemBase):
    content_object = models.ForeignKey("Training", on_delete=models.CASCADE)


class Training(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    audience = models.CharField(_("audience"), max_length=300, blank=True)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("trainers"), related_name="trainings"
    )
    tags = TaggableManager(verbose_name=_("tags"), through=TaggedTraining, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class SessionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for registration")
    CANCELLED = "cancelled", _("Cancelled")
    DONE = "done", _("Done")


class TrainingSession(models.Model):
    """One dated occurrence of a training. Whether it is full is computed from its
    registrations (under the row lock taken by registrations), not stored."""

    training = models.ForeignKey(
        Training, verbose_name=_("training"), on_delete=models.CASCADE, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    is_online = models.BooleanField(_("online"), default=False)
    place = models.CharField(_("place"), max_length=300, blank=True)
    commune = models.ForeignKey(
        "directory.Commune",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    online_link = models.URLField(
        _("online link"), blank=True, help_text=_("Shown to registered participants only.")
    )
    capacity = models.PositiveIntegerField(_("places"))
    registration_deadline = models.DateTimeField(_("registration deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.DRAFT
    )
    cancellation_reason = models.TextField(_("reason for the cancellation"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_positive"),
            models.CheckConstraint(
                condition=Q(registration_deadline__lte=F("starts_at")),
                name="session_deadline_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.training} ({self.starts_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("events:session_detail", args=[self.pk])

    @property
    def location(self) -> str:
        """The place and its commune, for mails and calendars (empty online)."""
        return ", ".join(p for p in [self.place, getattr(self.commune, "name", "")] if p)


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    cafe = models.ForeignKey(
        "directory.Cafe",
        verbose_name=_("for the café"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("promoted at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # Attendance, recorded by the trainer on the day: None until they check.
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    # Set when a reminder goes out, in the same statement that claims it, so a second run of
    # the reminders (or two at once) never mails twice.
    reminded_day_before_at = models.DateTimeField(
        _("day-before reminder sent at"), null=True, blank=True
    )
    reminded_same_day_at = models.DateTimeField(
        _("same-day reminder sent at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            # The backstop behind the service's lock: one live registration per member.
            models.UniqueConstraint(
                fields=["session", "member"],
                condition=~Q(status="cancelled"),
                name="registration_one_live_per_member",
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="registration_places_positive"),
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.member} – {self.session} ({self.get_status_display()})"


class CalendarFeed(models.Model):
    """A member's personal calendar address. The token is the only credential a calendar app
    sends, so revoking means replacing it."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.member)
