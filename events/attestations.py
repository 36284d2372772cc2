"""The "attestation de présence": a one-page PDF for an attendee, made with reportlab.

It is written in the attendee's language (whoever downloads it) and only from what the
trainer recorded: the caller checks ``permissions.can_download_attestation`` first.
"""

import io
import unicodedata
from datetime import datetime
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .models import Registration, TrainingSession

# reportlab's standard Helvetica is always available (no font file to ship) and covers
# Windows-1252, hence every French letter and sign: é è à ç œ ’ « » – €.
FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
BRAND = colors.HexColor("#7a2e0e")

_BODY = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=15)
_SMALL = ParagraphStyle("small", parent=_BODY, fontSize=9, leading=12, textColor=colors.gray)
_PROGRAMME = ParagraphStyle("programme", parent=_BODY, fontName=FONT_BOLD, textColor=BRAND)
_TITLE = ParagraphStyle(
    "title", parent=_BODY, fontName=FONT_BOLD, fontSize=22, leading=28, spaceAfter=8
)
_LABEL = ParagraphStyle("label", parent=_BODY, fontName=FONT_BOLD)


def _text(value: object) -> str:
    """Member-typed text made safe for a Paragraph: its markup characters escaped, and letters
    Helvetica lacks (ř, ł, ő...) replaced by their base letter rather than a black box."""
    text = str(value)
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        kept = []
        for char in text:
            try:
                char.encode("cp1252")
            except UnicodeEncodeError:
                base = unicodedata.normalize("NFKD", char)
                base = "".join(c for c in base if not unicodedata.combining(c))
                char = base if base and base.isascii() else "?"
            kept.append(char)
        text = "".join(kept)
    return escape(text)


def _local(value: datetime) -> datetime:
    return timezone.localtime(value, timezone.get_default_timezone())


def _same_day(session: TrainingSession) -> bool:
    return _local(session.starts_at).date() == _local(session.ends_at).date()


def _when(session: TrainingSession) -> str:
    starts, ends = _local(session.starts_at), _local(session.ends_at)
    if _same_day(session):
        return _("on %(date)s, from %(start)s to %(end)s") % {
            "date": formats.date_format(starts, "DATE_FORMAT"),
            "start": formats.time_format(starts, "TIME_FORMAT"),
            "end": formats.time_format(ends, "TIME_FORMAT"),
        }
    return _("from %(start_date)s at %(start)s to %(end_date)s at %(end)s") % {
        "start_date": formats.date_format(starts, "DATE_FORMAT"),
        "start": formats.time_format(starts, "TIME_FORMAT"),
        "end_date": formats.date_format(ends, "DATE_FORMAT"),
        "end": formats.time_format(ends, "TIME_FORMAT"),
    }


def _duration(session: TrainingSession) -> str:
    hours = round((session.ends_at - session.starts_at).total_seconds() / 3600, 2)
    value = int(hours) if hours.is_integer() else hours
    return _("%(hours)s h") % {"hours": formats.number_format(value)}


def _place(session: TrainingSession) -> str:
    if session.is_online:
        return _("online")
    commune = session.commune.name if session.commune else ""
    return ", ".join(part for part in (session.place, commune) if part)


def _cafe(registration: Registration) -> str:
    cafe = registration.cafe
    if cafe is None:
        return ""
    return f"{cafe.name}, {cafe.commune}"


def attestation_filename(registration: Registration) -> str:
    name = slugify(registration.member.get_full_name()) or f"inscription-{registration.pk}"
    day = _local(registration.session.starts_at).date()
    return f"attestation-presence-{name}-{day:%Y-%m-%d}.pdf"


def attestation_pdf(registration: Registration) -> bytes:
    """The attestation of ``registration`` (marked attended) as PDF bytes.

    Pass a registration fetched with selectors.attendance.registration_get_for_attestation:
    it reads the member, café, session, training and trainers.
    """
    language = registration.member.language or settings.LANGUAGE_CODE
    with translation.override(language):
        return _build(registration)


def _build(registration: Registration) -> bytes:
    session = registration.session
    training = session.training
    member = registration.member
    programme = settings.WAGTAIL_SITE_NAME
    name = member.get_full_name() or member.email
    trainers = ", ".join(
        trainer.get_full_name() or trainer.email for trainer in training.trainers.all()
    )
    title = _("Certificate of attendance")

    facts = [
        (_("Participant"), name),
        (_("Café"), _cafe(registration)),
        (_("Training"), training.title),
        (_("Date"), _when(session)),
        # Over several days, the hours between start and end are not hours of training.
        (_("Duration"), _duration(session) if _same_day(session) else ""),
        (_("Place"), _place(session)),
        (_("Run by"), trainers),
    ]
    table = Table(
        [
            [Paragraph(_text(label), _LABEL), Paragraph(_text(value), _BODY)]
            for label, value in facts
            if value
        ],
        colWidths=[4.2 * cm, None],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.lightgrey),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    today = timezone.localdate(timezone=timezone.get_default_timezone())
    statement = _(
        "The %(programme)s programme certifies that %(name)s attended the collective "
        "training session described below."
    ) % {"programme": programme, "name": name}
    issued = _("Issued on %(date)s, to serve whatever purpose it may.") % {
        "date": formats.date_format(today, "DATE_FORMAT")
    }
    story = [
        Paragraph(_text(programme), _PROGRAMME),
        Spacer(1, 0.8 * cm),
        Paragraph(_text(title), _TITLE),
        Spacer(1, 0.4 * cm),
        Paragraph(_text(statement), _BODY),
        Spacer(1, 0.6 * cm),
        table,
        Spacer(1, 0.8 * cm),
        Paragraph(_text(issued), _BODY),
        Spacer(1, 1.5 * cm),
    ]
    if registration.checked_in_at:
        recorded = _(
            "Presence recorded by the trainer on %(date)s. Document issued by %(programme)s."
        ) % {
            "date": formats.date_format(_local(registration.checked_in_at), "DATE_FORMAT"),
            "programme": programme,
        }
        story.append(Paragraph(_text(recorded), _SMALL))

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=2.5 * cm,
        bottomMargin=2.5 * cm,
        title=f"{title} – {name}",
        author=programme,
        subject=training.title,
        lang=translation.get_language(),
    )
    document.build(story)
    return buffer.getvalue()
