from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MANAGER = "manager", _("Café manager")
    PROFESSIONAL = "professional", _("Independent professional")
    SUPPLIER = "supplier", _("Supplier")
    RESIDENT = "resident", _("Resident")
    STAFF = "staff", _("Programme staff")


# Roles a visitor may choose when signing up; residents join through their café's invitation
# and staff are made by staff.
SELF_SIGNUP_ROLES = (Role.MANAGER, Role.PROFESSIONAL, Role.SUPPLIER)


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class DigestFrequency(models.TextChoices):
    """How a member hears by e-mail of what they missed in their channels."""

    OFF = "off", _("Never")
    EACH_MENTION = "mention", _("At each mention of my name")
    DAILY = "daily", _("A daily summary")


# How an erased account is shown wherever its name would be.
FORMER_MEMBER_LABEL = _("Former member")


class MemberManager(BaseUserManager["Member"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "Member":
        if not email:
            raise ValueError("An e-mail address is required.")
        member = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        member.set_password(password)
        member.save(using=self._db)
        return member

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "Member":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.update(
            is_staff=True,
            is_superuser=True,
            role=Role.STAFF,
            status=MembershipStatus.APPROVED,
        )
        return self._create_user(email, password, **extra_fields)


class Member(AbstractBaseUser, PermissionsMixin):
    """A person with an account on Comptoir; the e-mail address is the login."""

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    status = models.CharField(
        _("membership status"),
        max_length=20,
        choices=MembershipStatus.choices,
        default=MembershipStatus.PENDING,
    )
    is_trainer = models.BooleanField(
        _("trainer"),
        default=False,
        help_text=_("Independent professionals who run collective training sessions."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Language of the e-mails sent to this member."),
    )
    digest_frequency = models.CharField(
        _("e-mails about the channels"),
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.DAILY,
    )
    # The café a resident joined through its invitation: they see its projects and nothing
    # else of the network.
    resident_cafe = models.ForeignKey(
        "directory.Cafe",
        verbose_name=_("café of the resident"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residents",
    )
    # Claimed by a conditional UPDATE before the daily digest goes out (released if it fails).
    last_digest_at = models.DateTimeField(_("last digest sent at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "self",
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("can use the administration"),
        default=False,
        help_text=_("Given to programme staff when their account is approved."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Set when the account was erased (by the member or by staff on request): the row stays, as
    # a "former member" tombstone, so that what others depend on keeps its author.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)

    objects = MemberManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=MembershipStatus.values),
                name="member_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="member_role_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "date_joined"])]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        if self.erased_at is not None:
            return str(FORMER_MEMBER_LABEL)
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        if self.erased_at is not None:
            return str(FORMER_MEMBER_LABEL)
        return self.first_name or self.email

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def is_approved(self) -> bool:
        return self.is_active and self.status == MembershipStatus.APPROVED

    @property
    def is_programme_staff(self) -> bool:
        return self.is_approved and (self.role == Role.STAFF or self.is_superuser)
