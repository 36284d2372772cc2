"""Every write of the library: pages, files and their versions, bookmarks, votes, contributions."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image
from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowPage, WorkflowTask
from wagtail.search.index import insert_or_update_object

from comptoir.uploads import photo_reencode
from network.models import Member

from .files import check_upload, extract_text
from .models import (
    Bookmark,
    Contribution,
    ResourceCategoryPage,
    ResourceFile,
    ResourceFileVersion,
    ResourceLibraryPage,
    ResourcePage,
    UsefulVote,
)
from .permissions import can_contribute, can_manage_files, can_read_resource

logger = logging.getLogger(__name__)

LIBRARY = {"title": "Bibliothèque d'outils", "slug": "bibliotheque"}
CATEGORIES = [
    (
        "gestion-et-comptabilite",
        "Gestion et comptabilité",
        "Trésorerie, prix de revient, tableaux de bord : tenir les comptes du café.",
    ),
    (
        "nouveaux-services",
        "Nouveaux services",
        "Épicerie, dépôt de pain, relais colis ou poste, repas : ce qui fait venir le village.",
    ),
    (
        "hygiene-et-reglementation",
        "Hygiène et réglementation",
        "Licences, affichages obligatoires, plan de maîtrise sanitaire, sécurité.",
    ),
    (
        "evenements-et-animation",
        "Événements et animation",
        "Concerts, marchés, soirées jeux : organiser et faire connaître.",
    ),
    (
        "communication",
        "Communication",
        "Affiches, réseaux sociaux, bulletin municipal : se faire connaître.",
    ),
    (
        "co-construction-avec-les-habitants",
        "Co-construction avec les habitants",
        "Recueillir les idées du village et bâtir les projets avec lui.",
    ),
]
WORKFLOW_NAME = "Relecture des ressources proposées"


class ResourceError(Exception):
    """A write refused for a reason the member can read."""


def _reindex(page: ResourcePage) -> None:
    # At once, as Wagtail does on save: the database backend's index rolls back with the rest.
    fresh = ResourcePage.objects.filter(pk=page.pk).first()
    if fresh is not None:
        insert_or_update_object(fresh)


@transaction.atomic
def library_ensure() -> ResourceLibraryPage:
    """The library page under the home page, its categories and the review workflow.
    Idempotent: pages edited by staff are left as they are."""
    from comptoir.models import HomePage
    from network.services import programme_staff_group_ensure

    library = ResourceLibraryPage.objects.first()
    if library is None:
        home = HomePage.objects.first()
        if home is None:
            from comptoir.services import site_tree_ensure

            home = site_tree_ensure()
        library = ResourceLibraryPage(
            title=LIBRARY["title"],
            slug=LIBRARY["slug"],
            intro="<p>Des outils prêts à l'emploi, écrits et partagés par le réseau : "
            "tableaux, modèles, guides et listes de contrôle.</p>",
        )
        home.add_child(instance=library)
    existing = set(ResourceCategoryPage.objects.child_of(library).values_list("slug", flat=True))
    for slug, title, intro in CATEGORIES:
        if slug not in existing:
            library.add_child(instance=ResourceCategoryPage(title=title, slug=slug, intro=intro))
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        task = GroupApprovalTask.objects.create(name="Relecture par l'équipe du programme")
        task.groups.set([programme_staff_group_ensure()])
        # The manager, not the workflow's cluster: that one only saves with the workflow.
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=library.page_ptr, defaults={"workflow": workflow})
    return library


@transaction.atomic
def resource_create(
    *,
    category: ResourceCategoryPage,
    title: str,
    summary: str,
    resource_type: str,
    audience: str = "everyone",
    credit: str = "",
    body: list[dict] | None = None,
    tags: list[str] = (),
    links: list[tuple[str, str]] = (),
    owner: Member | None = None,
    publish: bool = True,
) -> ResourcePage:
    """A resource page written by staff (the admin does the same), published by default."""
    import json

    from .models import ResourceLink

    page = ResourcePage(
        title=title,
        slug=_free_slug(category, title),
        summary=summary,
        resource_type=resource_type,
        audience=audience,
        credit=credit,
        body=json.dumps(body or []),
        owner=owner,
        live=False,
    )
    page.tags.add(*tags)
    page.links = [ResourceLink(title=link_title, url=url) for link_title, url in links]
    category.add_child(instance=page)
    revision = page.save_revision(user=owner)
    if publish:
        revision.publish(user=owner)
        page.refresh_from_db()
    return page


def _read_checked(upload: UploadedFile) -> tuple[bytes, str, str]:
    checked = check_upload(upload)
    if checked.family == "image":
        # Only the pixels are kept (no EXIF position, nothing appended), at full size: a poster
        # must still print well.
        try:
            data = photo_reencode(upload, max_side=None, quality=92).read()
        except (OSError, ValueError, Image.DecompressionBombError) as error:
            raise ValidationError(
                _("This image cannot be read: send it again as PNG or JPEG."), code="image"
            ) from error
        return data, checked.family, checked.content_type
    upload.seek(0)
    data = upload.read()
    return data, checked.family, checked.content_type


def _version_create(
    *, file: ResourceFile, number: int, upload: UploadedFile, actor: Member | None
) -> ResourceFileVersion:
    data, family, content_type = _read_checked(upload)
    extension = (upload.name or "").rsplit(".", 1)[-1].lower()
    extracted = extract_text(data, family, extension)
    version = ResourceFileVersion(
        file=file,
        number=number,
        original_name=_clean_name(upload.name or "fichier"),
        content_type=content_type,
        size=len(data),
        uploaded_by=actor,
        text=extracted.text,
        text_status=extracted.status,
    )
    version.blob.save(version.original_name, ContentFile(data), save=False)
    version.full_clean()
    version.save()
    return version


def _clean_name(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = slugify(stem)[:120] or "fichier"
    return f"{stem}.{extension.lower()}" if extension else stem


@transaction.atomic
def resource_file_add(
    *, actor: Member | None, page: ResourcePage, title: str, upload: UploadedFile
) -> ResourceFile:
    """Attach a file (its version 1). Raises ValidationError for a refused upload."""
    if actor is not None and not can_manage_files(actor, page):
        raise PermissionDenied
    file = ResourceFile(page=page, title=title.strip() or upload.name or "")
    file.full_clean()
    file.save()
    _version_create(file=file, number=1, upload=upload, actor=actor)
    _reindex(page)
    return file


@transaction.atomic
def resource_file_version_add(
    *, actor: Member | None, file: ResourceFile, upload: UploadedFile
) -> ResourceFileVersion:
    """A new version of the file, under the same address; earlier ones stay listed.
    The file row is locked so two uploads at once get distinct numbers."""
    file = ResourceFile.objects.select_for_update().select_related("page").get(pk=file.pk)
    if actor is not None and not can_manage_files(actor, file.page):
        raise PermissionDenied
    last = file.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = _version_create(file=file, number=last + 1, upload=upload, actor=actor)
    _reindex(file.page)
    return version


def file_download_record(*, file: ResourceFile) -> None:
    # One UPDATE, no read-modify-write: concurrent downloads all count.
    ResourceFile.objects.filter(pk=file.pk).update(download_count=F("download_count") + 1)


@transaction.atomic
def bookmark_toggle(*, member: Member, page: ResourcePage) -> bool:
    """Add the resource to the member's toolbox, or take it out. True when it is now in."""
    if not can_read_resource(member, page):
        raise PermissionDenied
    deleted, _rows = Bookmark.objects.filter(member=member, page=page).delete()
    if deleted:
        return False
    Bookmark.objects.get_or_create(member=member, page=page)
    return True


@transaction.atomic
def useful_vote_toggle(*, member: Member, page: ResourcePage) -> bool:
    """Say the resource is useful, or take the vote back. True when the vote now counts."""
    if not can_read_resource(member, page) or not page.live:
        raise PermissionDenied
    deleted, _rows = UsefulVote.objects.filter(member=member, page=page).delete()
    if deleted:
        return False
    UsefulVote.objects.get_or_create(member=member, page=page)
    return True


@transaction.atomic
def contribution_submit(
    *,
    contributor: Member,
    category: ResourceCategoryPage,
    title: str,
    summary: str,
    resource_type: str,
    uploads: list[UploadedFile],
) -> Contribution:
    """A member's proposal becomes a draft resource, submitted to the staff's review workflow.

    Every upload is checked before anything is written: one refused file refuses the whole
    proposal, with its message (nothing half-created is left)."""
    if not can_contribute(contributor):
        raise PermissionDenied
    for upload in uploads:
        check_upload(upload)
    page = ResourcePage(
        title=title.strip(),
        summary=summary.strip(),
        resource_type=resource_type,
        credit=contributor.get_full_name() or contributor.email,
        owner=contributor,
        live=False,
    )
    page.slug = _free_slug(category, title)
    category.add_child(instance=page)
    contribution = Contribution(page=page, contributor=contributor)
    contribution.full_clean()
    contribution.save()
    for upload in uploads:
        stem = (upload.name or "").rsplit(".", 1)[0]
        resource_file_add(actor=contributor, page=page, title=stem.replace("_", " "), upload=upload)
    revision = page.save_revision(user=contributor, log_action=True)
    workflow = page.get_workflow()
    if workflow is None:
        raise ResourceError(_("The library has no review workflow: tell the programme staff."))
    if not contributor.is_programme_staff:
        # Wagtail would mail the decision with a link into the admin, which members cannot
        # open; the library tells them itself (notifications.py), on the site.
        from wagtail.users.models import UserProfile

        profile = UserProfile.get_for_user(contributor)
        if profile.approved_notifications or profile.rejected_notifications:
            profile.approved_notifications = False
            profile.rejected_notifications = False
            profile.save(update_fields=["approved_notifications", "rejected_notifications"])
    workflow.start(page, contributor)
    logger.info(
        "resource %s proposed by member %s (revision %s)", page.pk, contributor.pk, revision.pk
    )
    return contribution


def _free_slug(parent: Page, title: str) -> str:
    base = slugify(title)[:200] or "ressource"
    slug, number = base, 1
    siblings = set(parent.get_children().values_list("slug", flat=True))
    while slug in siblings:
        number += 1
        slug = f"{base}-{number}"
    return slug


def contribution_published(*, page: ResourcePage) -> None:
    """Called when a resource is published: a contribution is credited and its author told,
    once (later publications of the same page say nothing)."""
    from .notifications import notify_contribution_published

    with transaction.atomic():
        updated = Contribution.objects.filter(page_id=page.pk, published_at__isnull=True).update(
            published_at=timezone.now(), review_comment=""
        )
        if not updated:
            return
        contribution = Contribution.objects.select_related("contributor", "page").get(
            page_id=page.pk
        )
        transaction.on_commit(lambda: notify_contribution_published(contribution))


def contribution_changes_requested(*, page: Page, comment: str) -> None:
    """Staff sent the proposal back with a comment: keep it for the contributor, tell them."""
    from .notifications import notify_contribution_changes_requested

    contribution = (
        Contribution.objects.select_related("contributor", "page").filter(page_id=page.pk).first()
    )
    if contribution is None:
        return
    contribution.review_comment = comment
    contribution.save(update_fields=["review_comment"])
    transaction.on_commit(lambda: notify_contribution_changes_requested(contribution))


@transaction.atomic
def contribution_resubmit(
    *, contributor: Member, contribution: Contribution, title: str, summary: str, resource_type: str
) -> Contribution:
    """The contributor answers the staff's request for changes: the draft is updated and goes
    back to the same review task."""
    from .permissions import can_edit_contribution

    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    page = ResourcePage.objects.get(pk=contribution.page_id)
    if not can_edit_contribution(contributor, page):
        raise PermissionDenied
    page.title = title.strip()
    page.summary = summary.strip()
    page.resource_type = resource_type
    # A page never published keeps its draft in its own row too, as Wagtail's editor does.
    page.save()
    page.save_revision(user=contributor, log_action=True)
    page.current_workflow_state.resume(user=contributor)
    contribution.review_comment = ""
    contribution.save(update_fields=["review_comment"])
    _reindex(page)
    return contribution


@transaction.atomic
def resource_file_delete(*, actor: Member, file: ResourceFile) -> None:
    """Take a file and all its versions off the resource; the stored files go once committed."""
    file = ResourceFile.objects.select_for_update().select_related("page").get(pk=file.pk)
    if not can_manage_files(actor, file.page):
        raise PermissionDenied
    blobs = [(version.blob.storage, version.blob.name) for version in file.versions.all()]
    page = file.page
    file.delete()
    _reindex(page)

    def remove_blobs() -> None:
        for storage, name in blobs:
            storage.delete(name)

    transaction.on_commit(remove_blobs)
