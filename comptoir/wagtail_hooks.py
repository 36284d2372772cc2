from wagtail import hooks

from .access import decide, page_access


@hooks.register("before_serve_page")
def members_only_pages(page, request, serve_args, serve_kwargs):
    return decide(request, page_access(page))
