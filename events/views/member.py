"""A member's own trainings: their page, and their personal calendar feed."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from comptoir.access import roles_required
from comptoir.mail import absolute_url
from directory.permissions import DIRECTORY_ROLES

from ..calendars import registrations_calendar
from ..permissions import can_attend_trainings, can_download_attestation
from ..selectors.members import (
    calendar_feed_get_by_token,
    calendar_feed_of,
    registration_list_for_member,
)
from ..services.feeds import calendar_feed_renew, calendar_feed_revoke

training_roles = roles_required(*DIRECTORY_ROLES)

# The personal feed shows the sessions of the last 90 days and all those to come.
FEED_PAST_DAYS = 90


@training_roles
def my_trainings(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    registrations = list(registration_list_for_member(member=request.user))
    upcoming = [r for r in registrations if r.session.ends_at > now]
    past = [r for r in reversed(registrations) if r.session.ends_at <= now]
    attestations = {r.pk for r in past if can_download_attestation(request.user, r)}
    feed = calendar_feed_of(member=request.user)
    feed_url = absolute_url(reverse("events:calendar_feed", args=[feed.token])) if feed else ""
    return render(
        request,
        "events/my_trainings.html",
        {
            "upcoming": upcoming,
            "past": past,
            "attestations": attestations,
            "feed_url": feed_url,
            # webcal:// opens the subscription dialog of the device's calendar app.
            "feed_webcal_url": feed_url.replace("https://", "webcal://", 1).replace(
                "http://", "webcal://", 1
            ),
        },
    )


@training_roles
@require_POST
def feed_renew(request: HttpRequest) -> HttpResponse:
    had_feed = calendar_feed_of(member=request.user) is not None
    calendar_feed_renew(member=request.user)
    if had_feed:
        messages.success(
            request,
            _(
                "Your calendar has a new address: the old one no longer works. "
                "Replace it in your calendar app."
            ),
        )
    else:
        messages.success(
            request, _("Your personal calendar is ready: add its address to your calendar app.")
        )
    return redirect(reverse("events:my_trainings") + "#agenda")


@training_roles
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    calendar_feed_revoke(member=request.user)
    messages.success(
        request, _("Your personal calendar has been deleted: its address no longer works.")
    )
    return redirect(reverse("events:my_trainings") + "#agenda")


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Public route read by calendar apps, which send no cookie: the token is the credential.
    An unknown or revoked token and a member who may no longer follow trainings get the same
    404, so the answer never tells whether a token existed."""
    feed = calendar_feed_get_by_token(token=token)
    if feed is None or not can_attend_trainings(feed.member):
        raise Http404
    member = feed.member
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    registrations = registration_list_for_member(member=member, since=since)
    with translation.override(member.language or None):
        body = registrations_calendar(
            registrations, name=_("My trainings – %(site)s") % {"site": settings.WAGTAIL_SITE_NAME}
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="mes-formations.ics"'
    # Personal data behind a secret address: no shared cache may keep it.
    response["Cache-Control"] = "private"
    return response
