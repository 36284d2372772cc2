"""Co-construction: a café's projects, the residents it invites, and their ideas.

A resident belongs to one café (``Member.resident_cafe``); they see that café's projects and
nothing else of the network. Each project has a private discussion channel.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

IDEA_TITLE_MAX_LENGTH = 150
IDEA_BODY_MAX_LENGTH = 3000
COMMENT_MAX_LENGTH = 2000
INVITATION_VALIDITY = timedelta(days=180)


def _invitation_token() -> str:
    return secrets.token_urlsafe(24)


def _invitation_expiry():
    return timezone.now() + INVITATION_VALIDITY


class ProjectStage(models.TextChoices):
    COLLECTING = "collecting", _("Collecting ideas")
    IN_PROGRESS = "in_progress", _("Under way")
    DONE = "done", _("Completed")
    DROPPED = "dropped", _("Abandoned")


class Project(models.Model):
    cafe = models.ForeignKey(
        "directory.Cafe", verbose_name=_("café"), on_delete=models.CASCADE, related_name="projects"
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=5000)
    stage = models.CharField(
        _("stage"), max_length=20, choices=ProjectStage.choices, default=ProjectStage.COLLECTING
    )
    ideas_deadline = models.DateField(_("deadline for ideas"), null=True, blank=True)
    # A Wagtail image, so pages show a rendition sized for them, as for a café's photo.
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    photo_alt = models.CharField(_("description of the photo"), max_length=200, blank=True)
    # The private discussion channel of the project (manager, residents, coach, staff).
    channel = models.OneToOneField(
        "network.Channel",
        verbose_name=_("discussion channel"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="project",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__in=ProjectStage.values), name="project_stage_valid"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])

    @property
    def accepts_ideas(self) -> bool:
        """Ideas and supports are taken while the project collects them, until its deadline
        (the deadline day included, Paris time)."""
        if self.stage != ProjectStage.COLLECTING:
            return False
        return self.ideas_deadline is None or timezone.localdate() <= self.ideas_deadline


class ResidentInvitation(models.Model):
    """A link (and its poster) through which residents of the village join the café."""

    cafe = models.ForeignKey(
        "directory.Cafe",
        verbose_name=_("café"),
        on_delete=models.CASCADE,
        related_name="resident_invitations",
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), default=_invitation_expiry)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("resident invitation")
        verbose_name_plural = _("resident invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.cafe} ({self.created_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("projects:invitation_join", args=[self.token])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired


class IdeaStatus(models.TextChoices):
    NEW = "new", _("New idea")
    UNDER_STUDY = "under_study", _("Under study")
    ACCEPTED = "accepted", _("Retained")
    DECLINED = "declined", _("Not retained")
    DONE = "done", _("Carried out")


class Idea(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="ideas"
    )
    title = models.CharField(_("title"), max_length=IDEA_TITLE_MAX_LENGTH)
    body = models.TextField(_("idea"), max_length=IDEA_BODY_MAX_LENGTH, blank=True)
    # The member who posted it; for an idea collected on paper, the resident's account when
    # they have one, else nobody (the name, or nothing for an anonymous idea, is kept below).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    # Set when the manager typed in an idea collected on paper.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    on_behalf_of = models.CharField(_("on behalf of"), max_length=150, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.NEW
    )
    answer = models.TextField(_("official answer"), max_length=IDEA_BODY_MAX_LENGTH, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)
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
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=IdeaStatus.values), name="idea_status_valid"
            )
        ]
        indexes = [models.Index(fields=["project", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:idea", args=[self.pk])

    @property
    def is_visible(self) -> bool:
        return self.hidden_at is None

    @property
    def is_entered_on_behalf(self) -> bool:
        return self.entered_by_id is not None


class IdeaSupport(models.Model):
    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="supports"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="idea_supports",
    )
    created_at = models.DateTimeField(_("supported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["idea", "member"], name="idea_support_once")]

    def __str__(self) -> str:
        return f"{self.member} + {self.idea}"


class IdeaComment(models.Model):
    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="idea_comments",
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)
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
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.author} – {self.idea}"

    @property
    def is_visible(self) -> bool:
        return self.hidden_at is None


class IdeaReport(models.Model):
    """A resident's report of an idea or of a comment, for the manager and staff."""

    idea = models.ForeignKey(
        Idea,
        verbose_name=_("idea"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    comment = models.ForeignKey(
        IdeaComment,
        verbose_name=_("comment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
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

    class Meta:
        verbose_name = _("idea report")
        verbose_name_plural = _("idea reports")
        ordering = ["-created_at"]
        constraints = [
            # Exactly one of the idea and the comment.
            models.CheckConstraint(
                condition=(Q(idea__isnull=False) & Q(comment__isnull=True))
                | (Q(idea__isnull=True) & Q(comment__isnull=False)),
                name="idea_report_one_target",
            ),
            models.UniqueConstraint(
                fields=["idea", "reporter"],
                condition=Q(idea__isnull=False),
                name="idea_report_once",
            ),
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                condition=Q(comment__isnull=False),
                name="idea_comment_report_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.idea or self.comment} ({self.created_at:%Y-%m-%d})"
