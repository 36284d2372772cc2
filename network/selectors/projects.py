"""Reads of the projects area, narrowed to what the viewer may see."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from ..models import (
    Idea,
    IdeaComment,
    IdeaReport,
    IdeaStatus,
    IdeaSupport,
    Member,
    MembershipStatus,
    Project,
    ResidentInvitation,
    Role,
)
from ..permissions import is_approved_member
from ..project_permissions import can_moderate_project, coached_cafe_ids, managed_cafe_ids

IDEA_SORTS = {
    "support": ("-support_count", "-created_at"),
    "recent": ("-created_at",),
    "oldest": ("created_at",),
}
DEFAULT_IDEA_SORT = "support"


def project_list_for_member(member: Member) -> QuerySet[Project]:
    """The projects the member may see: staff all of them, managers their cafés', residents
    their café's, coaches the cafés they follow."""
    projects = Project.objects.select_related("cafe__commune").annotate(
        idea_count=Count("ideas", filter=Q(ideas__hidden_at__isnull=True), distinct=True)
    )
    if not is_approved_member(member):
        return projects.none()
    if member.is_programme_staff:
        return projects
    if member.role == Role.RESIDENT:
        if member.resident_cafe_id is None:
            return projects.none()
        return projects.filter(cafe_id=member.resident_cafe_id)
    cafe_ids = managed_cafe_ids(member) | coached_cafe_ids(member)
    return projects.filter(cafe_id__in=cafe_ids)


def idea_list_for_project(
    viewer: Member, project: Project, *, sort: str = DEFAULT_IDEA_SORT, status: str = ""
) -> QuerySet[Idea]:
    """The project's ideas with their support count and whether the viewer supports each;
    hidden ones only for those who moderate (who see them marked as hidden)."""
    ideas = (
        Idea.objects.filter(project=project)
        .select_related("author", "entered_by")
        .annotate(
            support_count=Count("supports", distinct=True),
            comment_count=Count(
                "comments", filter=Q(comments__hidden_at__isnull=True), distinct=True
            ),
            viewer_supports=Exists(
                IdeaSupport.objects.filter(idea=OuterRef("pk"), member_id=viewer.pk)
            ),
        )
    )
    if not can_moderate_project(viewer, project):
        ideas = ideas.filter(hidden_at__isnull=True)
    if status in IdeaStatus.values:
        ideas = ideas.filter(status=status)
    return ideas.order_by(*IDEA_SORTS.get(sort, IDEA_SORTS[DEFAULT_IDEA_SORT]))


def idea_get_with_counts(viewer: Member, idea: Idea) -> Idea:
    return idea_list_for_project(viewer, idea.project).get(pk=idea.pk)


def comment_list_for_idea(viewer: Member, idea: Idea) -> QuerySet[IdeaComment]:
    comments = IdeaComment.objects.filter(idea=idea).select_related("author")
    if not can_moderate_project(viewer, idea.project):
        comments = comments.filter(hidden_at__isnull=True)
    return comments.order_by("created_at")


def project_status_counts(project: Project) -> list[tuple[str, str, int]]:
    """(status, label, number of visible ideas) for each status, for the summary."""
    counts = dict(
        Idea.objects.filter(project=project, hidden_at__isnull=True)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(value, label, counts.get(value, 0)) for value, label in IdeaStatus.choices]


def resident_list_for_cafe(cafe_id: int) -> QuerySet[Member]:
    return Member.objects.filter(
        resident_cafe_id=cafe_id,
        role=Role.RESIDENT,
        status=MembershipStatus.APPROVED,
        is_active=True,
    ).order_by("last_name", "first_name")


def invitation_list_for_cafe(cafe_id: int) -> QuerySet[ResidentInvitation]:
    return ResidentInvitation.objects.filter(cafe_id=cafe_id).order_by("-created_at")


def report_list_for_project(project: Project) -> QuerySet[IdeaReport]:
    """Open reports of the project's ideas and comments, for those who moderate it."""
    return (
        IdeaReport.objects.filter(resolved_at__isnull=True)
        .filter(Q(idea__project=project) | Q(comment__idea__project=project))
        .select_related("idea", "comment__idea", "comment__author", "reporter")
        .order_by("-created_at")
    )
