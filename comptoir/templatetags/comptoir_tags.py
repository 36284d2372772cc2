from django import template
from wagtail.models import Page, Site

register = template.Library()


@register.simple_tag(takes_context=True)
def footer_pages(context) -> list[Page]:
    """Public pages flagged "show in menus" under the site's home (legal notice, accessibility)."""
    request = context.get("request")
    if request is None:
        return []
    site = Site.find_for_request(request)
    if site is None:
        return []
    return list(site.root_page.get_children().live().public().in_menu().specific())
