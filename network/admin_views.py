"""Staff review of membership requests, inside the Wagtail admin."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import MembershipRefusalForm
from .permissions import can_review_members
from .selectors import member_list_pending
from .services import MembershipError, member_approve, member_refuse


def _check_reviewer(request: HttpRequest) -> None:
    if not can_review_members(request.user):
        raise PermissionDenied


def pending_members(request: HttpRequest) -> HttpResponse:
    _check_reviewer(request)
    return render(
        request,
        "network/admin/pending_members.html",
        {
            "page_title": _("Membership requests"),
            "header_icon": "user",
            "members": member_list_pending(),
        },
    )


@require_POST
def approve_member(request: HttpRequest, member_id: int) -> HttpResponse:
    _check_reviewer(request)
    member = get_object_or_404(member_list_pending(), pk=member_id)
    try:
        member_approve(member=member, reviewer=request.user)
    except MembershipError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s is now a member. They have been told by e-mail.") % {"name": member},
        )
    return redirect("network_admin:pending_members")


def refuse_member(request: HttpRequest, member_id: int) -> HttpResponse:
    _check_reviewer(request)
    member = get_object_or_404(member_list_pending(), pk=member_id)
    form = MembershipRefusalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member_refuse(member=member, reviewer=request.user, reason=form.cleaned_data["reason"])
        except MembershipError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("The request of %(name)s has been refused. They have been told by e-mail.")
                % {"name": member},
            )
        return redirect("network_admin:pending_members")
    return render(
        request,
        "network/admin/refuse_member.html",
        {
            "page_title": _("Refuse a membership request"),
            "header_icon": "user",
            "member": member,
            "form": form,
        },
    )
