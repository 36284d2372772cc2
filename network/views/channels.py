"""The discussion channel pages. They work without JavaScript: history rendered here, a plain
form to post, links to page backwards and to refresh. static/js/channels.js makes the channel
page live over the WebSocket (network/PROTOCOL.md) and falls back on :func:`channel_poll`."""

import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST, require_safe

from ..forms import ChannelCreateForm, MessageForm, PostForm, instant_from_client
from ..models import Channel, ChannelKind, ChannelMembership, Member, Message
from ..models.channels import MESSAGE_MAX_LENGTH
from ..permissions import (
    can_change_message,
    can_hide_message,
    can_join_channel,
    can_leave_channel,
    can_manage_channels,
    can_post_in_channel,
    can_read_channel,
    can_report_message,
)
from ..selectors.channels import (
    HISTORY_PAGE,
    channel_get_for_member,
    channel_list_for_member,
    channel_list_readable,
    channel_list_to_join,
    membership_of,
    message_list_after,
    message_list_before,
    message_list_changed,
)
from ..services.channels import (
    ChannelError,
    channel_mark_read,
    direct_conversation_open,
    message_payload,
    message_post,
    region_channels_join,
)
from ..services.channels import channel_archive as archive_channel
from ..services.channels import channel_create as create_channel
from ..services.channels import channel_join as join_channel
from ..services.channels import channel_leave as leave_channel
from ..services.channels import message_delete as delete_message
from ..services.channels import message_edit as edit_message


def _channel_or_404(request: HttpRequest, channel_id: int) -> Channel:
    channel = channel_get_for_member(request.user, channel_id)
    if channel is None:
        raise Http404
    return channel


def _message_or_404(request: HttpRequest, message_id: int) -> Message:
    """A message of a channel the member may read; the same 404 whether it exists or not."""
    message = get_object_or_404(Message.objects.select_related("channel", "author"), pk=message_id)
    if not can_read_channel(request.user, message.channel):
        raise Http404
    return message


def _seq_param(value: str | None) -> int | None:
    """A message number from the query string; anything else counts as absent."""
    if value is None or not value.isdigit() or len(value) > 18:
        return None
    return int(value)


def _message_url(message: Message) -> str:
    """The channel page that shows this message: the latest page, or the page that ends
    with it when it is older."""
    url = message.channel.get_absolute_url()
    if message.channel.last_seq - message.seq >= HISTORY_PAGE:
        url += "?" + urlencode({"avant": message.seq + 1})
    return f"{url}#message-{message.seq}"


# --- Channel list and management ---------------------------------------------------------------


@require_safe
def channel_list(request: HttpRequest) -> HttpResponse:
    member = request.user
    region_channels_join(member=member)
    mine = list(channel_list_for_member(member))
    conversations = [channel for channel in mine if channel.kind == ChannelKind.DIRECT]
    # Conversations are shown under the other member's name.
    prefetch_related_objects(
        conversations,
        Prefetch(
            "memberships",
            queryset=ChannelMembership.objects.exclude(member=member).select_related("member"),
            to_attr="other_memberships",
        ),
    )
    context = {
        "channels": [channel for channel in mine if channel.kind != ChannelKind.DIRECT],
        "conversations": conversations,
        "to_join": list(channel_list_to_join(member)),
        "can_manage": can_manage_channels(member),
    }
    if context["can_manage"]:
        context["managed"] = list(
            channel_list_readable(member)
            .exclude(kind=ChannelKind.DIRECT)
            .select_related("region")
            .order_by("archived_at", "kind", "name")
        )
    return render(request, "network/channels/channel_list.html", context)


def channel_create(request: HttpRequest) -> HttpResponse:
    if not can_manage_channels(request.user):
        raise PermissionDenied
    form = ChannelCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            channel = create_channel(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                members=form.cleaned_data["members"],
            )
        except ChannelError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The channel has been created."))
            return redirect(channel)
    return render(request, "network/channels/channel_form.html", {"form": form})


@require_POST
def channel_archive(request: HttpRequest, channel_id: int) -> HttpResponse:
    if not can_manage_channels(request.user):
        raise PermissionDenied
    channel = _channel_or_404(request, channel_id)
    try:
        archive_channel(actor=request.user, channel=channel)
    except ChannelError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The channel is archived: it stays readable, read-only."))
    return redirect(channel)


@require_POST
def channel_join(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = _channel_or_404(request, channel_id)
    try:
        join_channel(member=request.user, channel=channel)
    except ChannelError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You have joined this channel."))
    return redirect(channel)


@require_POST
def channel_leave(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = _channel_or_404(request, channel_id)
    if not can_leave_channel(request.user, channel):
        messages.error(request, _("You cannot leave this channel."))
        return redirect(channel)
    try:
        leave_channel(member=request.user, channel=channel)
    except ChannelError as error:
        messages.error(request, error.message)
        return redirect(channel)
    messages.success(
        request,
        _("You have left the channel “%(name)s”; you can join it again at any time.")
        % {"name": channel.name},
    )
    return redirect("network:channels")


@require_POST
def conversation_open(request: HttpRequest, member_id: int) -> HttpResponse:
    other = get_object_or_404(Member, pk=member_id)
    try:
        channel = direct_conversation_open(member=request.user, other=other)
    except ChannelError as error:
        messages.error(request, error.message)
        return redirect("network:channels")
    return redirect(channel)


# --- A channel's page --------------------------------------------------------------------------


def _post(request: HttpRequest, channel: Channel) -> tuple[PostForm, HttpResponse | None]:
    form = PostForm(request.POST)
    form.is_valid()  # both fields are optional: the service checks the text
    try:
        message, _created = message_post(
            author=request.user,
            channel=channel,
            body=form.cleaned_data.get("body", ""),
            client_id=form.cleaned_data.get("client_id", ""),
        )
    except ChannelError as error:
        form.add_error("body", error.message)
        return form, None
    return form, redirect(f"{channel.get_absolute_url()}#message-{message.seq}")


def _script_strings() -> dict[str, str]:
    """What static/js/channels.js says, in the page's language."""
    return {
        "pending": _("sending…"),
        "sent": pgettext("message state", "sent"),
        "failed": _("not sent"),
        "edited": _("(edited)"),
        "deleted": _("Message deleted"),
        "hidden": _("Message hidden by the team"),
        "formerMember": _("Former member"),
        "edit": _("Edit"),
        "delete": pgettext("message action", "Delete"),
        "myMessage": _("my message"),
        "report": pgettext("message action", "Report"),
        "hide": pgettext("message action", "Hide"),
        "thisMessage": _("this message"),
        "empty": _("Write a message before sending it."),
        "lost": _("Connection lost, trying again…"),
        "restored": _("Connection restored."),
        "polling": _(
            "Live connection impossible: the page checks for new messages every 15 seconds."
        ),
        "expired": _("Your session has expired: reload the page to log in again."),
        "reload": _("This page is out of date: reload it."),
        "typing": _("%(name)s is writing…"),
    }


def channel_detail(request: HttpRequest, channel_id: int) -> HttpResponse:
    member = request.user
    channel = _channel_or_404(request, channel_id)
    form = None
    if request.method == "POST":
        form, done = _post(request, channel)
        if done is not None:
            return done
        channel = _channel_or_404(request, channel_id)  # its last number may have moved
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    can_post = can_post_in_channel(member, channel)
    if form is not None and not can_post:  # no form to show the error beside (archived ...)
        for error in form.errors.get("body", []):
            messages.error(request, error)
    if form is None:
        form = PostForm(initial={"client_id": secrets.token_urlsafe(16)})
    elif not form.data.get("client_id"):
        form = PostForm(initial={"client_id": secrets.token_urlsafe(16)}, data=form.data)

    before = _seq_param(request.GET.get("avant"))
    rendered_at = timezone.now()  # the script asks for changes made after this
    history = message_list_before(channel, before_seq=before)
    is_latest = not history or history[-1].seq >= channel.last_seq
    membership = membership_of(channel)
    first_unread = None
    if membership is not None and is_latest:
        first_unread = next((m.seq for m in history if m.seq > membership.last_read_seq), None)
        if history and history[-1].seq > membership.last_read_seq:
            channel_mark_read(member=member, channel=channel, seq=history[-1].seq)
    for message in history:
        message.channel = channel  # read once, not once per message
        message.is_mine = message.author_id == member.pk
        message.can_change = can_change_message(member, message)
        message.can_report = can_report_message(member, message)
        message.can_hide = message.is_visible and can_hide_message(member, message)

    # The page is made live when it shows the latest messages of a channel still in use.
    is_live = is_latest and not channel.is_archived
    newer_url = None
    if not is_latest:
        newer_url = "?" + urlencode({"avant": history[-1].seq + HISTORY_PAGE + 1})
    context = {
        "channel": channel,
        "history": history,
        "first_unread": first_unread,
        "older_url": "?" + urlencode({"avant": history[0].seq})
        if history and history[0].seq > 1
        else None,
        "newer_url": newer_url,
        "is_latest": is_latest,
        "form": form if can_post else None,
        "can_post": can_post,
        "is_member": membership is not None,
        "can_join": membership is None and can_join_channel(member, channel),
        "can_leave": can_leave_channel(member, channel),
        "can_manage": can_manage_channels(member) and channel.kind != ChannelKind.DIRECT,
        "can_hide": can_hide_message(member, Message(channel=channel)),  # for live messages
        "last_seq": history[-1].seq if history else 0,
        "rendered_at": rendered_at.isoformat(),
        "is_live": is_live,
        "strings": _script_strings() if is_live else None,
    }
    return render(request, "network/channels/channel_detail.html", context)


@require_safe
def channel_poll(request: HttpRequest, channel_id: int) -> JsonResponse:
    """For the page's script when the WebSocket cannot connect: the messages after a number,
    as the socket would send them."""
    channel = _channel_or_404(request, channel_id)
    after = _seq_param(request.GET.get("apres"))
    if after is None:
        return JsonResponse(
            {"error": "invalid", "message": _("The message number is not valid.")}, status=400
        )
    since = None
    if request.GET.get("depuis") is not None:
        since = instant_from_client(request.GET["depuis"])
        if since is None:
            return JsonResponse(
                {"error": "invalid", "message": _("The moment given is not valid.")}, status=400
            )
    now = timezone.now()
    changed = []
    if since is not None and after:
        changed = message_list_changed(channel, up_to_seq=after, since=since)
    found = message_list_after(channel, after_seq=after)
    return JsonResponse(
        {
            "channel": channel.pk,
            "updates": [message_payload(message) for message in changed],
            "messages": [message_payload(message) for message in found],
            "last_seq": channel.last_seq,
            "more": bool(found) and found[-1].seq < channel.last_seq,
            "at": now.isoformat(),
        },
        headers={"Cache-Control": "no-store"},
    )


@require_POST
def channel_read(request: HttpRequest, channel_id: int) -> JsonResponse:
    """For the page's script when it polls: the member has read up to this message."""
    channel = _channel_or_404(request, channel_id)
    seq = _seq_param(request.POST.get("seq"))
    try:
        if seq is None:
            raise ChannelError("invalid", _("The message number is not valid."))
        channel_mark_read(member=request.user, channel=channel, seq=seq)
    except ChannelError as error:
        return JsonResponse({"error": error.code, "message": error.message}, status=400)
    return JsonResponse({"channel": channel.pk, "seq": seq})


# --- One's own messages ------------------------------------------------------------------------


def message_edit(request: HttpRequest, message_id: int) -> HttpResponse:
    message = _message_or_404(request, message_id)
    if not can_change_message(request.user, message):
        raise PermissionDenied
    form = MessageForm(request.POST or None, initial={"body": message.body})
    if request.method == "POST" and form.is_valid():
        try:
            message = edit_message(
                actor=request.user, message=message, body=form.cleaned_data["body"]
            )
        except ChannelError as error:
            form.add_error("body", error.message)
        else:
            messages.success(request, _("Your message has been changed."))
            return redirect(_message_url(message))
    return render(
        request,
        "network/channels/message_edit.html",
        {"message": message, "form": form, "max_length": MESSAGE_MAX_LENGTH},
    )


def message_delete(request: HttpRequest, message_id: int) -> HttpResponse:
    message = _message_or_404(request, message_id)
    if not can_change_message(request.user, message):
        raise PermissionDenied
    if request.method == "POST":
        try:
            message = delete_message(actor=request.user, message=message)
        except ChannelError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your message has been deleted."))
        return redirect(_message_url(message))
    return render(request, "network/channels/message_delete.html", {"message": message})
