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
    FORMER_MEMBER_LABEL,
    SELF_SIGNUP_ROLES,
    DigestFrequency,
    Member,
    MemberManager,
    MembershipStatus,
    Role,
)
from .privacy import MemberErasure
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
    "FORMER_MEMBER_LABEL",
    "SELF_SIGNUP_ROLES",
    "Channel",
    "ChannelKind",
    "ChannelMembership",
    "DigestFrequency",
    "Member",
    "MemberErasure",
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
