"""Files and their versions, search, toolbox, votes and contributions, through the services."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from wagtail.models import WorkflowState

from network.models import Role
from resources.models import (
    Contribution,
    ResourceFile,
    ResourcePage,
    TextStatus,
)
from resources.search import LibraryQuery, resource_search
from resources.services import (
    bookmark_toggle,
    contribution_submit,
    file_download_record,
    resource_file_add,
    resource_file_version_add,
    useful_vote_toggle,
)

from .conftest import pdf_bytes, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def _titles(results):
    return [page.title for page in results]


def test_new_version_keeps_the_address_and_lists_the_earlier_one(resource_factory, staff_member):
    page = resource_factory(title="Plan de trésorerie")
    file = resource_file_add(
        actor=staff_member,
        page=page,
        title="Tableau",
        upload=upload("tresorerie.xlsx", xlsx_bytes(("Loyer", 500))),
    )
    address = file.get_absolute_url()
    version = resource_file_version_add(
        actor=staff_member,
        file=file,
        upload=upload("tresorerie-2027.xlsx", xlsx_bytes(("Loyer", 550), ("Assurance", 80))),
    )
    file = ResourceFile.objects.get(pk=file.pk)
    assert version.number == 2
    assert file.get_absolute_url() == address
    assert file.latest_version.original_name == "tresorerie-2027.xlsx"
    assert [v.number for v in file.earlier_versions] == [1]
    assert file.earlier_versions[0].uploaded_at <= version.uploaded_at


def test_search_finds_a_word_only_inside_an_attached_file(resource_factory, staff_member):
    page = resource_factory(title="Suivre ses comptes", summary="Un tableau mensuel.")
    resource_factory(title="Autre outil", summary="Rien à voir.")
    resource_file_add(
        actor=staff_member,
        page=page,
        title="Tableau",
        upload=upload("comptes.xlsx", xlsx_bytes(("Décaissements prévisionnels", 0))),
    )
    assert _titles(resource_search(LibraryQuery(text="décaissements"))) == ["Suivre ses comptes"]
    # Accents and case do not matter.
    assert _titles(resource_search(LibraryQuery(text="DECAISSEMENTS"))) == ["Suivre ses comptes"]


def test_search_finds_text_of_the_latest_version(resource_factory, staff_member):
    page = resource_factory(title="Affiche")
    file = resource_file_add(
        actor=staff_member, page=page, title="Affiche", upload=upload("a.pdf", pdf_bytes("Loto"))
    )
    resource_file_version_add(
        actor=staff_member, file=file, upload=upload("a.pdf", pdf_bytes("Belote"))
    )
    assert _titles(resource_search(LibraryQuery(text="belote"))) == ["Affiche"]
    assert _titles(resource_search(LibraryQuery(text="loto"))) == []


def test_search_filters_by_category_type_and_tag(library, resource_factory):
    from resources.models import ResourceCategoryPage

    hygiene = ResourceCategoryPage.objects.get(slug="hygiene-et-reglementation")
    resource_factory(
        title="Liste HACCP du café", resource_type="checklist", category=hygiene, tags=["hygiène"]
    )
    resource_factory(title="Tableau du café", resource_type="spreadsheet", tags=["trésorerie"])
    assert _titles(resource_search(LibraryQuery(text="cafe", category=hygiene))) == [
        "Liste HACCP du café"
    ]
    assert _titles(resource_search(LibraryQuery(text="café", resource_type="spreadsheet"))) == [
        "Tableau du café"
    ]
    assert _titles(resource_search(LibraryQuery(tag="trésorerie"))) == ["Tableau du café"]


def test_drafts_are_never_found(resource_factory):
    resource_factory(title="Brouillon secret", publish=False)
    assert resource_search(LibraryQuery(text="secret")) == []


def test_unreadable_pdf_is_kept_without_text(resource_factory, staff_member):
    page = resource_factory()
    file = resource_file_add(
        actor=staff_member, page=page, title="Abîmé", upload=upload("x.pdf", b"%PDF-1.4\nbroken")
    )
    assert file.latest_version.text_status == TextStatus.UNREADABLE


def test_only_staff_add_files_to_a_published_resource(resource_factory, manager):
    page = resource_factory()
    with pytest.raises(PermissionDenied):
        resource_file_add(actor=manager, page=page, title="x", upload=upload("a.txt", b"abc"))


def test_downloads_are_counted(resource_factory, staff_member):
    page = resource_factory()
    file = resource_file_add(actor=staff_member, page=page, title="x", upload=upload("a.txt", b"a"))
    file_download_record(file=file)
    file_download_record(file=file)
    file.refresh_from_db()
    assert file.download_count == 2


def test_bookmark_and_vote_toggle(resource_factory, manager):
    page = resource_factory()
    assert bookmark_toggle(member=manager, page=page) is True
    assert bookmark_toggle(member=manager, page=page) is False
    assert useful_vote_toggle(member=manager, page=page) is True
    assert page.useful_votes.count() == 1
    assert useful_vote_toggle(member=manager, page=page) is False
    assert page.useful_votes.count() == 0


def test_most_useful_and_newest_lists(resource_factory, member_factory):
    from resources.selectors import resource_list_most_useful, resource_list_newest

    first = resource_factory(title="Premier")
    second = resource_factory(title="Second")
    for _ in range(2):
        useful_vote_toggle(member=member_factory(), page=first)
    useful_vote_toggle(member=member_factory(), page=second)
    assert _titles(resource_list_most_useful()) == ["Premier", "Second"]
    assert _titles(resource_list_newest())[:2] == ["Second", "Premier"]


def test_contribution_goes_through_review_and_credits_its_author(
    category, member_factory, staff_member, django_capture_on_commit_callbacks
):
    author = member_factory(role=Role.PROFESSIONAL, first_name="Aline", last_name="Roux")
    contribution = contribution_submit(
        contributor=author,
        category=category,
        title="Calendrier des déclarations",
        summary="Les échéances fiscales de l'année.",
        resource_type="template",
        uploads=[upload("echeances.pdf", pdf_bytes("TVA trimestrielle"))],
    )
    page = contribution.page
    assert not page.live
    assert page.credit == "Aline Roux"
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        state.current_task_state.approve(user=staff_member, comment="Merci")

    page = ResourcePage.objects.get(pk=page.pk)
    assert page.live
    contribution = Contribution.objects.get(pk=contribution.pk)
    assert contribution.published_at is not None
    mails = [m for m in mail.outbox if author.email in m.to]
    assert len(mails) == 1
    assert "publiée" in mails[0].subject
    # Found by a word of its file once published.
    assert _titles(resource_search(LibraryQuery(text="trimestrielle"))) == [
        "Calendrier des déclarations"
    ]


def test_staff_request_changes_with_a_comment(
    category, member_factory, staff_member, django_capture_on_commit_callbacks
):
    author = member_factory()
    contribution = contribution_submit(
        contributor=author,
        category=category,
        title="Mon outil",
        summary="Résumé",
        resource_type="guide",
        uploads=[],
    )
    state = WorkflowState.objects.get(object_id=str(contribution.page_id))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        state.current_task_state.reject(user=staff_member, comment="Ajoutez un exemple chiffré.")
    contribution.refresh_from_db()
    assert contribution.review_comment == "Ajoutez un exemple chiffré."
    assert not ResourcePage.objects.get(pk=contribution.page_id).live
    mails = [m for m in mail.outbox if author.email in m.to]
    assert len(mails) == 1
    assert "Ajoutez un exemple chiffré." in mails[0].body


def test_a_refused_file_refuses_the_whole_contribution(category, manager):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        contribution_submit(
            contributor=manager,
            category=category,
            title="Outil",
            summary="Résumé",
            resource_type="guide",
            uploads=[upload("outil.pdf", b"MZ\x90\x00 not a pdf")],
        )
    assert not ResourcePage.objects.filter(title="Outil").exists()


def _poster(fmt: str, *, gps: bool) -> bytes:
    import io

    from PIL import Image

    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "N", 2: (45.0, 12.0, 3.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 2100), (20, 80, 40)).save(buffer, format=fmt, exif=exif.tobytes())
    return buffer.getvalue() + b"<!-- appended -->"


def test_an_image_resource_is_kept_at_full_size_without_its_metadata(
    resource_factory, staff_member, settings, tmp_path
):
    import io

    from PIL import Image

    settings.RESOURCES_PRIVATE_ROOT = tmp_path
    page = resource_factory(title="Affiche de la fête du village")
    file = resource_file_add(
        actor=staff_member,
        page=page,
        title="Affiche",
        upload=upload("affiche.jpg", _poster("JPEG", gps=True)),
    )

    version = file.versions.get()
    with version.blob.open("rb") as stored:
        data = stored.read()
    image = Image.open(io.BytesIO(data))
    assert image.size == (3000, 2100)  # a poster keeps the resolution it prints at
    assert not image.getexif() and b"appended" not in data
    assert version.size == len(data)


def test_an_image_whose_content_is_another_format_than_its_name_is_refused():
    from django.core.exceptions import ValidationError

    from resources.files import check_upload

    with pytest.raises(ValidationError) as error:
        check_upload(upload("affiche.jpg", _poster("PNG", gps=False)))
    assert error.value.code == "mismatch"
