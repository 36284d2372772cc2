import uuid

from django import template
from django.core.cache import cache
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished

register = template.Library()

# Every page shows the footer links: they are cached under a generation that any publication,
# unpublication or deletion of a page renews.
FOOTER_GENERATION_KEY = "comptoir:footer-pages:generation"


def _footer_generation() -> str:
    generation = cache.get(FOOTER_GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.set(FOOTER_GENERATION_KEY, generation, timeout=None)
    return generation


@register.simple_tag(takes_context=True)
def footer_pages(context) -> list[tuple[str, str]]:
    """(url, title) of the public pages flagged "show in menus" under the site's home: the
    legal notice, the accessibility statement..."""
    request = context.get("request")
    if request is None:
        return []
    key = f"comptoir:footer-pages:{_footer_generation()}:{request.get_host()}"
    pages = cache.get(key)
    if pages is None:
        site = Site.find_for_request(request)
        pages = []
        if site is not None:
            children = site.root_page.get_children().live().public().in_menu()
            pages = [(page.get_url(request), page.title) for page in children]
        cache.set(key, pages, timeout=60 * 60)
    return pages


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_delete, sender=Page)
def forget_footer_pages(sender, **kwargs) -> None:
    cache.delete(FOOTER_GENERATION_KEY)
