"""Writing to a directory entry: the site relays the message by e-mail, so that no one's
address is shown to the sender."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from comptoir.access import roles_required

from .. import permissions, selectors, services
from ..forms import ContactForm
from ..models import EntryKind

directory_roles = roles_required(*permissions.DIRECTORY_ROLES)


@directory_roles
def contact(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    entry = selectors.contact_entry_get_for_viewer(
        viewer=request.user, kind=kind, object_id=object_id
    )
    if entry is None:
        raise Http404
    recipients = selectors.contact_recipients_for(kind, entry)
    can_send = permissions.can_contact(request.user, entry, recipients)
    if can_send:
        refusal = None
    elif permissions.is_own_entry(request.user, entry) or recipients:
        refusal = "own"
    else:
        refusal = "nobody"

    form = ContactForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_send:
            status = 403
        elif form.is_valid():
            try:
                services.contact_message_send(
                    sender=request.user,
                    kind=kind,
                    obj=entry,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                )
            except services.DirectoryError as error:
                # The limit was reached: the text stays in the form for later.
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _(
                        "Your message has been sent. The answer will come to your e-mail "
                        "address, or in the network's channels."
                    ),
                )
                return redirect(entry.get_absolute_url())
    return render(
        request,
        "directory/contact_form.html",
        {
            "entry": entry,
            "kind": kind,
            "kind_label": EntryKind(kind).label,
            "form": form,
            "refusal": refusal,
            "recipient_count": len(recipients),
        },
        status=status,
    )
