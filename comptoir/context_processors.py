from django.http import HttpRequest

from .navigation import navigation_for


def navigation(request: HttpRequest) -> dict:
    return {"nav_items": navigation_for(getattr(request, "user", None))}
