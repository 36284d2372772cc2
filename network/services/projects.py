"""Writes on a café's projects and its residents: projects and their private channels,
invitations, residents joining, leaving and being removed."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.uploads import photo_image_create, photo_image_discard

from ..models import (
    Channel,
    ChannelKind,
    ChannelMembership,
    Member,
    MembershipStatus,
    Project,
    ProjectStage,
    ResidentInvitation,
    Role,
)
from ..project_permissions import can_manage_cafe_projects, project_coaches_for_cafe
from .channels import channel_members_add


class ProjectError(Exception):
    """A refused action on a project or a resident; ``message`` is shown to the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _forbidden() -> ProjectError:
    return ProjectError(_("You may not do this for this café."))


# --- Channels of the projects --------------------------------------------------------------------


def project_channel_members(project: Project) -> list[Member]:
    """Who belongs to a project's channel: the café's managers, its residents, its coach and
    the programme staff."""
    cafe = project.cafe
    members: dict[int, Member] = {}
    for member in cafe.managers.filter(status=MembershipStatus.APPROVED, is_active=True):
        members[member.pk] = member
    for member in Member.objects.filter(
        resident_cafe=cafe, role=Role.RESIDENT, status=MembershipStatus.APPROVED, is_active=True
    ):
        members[member.pk] = member
    for member in Member.objects.filter(
        role=Role.STAFF, status=MembershipStatus.APPROVED, is_active=True
    ):
        members[member.pk] = member
    for member in project_coaches_for_cafe(cafe):
        members[member.pk] = member
    return list(members.values())


def _channel_name(project: Project) -> str:
    # Channel names hold 120 characters; a project title up to 150.
    return _("Project: %(title)s") % {"title": project.title}


def _project_channel_ensure(project: Project, actor: Member) -> Channel:
    if project.channel_id is not None:
        return project.channel
    channel = Channel(
        kind=ChannelKind.PRIVATE,
        name=_channel_name(project)[:120],
        description=str(project.cafe)[:300],
        created_by=actor,
    )
    channel.full_clean()
    channel.save()
    project.channel = channel
    project.save(update_fields=["channel"])
    return channel


# --- Projects ---------------------------------------------------------------------------------


def _clean_project(project: Project) -> None:
    project.title = project.title.strip()
    project.description = project.description.strip()
    if not project.title:
        raise ProjectError(_("Give the project a title."))
    if not project.description:
        raise ProjectError(_("Describe the project in a few words."))
    project.full_clean()


@transaction.atomic
def project_create(
    *,
    actor: Member,
    cafe: Any,
    title: str,
    description: str,
    stage: str = ProjectStage.COLLECTING,
    ideas_deadline: date | None = None,
    photo: Any = None,
    photo_alt: str = "",
) -> Project:
    """Open a project for a café, with its private channel and everyone who belongs in it."""
    if not can_manage_cafe_projects(actor, cafe.pk):
        raise _forbidden()
    project = Project(
        cafe=cafe,
        title=title,
        description=description,
        stage=stage,
        ideas_deadline=ideas_deadline,
        photo_alt=photo_alt.strip(),
        created_by=actor,
    )
    if photo:
        project.photo = photo_image_create(photo, title=title)
    _clean_project(project)
    project.save()
    channel = _project_channel_ensure(project, actor)
    channel_members_add(channel=channel, members=[actor, *project_channel_members(project)])
    return project


@transaction.atomic
def project_update(
    *,
    actor: Member,
    project: Project,
    title: str,
    description: str,
    stage: str,
    ideas_deadline: date | None,
    photo: Any = None,
    remove_photo: bool = False,
    photo_alt: str = "",
) -> Project:
    if not can_manage_cafe_projects(actor, project.cafe_id):
        raise _forbidden()
    project = (
        Project.objects.select_for_update(of=("self",))
        .select_related("cafe", "channel")
        .get(pk=project.pk)
    )
    project.title = title
    project.description = description
    project.stage = stage
    project.ideas_deadline = ideas_deadline
    project.photo_alt = photo_alt.strip()
    previous_photo = project.photo
    if remove_photo:
        project.photo = None
    if photo:
        project.photo = photo_image_create(photo, title=title)
    _clean_project(project)
    project.save()
    if project.photo_id != getattr(previous_photo, "pk", None):
        photo_image_discard(previous_photo)
    channel = _project_channel_ensure(project, actor)
    name = _channel_name(project)[:120]
    if channel.name != name:
        channel.name = name
        channel.save(update_fields=["name"])
    # Managers and staff who arrived since the project opened join its channel now.
    channel_members_add(channel=channel, members=project_channel_members(project))
    return project


def cafe_project_channels_sync(*, cafe: Any) -> None:
    """Bring everyone who belongs (managers, residents, coach, staff) into every project
    channel of the café; for the programme app to call when it assigns a coach."""
    for project in Project.objects.filter(cafe=cafe, channel__isnull=False).select_related(
        "cafe", "channel"
    ):
        channel_members_add(channel=project.channel, members=project_channel_members(project))


# --- Invitations ------------------------------------------------------------------------------


@transaction.atomic
def invitation_create(*, actor: Member, cafe: Any) -> ResidentInvitation:
    if not can_manage_cafe_projects(actor, cafe.pk):
        raise _forbidden()
    invitation = ResidentInvitation(cafe=cafe, created_by=actor)
    invitation.full_clean()
    invitation.save()
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: Member, invitation: ResidentInvitation) -> ResidentInvitation:
    """The link stops working at once; residents who joined through it stay."""
    if not can_manage_cafe_projects(actor, invitation.cafe_id):
        raise _forbidden()
    invitation = ResidentInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.revoked_by = actor
        invitation.save(update_fields=["revoked_at", "revoked_by"])
    return invitation


def invitation_check(token: str) -> ResidentInvitation:
    """The invitation behind a link, or a French explanation of why it no longer works."""
    invitation = (
        ResidentInvitation.objects.select_related("cafe__commune").filter(token=token).first()
        if isinstance(token, str) and len(token) <= 64
        else None
    )
    if invitation is None:
        raise ProjectError(_("This invitation link is not valid. Ask your café for a new one."))
    if invitation.is_revoked:
        raise ProjectError(
            _("This invitation link has been withdrawn by the café. Ask your café for a new one.")
        )
    if invitation.is_expired:
        raise ProjectError(_("This invitation link has expired. Ask your café for a new one."))
    return invitation


# --- Residents --------------------------------------------------------------------------------


def _project_channels_of(cafe_id: int) -> Iterable[Channel]:
    return Channel.objects.filter(project__cafe_id=cafe_id)


@transaction.atomic
def resident_join(*, member: Member, invitation: ResidentInvitation) -> Member:
    """Make a new account a resident of the invitation's café, approved at once (no staff
    review: the invitation is the café's word), in every channel of its projects."""
    invitation = invitation_check(invitation.token)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.role != Role.RESIDENT or member.resident_cafe_id not in (None, invitation.cafe_id):
        raise ProjectError(_("This account cannot join a café as a resident."))
    member.resident_cafe = invitation.cafe
    member.status = MembershipStatus.APPROVED
    member.reviewed_at = timezone.now()
    member.full_clean(exclude=["password"])
    member.save(update_fields=["resident_cafe", "status", "reviewed_at"])
    for channel in _project_channels_of(invitation.cafe_id):
        channel_members_add(channel=channel, members=[member])
    return member


def _resident_detach(member: Member) -> None:
    ChannelMembership.objects.filter(
        member=member, channel__project__cafe_id=member.resident_cafe_id
    ).delete()
    member.resident_cafe = None
    member.save(update_fields=["resident_cafe"])


@transaction.atomic
def resident_remove(*, actor: Member, resident: Member) -> Member:
    """The manager takes a resident off the café: out of its project channels, and the
    account sees no project any more. Their ideas stay, under their name."""
    resident = Member.objects.select_for_update().get(pk=resident.pk)
    if resident.role != Role.RESIDENT or resident.resident_cafe_id is None:
        raise ProjectError(_("This person is not a resident of the café."))
    if not can_manage_cafe_projects(actor, resident.resident_cafe_id):
        raise _forbidden()
    _resident_detach(resident)
    return resident


@transaction.atomic
def resident_leave(*, member: Member) -> Member:
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.role != Role.RESIDENT or member.resident_cafe_id is None:
        raise ProjectError(_("You are not a resident of a café."))
    _resident_detach(member)
    return member
