"""Staff CSV exchange: export of the whole directory, import of suppliers."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format

from comptoir.access import roles_required
from network.models import Role

from .. import exchange, permissions
from ..forms import SupplierImportForm

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def _check_can_exchange(request: HttpRequest) -> None:
    # roles_required already keeps others out; the permission helper is the rule services use.
    if not permissions.can_exchange_files(request.user):
        raise PermissionDenied


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@roles_required(Role.STAFF)
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    _check_can_exchange(request)
    rows = exchange.directory_export_rows(actor=request.user, url_for=request.build_absolute_uri)
    # Streamed: the file is written as rows are read, chunk by chunk, whatever its size.
    response = StreamingHttpResponse(exchange.csv_lines(rows), content_type=CSV_CONTENT_TYPE)
    return _attachment(response, f"annuaire-comptoir-{timezone.localdate():%Y-%m-%d}.csv")


@roles_required(Role.STAFF)
def import_template(request: HttpRequest) -> HttpResponse:
    _check_can_exchange(request)
    response = HttpResponse(exchange.supplier_import_template(), content_type=CSV_CONTENT_TYPE)
    return _attachment(response, "modele-import-fournisseurs.csv")


@roles_required(Role.STAFF)
def import_suppliers(request: HttpRequest) -> HttpResponse:
    _check_can_exchange(request)
    if request.method == "POST":
        form = SupplierImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                report = exchange.suppliers_import(
                    actor=request.user,
                    file=form.cleaned_data["file"],
                    mode=form.cleaned_data["mode"],
                )
            except exchange.ImportFileError as error:
                form.add_error("file", error.message)
            else:
                # The report is shown in answer to the POST rather than after a redirect: it
                # lives nowhere else. Sending the form again is harmless, since names already
                # in the directory are refused.
                return render(request, "directory/import_report.html", {"report": report})
    else:
        form = SupplierImportForm()
    return render(
        request,
        "directory/export_import.html",
        {
            "form": form,
            "columns": exchange.SUPPLIER_IMPORT_COLUMNS,
            "categories": exchange.supplier_import_categories(),
            "max_bytes": exchange.MAX_IMPORT_BYTES,
            "max_rows": number_format(exchange.MAX_IMPORT_ROWS, force_grouping=True),
            "modes": exchange.ImportMode,
        },
    )
