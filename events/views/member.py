"""STUB: being written."""

from django.http import Http404


def my_trainings(request, **kwargs):
    raise Http404


def feed_renew(request, **kwargs):
    raise Http404


def feed_revoke(request, **kwargs):
    raise Http404


def calendar_feed(request, **kwargs):
    raise Http404
