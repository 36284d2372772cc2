"""STUB: being written."""

from django.http import Http404


def attestation(request, **kwargs):
    raise Http404


def session_dashboard(request, **kwargs):
    raise Http404


def participants_csv(request, **kwargs):
    raise Http404


def attendance_record(request, **kwargs):
    raise Http404
