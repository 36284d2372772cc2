"""Staff: the steering dashboard of the cohort and its CSV export."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from directory.exchange import csv_lines

from .. import selectors
from ..forms import DashboardForm
from .common import staff_only

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
CSV_HEADER = (
    gettext_lazy("Café"),
    gettext_lazy("Commune"),
    gettext_lazy("Département"),
    gettext_lazy("Région"),
    gettext_lazy("Cohort"),
    gettext_lazy("Coach"),
    gettext_lazy("Diagnostic"),
    gettext_lazy("Actions"),
    gettext_lazy("Actions done"),
    gettext_lazy("Actions overdue"),
    gettext_lazy("Last visit or follow-up"),
)


@staff_only
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    form = DashboardForm(request.GET or None)
    weeks = form.weeks_value()
    return render(
        request,
        "programme/dashboard.html",
        {"form": form, "figures": selectors.dashboard_figures(weeks=weeks)},
    )


@staff_only
@require_safe
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    files = selectors.support_file_list_for_steering().select_related("diagnostic")
    rows = [[str(label) for label in CSV_HEADER]]
    for support_file in files:
        cafe = support_file.cafe
        commune = cafe.commune
        diagnostic = getattr(support_file, "diagnostic", None)
        rows.append(
            [
                cafe.name,
                commune.name,
                commune.departement.name,
                commune.departement.region.name,
                support_file.cohort.name,
                str(support_file.coach),
                diagnostic.carried_out_on.isoformat() if diagnostic else _("Not yet"),
                support_file.actions_total,
                support_file.actions_done,
                support_file.actions_overdue,
                support_file.last_visit.isoformat() if support_file.last_visit else _("None yet"),
            ]
        )
    response = HttpResponse("".join(csv_lines(rows)), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="accompagnement-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    return response
