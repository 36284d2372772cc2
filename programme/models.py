"""The support programme: applications of cafés, the yearly cohort, and each supported café's
support file (diagnostic, action plan, visits and remote follow-ups)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class SupportKind(models.TextChoices):
    """The five kinds of support the programme offers: what a manager asks for, and the
    category of each action of a plan."""

    NEW_SERVICES = "new_services", _("Developing new services")
    SKILLS = "skills", _("Technical and accounting skills")
    TOOLS = "tools", _("Practical tools")
    RESIDENTS = "residents", _("Co-construction with residents")
    NETWORKING = "networking", _("Networking with other managers")


class Cohort(models.Model):
    """The cafés supported in one year (about a hundred)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    target_size = models.PositiveIntegerField(_("target number of cafés"), default=100)
    is_open = models.BooleanField(
        _("open to new cafés"), default=True, help_text=_("Accepted cafés join an open cohort.")
    )

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="cohort_ends_after_start",
                violation_error_message=_("A cohort must end after it starts."),
            ),
            models.CheckConstraint(condition=Q(target_size__gte=1), name="cohort_target_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent, waiting for review")
    INFO_REQUESTED = "info_requested", _("More information requested")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


# A café has at most one application in progress; the constraint below is the backstop of the
# service's check.
OPEN_STATUSES = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SENT,
    ApplicationStatus.INFO_REQUESTED,
)
# The manager may change their application only in these states.
EDITABLE_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.INFO_REQUESTED)


class Application(models.Model):
    cafe = models.ForeignKey(
        "directory.Cafe",
        verbose_name=_("café"),
        on_delete=models.PROTECT,
        related_name="programme_applications",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="programme_applications",
    )
    # The commune the applicant names (usually the café's); its INSEE population decides the
    # first rule.
    commune = models.ForeignKey(
        "directory.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    current_operation = models.TextField(
        _("how the café runs today"),
        blank=True,
        help_text=_(
            "Opening days and hours, services, staff, customers, what works, what is hard."
        ),
    )
    needs = models.JSONField(_("support wanted"), default=list, blank=True)
    needs_details = models.TextField(_("what you need, in your words"), blank=True)
    declares_last_cafe = models.BooleanField(
        _("this café is the last one open in the commune"), default=False
    )
    declares_dedicated_space = models.BooleanField(
        _("the café has a dedicated café-bar or tea-room space"), default=False
    )
    explanation = models.TextField(
        _("explanation"),
        blank=True,
        help_text=_(
            "If a rule is not met, say why you apply all the same (for example a commune "
            "nouvelle whose village has fewer than 3,500 inhabitants)."
        ),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    # Whether the four rules were met when it was last sent: the review queue filters on it.
    is_eligible = models.BooleanField(_("meets the four rules"), null=True, blank=True)
    info_request = models.TextField(_("information requested"), blank=True)
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cafe"],
                condition=Q(status__in=["draft", "sent", "info_requested"]),
                name="application_one_open_per_cafe",
                violation_error_message=_("This café already has an application in progress."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.cafe.name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("programme:application_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def need_labels(self) -> list[str]:
        labels = dict(SupportKind.choices)
        return [labels[need] for need in self.needs if need in labels]


class SupportFile(models.Model):
    """The support of one accepted café: who coaches it, in which cohort, and everything done
    with it. Only its managers, its coach and staff may see it."""

    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="support_file",
    )
    cafe = models.ForeignKey(
        "directory.Cafe",
        verbose_name=_("café"),
        on_delete=models.PROTECT,
        related_name="support_files",
    )
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.PROTECT, related_name="support_files"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coach"),
        on_delete=models.PROTECT,
        related_name="coached_support_files",
    )
    plan_agreed_on = models.DateField(
        _("action plan agreed with the manager on"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("support file")
        verbose_name_plural = _("support files")
        ordering = ["cafe__name"]

    def __str__(self) -> str:
        return str(self.cafe)

    def get_absolute_url(self) -> str:
        return reverse("programme:support_file", args=[self.pk])


class Diagnostic(models.Model):
    """The café's life with the local actors, recorded by the coach with the manager."""

    support_file = models.OneToOneField(
        SupportFile,
        verbose_name=_("support file"),
        on_delete=models.CASCADE,
        related_name="diagnostic",
    )
    carried_out_on = models.DateField(_("carried out on"))
    activity = models.TextField(_("activity"), blank=True)
    finances = models.TextField(_("finances"), blank=True)
    services = models.TextField(_("services offered"), blank=True)
    town_hall = models.TextField(_("relations with the town hall"), blank=True)
    associations = models.TextField(_("relations with associations"), blank=True)
    producers = models.TextField(_("relations with local producers"), blank=True)
    other_shops = models.TextField(_("relations with other shops"), blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    weaknesses = models.TextField(_("weaknesses"), blank=True)
    opportunities = models.TextField(_("opportunities"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("diagnostic")
        verbose_name_plural = _("diagnostics")

    def __str__(self) -> str:
        return str(self.support_file)


class ActionStatus(models.TextChoices):
    TODO = "todo", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


CLOSED_ACTION_STATUSES = (ActionStatus.DONE, ActionStatus.DROPPED)


class Action(models.Model):
    support_file = models.ForeignKey(
        SupportFile,
        verbose_name=_("support file"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    title = models.CharField(_("action"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    category = models.CharField(_("kind of support"), max_length=20, choices=SupportKind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who carries it"),
        on_delete=models.PROTECT,
        related_name="programme_actions",
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.TODO
    )
    training_sessions = models.ManyToManyField(
        "events.TrainingSession",
        verbose_name=_("training sessions"),
        related_name="programme_actions",
        blank=True,
    )
    resources = models.ManyToManyField(
        "resources.ResourcePage",
        verbose_name=_("resources of the library"),
        related_name="programme_actions",
        blank=True,
    )
    # Tools that are not in the library (a supplier's guide, a web page...).
    resources_note = models.TextField(_("other useful resources"), blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_ACTION_STATUSES


class FollowUpKind(models.TextChoices):
    VISIT = "visit", _("Field visit")
    PHONE = "phone", _("Phone call")
    VIDEO = "video", _("Video call")


class FollowUp(models.Model):
    """A field visit or a remote follow-up."""

    support_file = models.ForeignKey(
        SupportFile,
        verbose_name=_("support file"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=FollowUpKind.choices)
    happened_on = models.DateField(_("date"))
    people = models.CharField(_("people present"), max_length=500)
    notes = models.TextField(_("notes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    next_visit_on = models.DateField(_("next visit or call"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit or follow-up")
        verbose_name_plural = _("visits and follow-ups")
        ordering = ["-happened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_visit_on__isnull=True) | Q(next_visit_on__gt=F("happened_on")),
                name="follow_up_next_after_date",
                violation_error_message=_("The next visit or call must come after this one."),
            ),
        ]
        indexes = [models.Index(fields=["support_file", "happened_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.happened_on:%Y-%m-%d})"


class ActionUpdate(models.Model):
    """A change of an action's status decided during a visit or follow-up: the timeline
    shows it."""

    follow_up = models.ForeignKey(
        FollowUp,
        verbose_name=_("visit or follow-up"),
        on_delete=models.CASCADE,
        related_name="action_updates",
    )
    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="updates"
    )
    old_status = models.CharField(_("previous status"), max_length=20, choices=ActionStatus.choices)
    new_status = models.CharField(_("new status"), max_length=20, choices=ActionStatus.choices)

    class Meta:
        verbose_name = _("action update")
        verbose_name_plural = _("action updates")

    def __str__(self) -> str:
        return f"{self.action}: {self.old_status} -> {self.new_status}"
