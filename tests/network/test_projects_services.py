"""Projects, their channels, invitations and residents, through the services."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from network.models import ChannelKind, ChannelMembership, ProjectStage, Role
from network.services.projects import (
    ProjectError,
    invitation_check,
    invitation_revoke,
    project_update,
    resident_join,
    resident_leave,
    resident_remove,
)

from .projects_fixtures import *  # noqa: F403 (the fixtures)

pytestmark = pytest.mark.django_db


def _channel_member_ids(project) -> set[int]:
    return set(
        ChannelMembership.objects.filter(channel=project.channel).values_list(
            "member_id", flat=True
        )
    )


def test_a_project_has_a_private_channel_with_manager_residents_and_staff(
    village_resident, staff_member, manager, outsider, project_factory
):
    project = project_factory()
    assert project.channel.kind == ChannelKind.PRIVATE
    assert project.channel.name == "Projet : Un dépôt de pain"
    members = _channel_member_ids(project)
    assert {manager.pk, village_resident.pk, staff_member.pk} <= members
    assert outsider.pk not in members


def test_a_manager_cannot_open_a_project_for_another_cafe(other_cafe, project_factory):
    with pytest.raises(ProjectError) as error:
        project_factory(on_cafe=other_cafe)
    assert "café" in error.value.message


def test_a_resident_cannot_open_a_project(village_resident, project_factory):
    with pytest.raises(ProjectError):
        project_factory(actor=village_resident)


def test_an_empty_title_is_refused_in_french(project_factory):
    with pytest.raises(ProjectError) as error:
        project_factory(title="   ")
    assert error.value.message == "Donnez un titre au projet."


def test_renaming_a_project_renames_its_channel(project, manager):
    project_update(
        actor=manager,
        project=project,
        title="Marché de producteurs",
        description=project.description,
        stage=ProjectStage.IN_PROGRESS,
        ideas_deadline=None,
    )
    project.channel.refresh_from_db()
    assert project.channel.name == "Projet : Marché de producteurs"


def test_joining_through_an_invitation_makes_an_approved_resident_in_every_channel(
    project, invitation, member_factory
):
    newcomer = member_factory(role=Role.RESIDENT, status="pending")
    resident_join(member=newcomer, invitation=invitation)
    newcomer.refresh_from_db()
    assert newcomer.resident_cafe_id == project.cafe_id
    assert newcomer.is_approved
    assert newcomer.pk in _channel_member_ids(project)


def test_a_revoked_or_expired_invitation_no_longer_works(invitation, manager):
    invitation_revoke(actor=manager, invitation=invitation)
    with pytest.raises(ProjectError) as error:
        invitation_check(invitation.token)
    assert "retiré" in error.value.message

    fresh = type(invitation).objects.create(
        cafe=invitation.cafe, created_by=manager, expires_at=timezone.now() - timedelta(days=1)
    )
    with pytest.raises(ProjectError) as error:
        invitation_check(fresh.token)
    assert "expiré" in error.value.message
    with pytest.raises(ProjectError) as error:
        invitation_check("pas-un-jeton")
    assert "n'est pas valide" in error.value.message


def test_another_manager_cannot_revoke_the_invitation(invitation, other_manager):
    with pytest.raises(ProjectError):
        invitation_revoke(actor=other_manager, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_the_manager_removes_a_resident(village_resident, project, manager):
    assert village_resident.pk in _channel_member_ids(project)
    resident_remove(actor=manager, resident=village_resident)
    village_resident.refresh_from_db()
    assert village_resident.resident_cafe_id is None
    assert village_resident.pk not in _channel_member_ids(project)


def test_another_manager_cannot_remove_the_resident(village_resident, other_manager):
    with pytest.raises(ProjectError):
        resident_remove(actor=other_manager, resident=village_resident)
    village_resident.refresh_from_db()
    assert village_resident.resident_cafe_id is not None


def test_a_resident_leaves_the_cafe(village_resident, project):
    resident_leave(member=village_resident)
    village_resident.refresh_from_db()
    assert village_resident.resident_cafe_id is None
    assert village_resident.pk not in _channel_member_ids(project)


def test_the_database_refuses_an_unknown_stage(project):
    project.stage = "bientot"
    with pytest.raises(IntegrityError):
        project.save(update_fields=["stage"])


def test_a_deadline_in_the_past_closes_ideas(project_factory):
    closed = project_factory(ideas_deadline=timezone.localdate() - timedelta(days=1))
    open_today = project_factory(ideas_deadline=timezone.localdate())
    assert not closed.accepts_ideas
    assert open_today.accepts_ideas


def test_saving_a_project_brings_new_managers_into_its_channel(project, manager, member_factory):
    newcomer = member_factory(role=Role.MANAGER)
    project.cafe.managers.add(newcomer)
    project_update(
        actor=manager,
        project=project,
        title=project.title,
        description=project.description,
        stage=project.stage,
        ideas_deadline=None,
    )
    assert newcomer.pk in _channel_member_ids(project)
