"""The public pages of the site, edited in the Wagtail admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index


class CardBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120)
    text = blocks.TextBlock(label=_("text"))

    class Meta:
        icon = "doc-full"
        label = _("Card")
        template = "comptoir/blocks/card.html"


class SectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=160)
    intro = blocks.RichTextBlock(label=_("introduction"), required=False)
    cards = blocks.ListBlock(CardBlock(), label=_("cards"), required=False)
    points = blocks.ListBlock(
        blocks.CharBlock(max_length=300), label=_("list of points"), required=False
    )

    class Meta:
        icon = "list-ul"
        label = _("Section")
        template = "comptoir/blocks/section.html"


class HomePage(Page):
    """Presents the network and its support scheme to every visitor."""

    members_only = False

    intro = RichTextField(_("introduction"), features=["bold", "italic", "link"])
    body = StreamField(
        [
            ("section", SectionBlock()),
            ("paragraph", blocks.RichTextBlock(label=_("Paragraph"))),
        ],
        verbose_name=_("body"),
        blank=True,
    )
    call_to_action = models.CharField(_("call to action"), max_length=200, blank=True)

    content_panels = [*Page.content_panels, "intro", "body", "call_to_action"]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["comptoir.StandardPage", "resources.ResourceLibraryPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")


class StandardPage(Page):
    """A plain public page: legal notice, accessibility statement..."""

    members_only = False

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(
        [
            ("heading", blocks.CharBlock(label=_("Heading"), form_classname="title")),
            ("paragraph", blocks.RichTextBlock(label=_("Paragraph"))),
        ],
        verbose_name=_("body"),
        blank=True,
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["comptoir.HomePage", "comptoir.StandardPage"]
    subpage_types = ["comptoir.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
