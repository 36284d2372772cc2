"""Reporting a message, staff moderation, search in the channels' history and the member's
choice of e-mails about the channels."""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from ..models import ChannelKind, Message
from ..moderation_forms import (
    MessageHideForm,
    MessageReportForm,
    MessageSearchForm,
    NotificationSettingsForm,
)
from ..permissions import (
    can_hide_message,
    can_manage_channels,
    can_read_channel,
    can_review_message,
    can_use_channels,
)
from ..selectors.channels import SEARCH_LIMIT
from ..selectors.channels import message_search as search_messages
from ..selectors.moderation import (
    report_exists,
    report_list_open,
    report_list_open_for_message,
)
from ..services.channels import ChannelError
from ..services.channels import message_hide as hide_message
from ..services.channels import message_report as report_message
from ..services.moderation import message_reports_dismiss
from ..services.notifications import member_digest_frequency_set, message_url

# Characters shown on each side of the match in a search result.
EXCERPT_RADIUS = 90


def _check_can_use_channels(member) -> None:
    if not can_use_channels(member):
        raise PermissionDenied


def _check_can_moderate(member) -> None:
    if not can_manage_channels(member):
        raise PermissionDenied


def _message_or_404(message_id: int) -> Message:
    message = Message.objects.select_related("channel", "author").filter(pk=message_id).first()
    if message is None:
        raise Http404
    return message


# --- Reporting -------------------------------------------------------------------------------


def _report_refusal(member, message: Message) -> str:
    """Why the member cannot report this message, or "" when they can."""
    if message.author_id == member.pk:
        return _("You cannot report your own message.")
    if not message.is_visible:
        return _("This message is no longer shown: nothing to report.")
    if report_exists(member=member, message=message):
        return _("You have already reported this message.")
    return ""


@require_http_methods(["GET", "HEAD", "POST"])
def message_report(request: HttpRequest, message_id: int) -> HttpResponse:
    member = request.user
    _check_can_use_channels(member)
    message = _message_or_404(message_id)
    if not can_read_channel(member, message.channel):
        raise Http404  # the same answer as for a message that does not exist
    back_url = message_url(message)
    refusal = _report_refusal(member, message)
    form = MessageReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            report_message(reporter=member, message=message, reason=form.cleaned_data["reason"])
        except ChannelError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "Thank you: your report has been sent to the programme team, "
                    "who will look at the message."
                ),
            )
            return redirect(back_url)
    return render(
        request,
        "network/moderation/message_report.html",
        {"message": message, "form": form, "refusal": refusal, "back_url": back_url},
    )


# --- Staff moderation ------------------------------------------------------------------------


def _reported_messages(reports) -> list[dict]:
    """Open reports grouped by message, in the order of their first report."""
    grouped: dict[int, dict] = {}
    for report in reports:
        entry = grouped.setdefault(
            report.message_id,
            {
                "message": report.message,
                "reports": [],
                "can_hide": report.message.channel.kind != ChannelKind.DIRECT,
                "url": message_url(report.message),
            },
        )
        entry["reports"].append(report)
    return list(grouped.values())


@require_http_methods(["GET", "HEAD", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    """Open reports for staff; a POST with ``dismiss`` closes a message's reports without
    hiding it."""
    _check_can_moderate(request.user)
    if request.method == "POST":
        message_id = request.POST.get("dismiss", "")
        message = (
            Message.objects.filter(pk=int(message_id)).first()
            if re.fullmatch(r"[0-9]{1,18}", message_id)
            else None
        )
        if message is None:
            messages.error(request, _("This message no longer exists."))
        else:
            closed = message_reports_dismiss(actor=request.user, message=message)
            if closed:
                messages.success(
                    request,
                    ngettext(
                        "The report has been closed; the message stays shown.",
                        "The %(count)s reports have been closed; the message stays shown.",
                        closed,
                    )
                    % {"count": closed},
                )
            else:
                messages.info(request, _("These reports had already been dealt with."))
        return redirect("network:reports")
    reports = report_list_open()
    return render(
        request,
        "network/moderation/report_list.html",
        {"reported": _reported_messages(reports), "report_count": len(reports)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def message_hide(request: HttpRequest, message_id: int) -> HttpResponse:
    member = request.user
    _check_can_moderate(member)
    message = _message_or_404(message_id)
    if not can_review_message(member, message):
        raise Http404
    can_hide = can_hide_message(member, message)
    form = MessageHideForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and can_hide and message.hidden_at is None and form.is_valid():
        try:
            hide_message(actor=member, message=message, reason=form.cleaned_data["reason"])
        except ChannelError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "The message is hidden: members see that it was hidden, without its text. "
                    "Its reports are closed."
                ),
            )
            return redirect("network:reports")
    return render(
        request,
        "network/moderation/message_hide.html",
        {
            "message": message,
            "form": form,
            "can_hide": can_hide,
            "reports": report_list_open_for_message(message),
            "url": message_url(message),
        },
    )


# --- Search ----------------------------------------------------------------------------------


def _excerpt(body: str, text: str) -> dict[str, str]:
    """The part of the message around the first match, split so that the template marks the
    match (and escapes all three parts)."""
    found = re.search(re.escape(text), body, flags=re.IGNORECASE)
    if found is None:  # matched by the database in a way Python does not (accents, case)
        short = body[: EXCERPT_RADIUS * 2]
        return {"before": short, "match": "", "after": "…" if len(body) > len(short) else ""}
    start, end = found.span()
    before = body[max(0, start - EXCERPT_RADIUS) : start]
    after = body[end : end + EXCERPT_RADIUS]
    return {
        "before": ("…" if start > EXCERPT_RADIUS else "") + before,
        "match": body[start:end],
        "after": after + ("…" if end + EXCERPT_RADIUS < len(body) else ""),
    }


@require_safe
def message_search(request: HttpRequest) -> HttpResponse:
    member = request.user
    _check_can_use_channels(member)
    form = MessageSearchForm(request.GET if "q" in request.GET else None)
    results = None
    if form.is_bound and form.is_valid():
        text = form.cleaned_data["q"]
        results = [
            {"message": message, "url": message_url(message), **_excerpt(message.body, text)}
            for message in search_messages(member, text)
        ]
    return render(
        request,
        "network/moderation/search.html",
        {
            "form": form,
            "results": results,
            "limit": SEARCH_LIMIT,
            "limited": results is not None and len(results) >= SEARCH_LIMIT,
        },
    )


# --- E-mails about the channels --------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    member = request.user
    _check_can_use_channels(member)
    form = NotificationSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"digest_frequency": member.digest_frequency},
    )
    if request.method == "POST" and form.is_valid():
        member_digest_frequency_set(member=member, frequency=form.cleaned_data["digest_frequency"])
        messages.success(request, _("Your choice of e-mails has been saved."))
        return redirect(reverse("network:notification_settings"))
    return render(request, "network/moderation/notification_settings.html", {"form": form})
