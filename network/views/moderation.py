"""STUB: being written."""

from django.http import Http404


def message_report(request, **kwargs):
    raise Http404


def message_hide(request, **kwargs):
    raise Http404


def report_list(request, **kwargs):
    raise Http404


def message_search(request, **kwargs):
    raise Http404


def notification_settings(request, **kwargs):
    raise Http404
