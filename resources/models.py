"""The library of practical tools: Wagtail pages (index, categories, resources) and the files,
bookmarks, votes and contributions that hang from resource pages.

Files, counters, bookmarks and votes are plain models pointing at the page, not parts of the
page's revisions: publishing a revision never rolls a download count back or forgets a version.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from directory.text import fold

from .storage import private_storage


class ResourceType(models.TextChoices):
    GUIDE = "guide", _("Guide")
    TEMPLATE = "template", _("Template")
    SPREADSHEET = "spreadsheet", _("Spreadsheet")
    CHECKLIST = "checklist", _("Checklist")
    VIDEO = "video", _("Video")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Every member")
    MANAGERS = "managers", _("Café managers")
    PROFESSIONALS = "professionals", _("Professionals and trainers")
    RESIDENTS = "residents", _("Residents and volunteers")


class ResourceLibraryPage(Page):
    """The library's home: categories, newest and most useful resources, search."""

    intro = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["comptoir.HomePage"]
    subpage_types = ["resources.ResourceCategoryPage"]
    max_count = 1

    class Meta:
        verbose_name = _("resource library")

    def get_context(self, request, *args, **kwargs):
        from .selectors import category_list, resource_list_most_useful, resource_list_newest

        context = super().get_context(request, *args, **kwargs)
        context["categories"] = category_list()
        context["newest"] = resource_list_newest()[:5]
        context["most_useful"] = resource_list_most_useful()[:5]
        return context


class ResourceCategoryPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["resources.ResourceLibraryPage"]
    subpage_types = ["resources.ResourcePage"]

    class Meta:
        verbose_name = _("resource category")
        verbose_name_plural = _("resource categories")

    def get_context(self, request, *args, **kwargs):
        from .selectors import resource_list_for_category

        context = super().get_context(request, *args, **kwargs)
        context["resources"] = resource_list_for_category(self)
        return context


class ResourcePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "resources.ResourcePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ResourcePage(Page):
    """One tool: what it is for, how to use it, its files and links."""

    summary = models.TextField(_("summary"), max_length=600)
    body = StreamField(
        [
            ("heading", blocks.CharBlock(label=_("Heading"), max_length=160)),
            ("paragraph", blocks.RichTextBlock(label=_("Paragraph"))),
            (
                "steps",
                blocks.ListBlock(blocks.CharBlock(max_length=400), label=_("Steps")),
            ),
        ],
        verbose_name=_("body"),
        blank=True,
    )
    resource_type = models.CharField(
        _("type"), max_length=20, choices=ResourceType.choices, default=ResourceType.GUIDE
    )
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE
    )
    credit = models.CharField(
        _("author or credit"),
        max_length=200,
        blank=True,
        help_text=_("Who wrote or shared this tool, as it should be credited."),
    )
    tags = ClusterTaggableManager(through=ResourcePageTag, blank=True, verbose_name=_("tags"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("resource_type"), FieldPanel("audience"), FieldPanel("credit")],
            heading=_("Description"),
        ),
        FieldPanel("tags"),
        FieldPanel("body"),
        InlinePanel("links", label=_("Links")),
        HelpPanel(
            content=_(
                "Attached files are added and replaced from the resource's page on the site "
                "(“Add a file”, “Upload a new version”): each file keeps its address and its "
                "earlier versions."
            )
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        # Folded copy (no accents, lower case) of everything a member may search for, the
        # text inside the attached files included: the query is folded the same way, so
        # "tresorerie" finds "Trésorerie" on every backend.
        index.SearchField("search_text"),
        index.FilterField("resource_type"),
        index.FilterField("audience"),
    ]
    parent_page_types = ["resources.ResourceCategoryPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    @property
    def category(self) -> Page:
        return self.get_parent()

    @property
    def search_text(self) -> str:
        parts = [self.title, self.summary, self.credit, self.get_resource_type_display()]
        parts.append(" ".join(tag.name for tag in self.tags.all()))
        for block in self.body:
            parts.append(str(block.block.get_searchable_content(block.value)))
        for file in self.files.all():
            parts.append(file.title)
            latest = file.latest_version
            if latest is not None:
                parts.append(latest.original_name)
                parts.append(latest.text)
        return fold(" ".join(parts))

    def get_context(self, request, *args, **kwargs):
        from .selectors import resource_detail_context

        context = super().get_context(request, *args, **kwargs)
        context.update(resource_detail_context(page=self, member=request.user))
        return context


class ResourceLink(Orderable):
    page = ParentalKey(ResourcePage, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("address"))

    panels = [FieldPanel("title"), FieldPanel("url")]

    def __str__(self) -> str:
        return self.title


class ResourceFile(models.Model):
    """An attached file, with one stable address whatever version it is at."""

    page = models.ForeignKey(
        ResourcePage, on_delete=models.CASCADE, related_name="files", verbose_name=_("resource")
    )
    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(_("added on"), auto_now_add=True)
    download_count = models.PositiveIntegerField(_("downloads"), default=0)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("attached file")
        verbose_name_plural = _("attached files")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:file_download", kwargs={"file_id": self.pk})

    @cached_property
    def latest_version(self) -> "ResourceFileVersion | None":
        versions = list(self.versions.all())  # prefetched, newest first, by the selectors
        return versions[0] if versions else None

    @property
    def earlier_versions(self) -> list["ResourceFileVersion"]:
        return list(self.versions.all())[1:]


def _version_upload_to(instance: "ResourceFileVersion", filename: str) -> str:
    # A random folder per version: no two uploads meet, and a name cannot be guessed.
    return f"resources/{uuid.uuid4().hex}/{PurePath(filename).name}"


class TextStatus(models.TextChoices):
    EXTRACTED = "extracted", _("text indexed")
    EMPTY = "empty", _("no text found")
    UNREADABLE = "unreadable", _("text could not be read")
    NOT_TEXT = "not_text", _("not a text document")


class ResourceFileVersion(models.Model):
    file = models.ForeignKey(ResourceFile, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    blob = models.FileField(_("file"), storage=private_storage, upload_to=_version_upload_to)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded on"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("extracted text"), blank=True)
    text_status = models.CharField(max_length=20, choices=TextStatus.choices)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["file", "number"], name="resources_version_number")
        ]
        verbose_name = _("file version")
        verbose_name_plural = _("file versions")

    def __str__(self) -> str:
        return f"{self.original_name} (v{self.number})"

    def get_absolute_url(self) -> str:
        return reverse(
            "resources:file_version_download",
            kwargs={"file_id": self.file_id, "number": self.number},
        )


class Bookmark(models.Model):
    """A resource in a member's toolbox."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resource_bookmarks"
    )
    page = models.ForeignKey(ResourcePage, on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["member", "page"], name="resources_bookmark_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} -> {self.page_id}"


class UsefulVote(models.Model):
    """A member found the resource useful (one vote per member and resource)."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resource_votes"
    )
    page = models.ForeignKey(ResourcePage, on_delete=models.CASCADE, related_name="useful_votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "page"], name="resources_vote_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} +1 {self.page_id}"


class Contribution(models.Model):
    """A resource a member proposed from the site, followed through the staff's review."""

    page = models.OneToOneField(ResourcePage, on_delete=models.CASCADE, related_name="contribution")
    contributor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resource_contributions"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # The staff's last word when they asked for changes, shown to the contributor.
    review_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.page_id} by {self.contributor_id}"

    @cached_property
    def state(self) -> str:
        """ "published", "changes_requested" or "in_review", for the contributor's list."""
        if self.page.live:
            return "published"
        workflow_state = self.page.current_workflow_state
        if (
            workflow_state is not None
            and workflow_state.status == workflow_state.STATUS_NEEDS_CHANGES
        ):
            return "changes_requested"
        return "in_review"
