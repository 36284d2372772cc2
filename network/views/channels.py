"""STUB: being written."""

from django.http import Http404


def channel_list(request, **kwargs):
    raise Http404


def channel_create(request, **kwargs):
    raise Http404


def channel_detail(request, **kwargs):
    raise Http404


def channel_poll(request, **kwargs):
    raise Http404


def channel_join(request, **kwargs):
    raise Http404


def channel_leave(request, **kwargs):
    raise Http404


def channel_archive(request, **kwargs):
    raise Http404


def conversation_open(request, **kwargs):
    raise Http404


def message_edit(request, **kwargs):
    raise Http404


def message_delete(request, **kwargs):
    raise Http404
