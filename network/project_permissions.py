"""Who may see and do what with a café's projects and ideas.

Residents see their own café's projects only; the café's managers run them; programme staff
(and the café's coach, once the programme app knows coaches) follow every project. Anyone else
is told the project does not exist (404), so its existence is not revealed.
"""

from django.http import Http404

from .models import Idea, IdeaComment, Member, MembershipStatus, Project, Role
from .permissions import is_approved_member


def is_resident(member: Member) -> bool:
    return is_approved_member(member) and member.role == Role.RESIDENT


def _is_staff(member: Member) -> bool:
    return is_approved_member(member) and member.is_programme_staff


def _support_file_model():
    """The programme's support files (café, coach), or None where that app has no such model:
    the projects area works without the programme app."""
    from django.apps import apps

    try:
        return apps.get_model("programme", "SupportFile")
    except LookupError:
        return None


def coached_cafe_ids(member: Member) -> set[int]:
    """The cafés this member coaches in the programme (kept on the member for the request)."""
    if not is_approved_member(member):
        return set()
    cached = getattr(member, "_coached_cafe_ids", None)
    if cached is None:
        model = _support_file_model()
        cached = (
            set(model.objects.filter(coach_id=member.pk).values_list("cafe_id", flat=True))
            if model is not None
            else set()
        )
        member._coached_cafe_ids = cached
    return cached


def project_coaches_for_cafe(cafe) -> list[Member]:
    """The café's coach(es) in the programme, added to each of its project channels."""
    model = _support_file_model()
    if model is None:
        return []
    coach_ids = model.objects.filter(cafe_id=cafe.pk).values_list("coach_id", flat=True)
    return list(
        Member.objects.filter(pk__in=coach_ids, status=MembershipStatus.APPROVED, is_active=True)
    )


def managed_cafe_ids(member: Member) -> set[int]:
    if not is_approved_member(member) or member.role != Role.MANAGER:
        return set()
    cached = getattr(member, "_managed_cafe_ids", None)
    if cached is None:
        cached = set(member.cafes.values_list("pk", flat=True))
        member._managed_cafe_ids = cached
    return cached


def can_use_projects(member: Member) -> bool:
    """The projects area: residents of a café, managers, staff (and coaches)."""
    if not is_approved_member(member):
        return False
    if _is_staff(member):
        return True
    if member.role == Role.RESIDENT:
        return member.resident_cafe_id is not None
    return member.role == Role.MANAGER or bool(coached_cafe_ids(member))


def can_view_cafe_projects(member: Member, cafe_id: int) -> bool:
    if not is_approved_member(member):
        return False
    if _is_staff(member):
        return True
    if member.role == Role.RESIDENT:
        return member.resident_cafe_id == cafe_id
    return cafe_id in managed_cafe_ids(member) or cafe_id in coached_cafe_ids(member)


def can_manage_cafe_projects(member: Member, cafe_id: int) -> bool:
    """Open and edit projects, invite and remove residents, answer ideas."""
    return _is_staff(member) or cafe_id in managed_cafe_ids(member)


def can_view_project(member: Member, project: Project) -> bool:
    return can_view_cafe_projects(member, project.cafe_id)


def can_manage_project(member: Member, project: Project) -> bool:
    return can_manage_cafe_projects(member, project.cafe_id)


def can_moderate_project(member: Member, project: Project) -> bool:
    """Hide ideas and comments: the café's managers and programme staff."""
    return can_manage_project(member, project)


def can_post_idea(member: Member, project: Project) -> bool:
    return project.accepts_ideas and can_view_project(member, project)


def can_enter_idea_on_behalf(member: Member, project: Project) -> bool:
    return project.accepts_ideas and can_manage_project(member, project)


def can_view_idea(member: Member, idea: Idea) -> bool:
    if not can_view_project(member, idea.project):
        return False
    return idea.is_visible or can_moderate_project(member, idea.project)


def can_support_idea(member: Member, idea: Idea) -> bool:
    return idea.is_visible and idea.project.accepts_ideas and can_view_project(member, idea.project)


def can_comment_idea(member: Member, idea: Idea) -> bool:
    return idea.is_visible and can_view_project(member, idea.project)


def can_answer_idea(member: Member, idea: Idea) -> bool:
    return can_manage_project(member, idea.project)


def can_report_idea(member: Member, idea: Idea) -> bool:
    return (
        idea.is_visible
        and can_view_project(member, idea.project)
        and (idea.author_id is None or idea.author_id != member.pk)
    )


def can_report_comment(member: Member, comment: IdeaComment) -> bool:
    return (
        comment.is_visible
        and can_view_idea(member, comment.idea)
        and comment.author_id != member.pk
    )


def get_project_or_404(member: Member, project_id: int, *, manage: bool = False) -> Project:
    """The project, or 404 whether it does not exist or belongs to another café."""
    project = (
        Project.objects.select_related("cafe__commune", "channel").filter(pk=project_id).first()
    )
    if project is None or not can_view_project(member, project):
        raise Http404
    if manage and not can_manage_project(member, project):
        raise Http404
    return project


def get_idea_or_404(member: Member, idea_id: int) -> Idea:
    idea = (
        Idea.objects.select_related("project__cafe__commune", "author", "entered_by")
        .filter(pk=idea_id)
        .first()
    )
    if idea is None or not can_view_idea(member, idea):
        raise Http404
    return idea


def can_open_upload(member: Member, path: str) -> bool:
    """Whether this approved member may open the upload at ``path`` (under MEDIA_ROOT).

    A project's photo (its original or any rendition of it) is for those who see the project;
    residents open nothing else (their pages show no other upload); other uploads (cafés'
    photos, images of the site's pages) are for every member of the network.
    """
    from wagtail.images import get_image_model

    image_model = get_image_model()
    image_ids = set(image_model.objects.filter(file=path).values_list("pk", flat=True))
    image_ids |= set(
        image_model.get_rendition_model()
        .objects.filter(file=path)
        .values_list("image_id", flat=True)
    )
    cafe_ids = set(Project.objects.filter(photo_id__in=image_ids).values_list("cafe_id", flat=True))
    if cafe_ids:
        return any(can_view_cafe_projects(member, cafe_id) for cafe_id in cafe_ids)
    return not is_resident(member)
