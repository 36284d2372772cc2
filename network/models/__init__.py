"""The members of the network and their discussion channels."""

from .channels import (
    Channel,
    ChannelKind,
    ChannelMembership,
    Mention,
    Message,
    MessageReport,
)
from .members import (
    SELF_SIGNUP_ROLES,
    DigestFrequency,
    Member,
    MemberManager,
    MembershipStatus,
    Role,
)
from .projects import (
    Idea,
    IdeaComment,
    IdeaReport,
    IdeaStatus,
    IdeaSupport,
    Project,
    ProjectStage,
    ResidentInvitation,
)

__all__ = [
    "SELF_SIGNUP_ROLES",
    "Channel",
    "ChannelKind",
    "ChannelMembership",
    "DigestFrequency",
    "Member",
    "MemberManager",
    "MembershipStatus",
    "Mention",
    "Message",
    "MessageReport",
    "Role",
    "Idea",
    "IdeaComment",
    "IdeaReport",
    "IdeaStatus",
    "IdeaSupport",
    "Project",
    "ProjectStage",
    "ResidentInvitation",
]
