"""Reads of the library, narrowed to what the viewer may see."""

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from taggit.models import Tag

from .models import (
    Bookmark,
    Contribution,
    ResourceCategoryPage,
    ResourceFile,
    ResourceFileVersion,
    ResourcePage,
    UsefulVote,
)
from .permissions import can_curate_library, can_manage_files


def category_list() -> QuerySet[ResourceCategoryPage]:
    return ResourceCategoryPage.objects.live().order_by("path")


def _with_counts(queryset: QuerySet[ResourcePage]) -> QuerySet[ResourcePage]:
    return queryset.annotate(
        useful_count=Count("useful_votes", distinct=True),
    )


def resource_list_live() -> QuerySet[ResourcePage]:
    return _with_counts(ResourcePage.objects.live())


def resource_list_newest() -> QuerySet[ResourcePage]:
    return resource_list_live().order_by("-first_published_at", "-pk")


def resource_list_most_useful() -> QuerySet[ResourcePage]:
    return (
        resource_list_live()
        .filter(useful_count__gt=0)
        .order_by("-useful_count", "-first_published_at", "-pk")
    )


def resource_list_for_category(category: ResourceCategoryPage) -> QuerySet[ResourcePage]:
    return resource_list_live().child_of(category).order_by("title")


def tag_list_in_use() -> QuerySet[Tag]:
    """Tags of published resources, for the search filter."""
    live_ids = ResourcePage.objects.live().values("pk")
    return (
        Tag.objects.filter(resources_resourcepagetag_items__content_object__in=live_ids)
        .distinct()
        .order_by("name")
    )


def files_with_versions(page: ResourcePage) -> QuerySet[ResourceFile]:
    return ResourceFile.objects.filter(page=page).prefetch_related(
        Prefetch("versions", queryset=ResourceFileVersion.objects.order_by("-number"))
    )


def resource_detail_context(*, page: ResourcePage, member) -> dict[str, Any]:
    files = list(files_with_versions(page))
    member_id = getattr(member, "pk", None)
    contribution = Contribution.objects.filter(page=page).select_related("contributor").first()
    return {
        "files": files,
        "download_total": sum(file.download_count for file in files),
        "useful_count": UsefulVote.objects.filter(page=page).count(),
        "is_bookmarked": Bookmark.objects.filter(member_id=member_id, page=page).exists(),
        "has_voted": UsefulVote.objects.filter(member_id=member_id, page=page).exists(),
        "contribution": contribution,
        "can_manage_files": can_manage_files(member, page),
        "can_curate": can_curate_library(member),
    }


def toolbox_for_member(member) -> QuerySet[ResourcePage]:
    """The member's bookmarked resources that are still published, last added first."""
    return resource_list_live().filter(bookmarks__member=member).order_by("-bookmarks__created_at")


def contribution_list_for_member(member) -> QuerySet[Contribution]:
    return Contribution.objects.filter(contributor=member).select_related("page")
