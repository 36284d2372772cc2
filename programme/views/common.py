"""Answers shared by the programme's views."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from comptoir.access import roles_required
from network.models import Role

from ..services import not_following_message

programme_roles = roles_required(Role.MANAGER, Role.PROFESSIONAL)
manager_only = roles_required(Role.MANAGER)
staff_only = roles_required(Role.STAFF)


def not_found(request: HttpRequest) -> HttpResponse:
    """The same page whether the object does not exist or is not the visitor's to see, so
    nothing is learnt from the answer."""
    return render(request, "programme/not_found.html", status=404)


def not_following(request: HttpRequest, support_file) -> HttpResponse:
    """A manager who may read the file but not change it."""
    return render(
        request,
        "programme/forbidden.html",
        {"message": not_following_message(), "support_file": support_file},
        status=403,
    )


def show_error(form, error) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)
