"""STUB: being written."""

from django.http import Http404


def trainer_home(request, **kwargs):
    raise Http404


def training_create(request, **kwargs):
    raise Http404


def training_edit(request, **kwargs):
    raise Http404


def session_create(request, **kwargs):
    raise Http404


def session_edit(request, **kwargs):
    raise Http404


def session_cancel(request, **kwargs):
    raise Http404
