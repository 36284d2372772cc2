"""Photos members upload: read by their content, bounded, re-encoded without their metadata."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from comptoir.uploads import MAX_PHOTO_SIDE, PhotoField, photo_reencode
from network.models import Project

from ..network.projects_fixtures import *  # noqa: F403 (the fixtures)

GPS_TAG = 0x8825


@pytest.fixture(autouse=True)
def no_rendition_from_an_earlier_test():
    # Wagtail caches where an image's renditions are; ids come back after a rolled-back test.
    from django.core.cache import cache

    cache.clear()


ORIENTATION_TAG = 0x0112


def _photo(fmt="JPEG", size=(60, 40), *, gps=False, orientation=None, trailer=b"") -> bytes:
    buffer = io.BytesIO()
    exif = Image.Exif()
    if gps:
        exif[GPS_TAG] = {1: "N", 2: (45.0, 12.0, 3.0), 3: "E", 4: (5.0, 2.0, 1.0)}
    if orientation:
        exif[ORIENTATION_TAG] = orientation
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format=fmt, exif=exif.tobytes())
    return buffer.getvalue() + trailer


def _upload(data: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type)


def _errors(upload) -> list[str]:
    field = PhotoField(required=False)
    with translation.override("fr"):
        try:
            field.clean(upload)
        except Exception as error:  # noqa: BLE001 (a ValidationError carries the messages)
            return [str(message) for message in error.messages]
    return []


def test_a_photo_loses_its_gps_position_and_anything_appended_to_it():
    original = _photo(gps=True, trailer=b"<script>alert(1)</script>")
    assert Image.open(io.BytesIO(original)).getexif().get(GPS_TAG)

    kept = photo_reencode(_upload(original)).read()

    image = Image.open(io.BytesIO(kept))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert b"<script>" not in kept


def test_a_photo_taken_sideways_is_kept_upright():
    # Orientation 6: the camera was turned; the pixels are stored 60x40 but shown 40x60.
    kept = photo_reencode(_upload(_photo(orientation=6))).read()

    assert Image.open(io.BytesIO(kept)).size == (40, 60)


def test_a_large_photo_is_brought_down_and_keeps_its_format():
    kept = photo_reencode(_upload(_photo("PNG", (4000, 1000)), "grande.png", "image/png"))

    image = Image.open(kept)
    assert image.format == "PNG"
    assert image.size == (MAX_PHOTO_SIDE, MAX_PHOTO_SIDE // 4)
    assert kept.name.startswith("grande-") and kept.name.endswith(".png")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (_upload(b"%PDF-1.7 not a photo", "photo.jpg"), "n'est pas une photo"),
        (_upload(_photo("GIF"), "anim.jpg"), "JPEG, PNG ou WebP"),
        (_upload(_photo(size=(8000, 6000)), "enorme.jpg"), "40 mégapixels"),
        (_upload(b"\xff" * (5 * 1024 * 1024 + 1), "lourde.jpg"), "trop lourde"),
    ],
    ids=["pdf named .jpg", "gif", "too many pixels", "over 5 MB"],
)
def test_what_is_not_an_accepted_photo_is_refused_in_french(upload, message):
    errors = _errors(upload)

    assert errors and message in " ".join(errors).replace("’", "'")


def test_an_accepted_photo_passes():
    assert _errors(_upload(_photo("WEBP"), "a.webp", "image/webp")) == []


@pytest.mark.django_db
def test_a_project_photo_is_kept_without_its_metadata_and_shown_resized(
    client_for, manager, cafe, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(manager)
    response = client.post(
        reverse("projects:create", args=[cafe.pk]),
        {
            "title": "Terrasse",
            "description": "Une terrasse pour l'été.",
            "stage": "collecting",
            "photo_upload": _upload(_photo(size=(3000, 2000), gps=True), "IMG_2041 Chez Paul.JPG"),
            "photo_alt": "La place du village",
        },
    )

    assert response.status_code == 302
    project = Project.objects.get(title="Terrasse")
    assert "img_2041-chez-paul" in project.photo.file.name
    assert not Image.open(project.photo.file.path).getexif()
    page = client.get(project.get_absolute_url()).content.decode()
    tag = re.search(r'<img[^>]*class="project-photo"[^>]*>', page).group(0)
    src = re.search(r'src="([^"]+)"', tag).group(1)
    assert 'alt="La place du village"' in tag
    assert src.startswith("/media/images/")  # a rendition, not the original
    assert Image.open(io.BytesIO(b"".join(client.get(src).streaming_content))).size == (800, 533)


@pytest.mark.django_db
def test_a_replaced_or_removed_photo_is_deleted_with_its_file(
    manager, cafe, settings, tmp_path, django_capture_on_commit_callbacks
):
    from wagtail.images import get_image_model

    from directory.services import cafe_save

    settings.MEDIA_ROOT = tmp_path
    images = get_image_model().objects
    cafe = cafe_save(actor=manager, cafe=cafe, fields={}, photo=_upload(_photo()))
    first = cafe.photo
    first_file = tmp_path / first.file.name
    assert first_file.exists()

    with django_capture_on_commit_callbacks(execute=True):
        cafe = cafe_save(actor=manager, cafe=cafe, fields={}, photo=_upload(_photo("PNG"), "b.png"))
    assert not images.filter(pk=first.pk).exists() and not first_file.exists()
    second_file = tmp_path / cafe.photo.file.name

    with django_capture_on_commit_callbacks(execute=True):
        cafe = cafe_save(actor=manager, cafe=cafe, fields={}, remove_photo=True)
    assert cafe.photo is None and not images.exists() and not second_file.exists()


@pytest.mark.django_db
def test_a_photo_staff_have_used_in_a_page_is_kept_when_the_cafe_drops_it(
    manager, cafe, settings, tmp_path, home_page
):
    from wagtail.images import get_image_model

    from comptoir.models import StandardPage
    from directory.services import cafe_save

    settings.MEDIA_ROOT = tmp_path
    cafe = cafe_save(actor=manager, cafe=cafe, fields={}, photo=_upload(_photo()))
    page = StandardPage.objects.get(slug="mentions-legales")
    embed = f'<p><embed embedtype="image" id="{cafe.photo_id}" format="fullwidth" alt=""/></p>'
    page.body = [("paragraph", embed)]
    page.save_revision().publish()

    cafe = cafe_save(actor=manager, cafe=cafe, fields={}, remove_photo=True)

    assert cafe.photo is None
    assert get_image_model().objects.count() == 1


@pytest.mark.django_db
def test_a_project_photo_opens_only_for_those_who_see_the_project(
    client_for,
    manager,
    cafe,
    village_resident,
    outsider,
    other_manager,
    staff_member,
    member_factory,
    settings,
    tmp_path,
):
    from directory.services import cafe_save
    from network.models import Role

    settings.MEDIA_ROOT = tmp_path
    client_for(manager).post(
        reverse("projects:create", args=[cafe.pk]),
        {
            "title": "Terrasse",
            "description": "Une terrasse pour l'été.",
            "stage": "collecting",
            "photo_upload": _upload(_photo(size=(1600, 1200))),
        },
    )
    project = Project.objects.get(title="Terrasse")
    page = client_for(village_resident).get(project.get_absolute_url()).content.decode()
    tag = re.search(r'<img[^>]*class="project-photo"[^>]*>', page).group(0)
    photo_urls = [re.search(r'src="([^"]+)"', tag).group(1), f"/media/{project.photo.file.name}"]
    cafe_photo = cafe_save(actor=manager, cafe=cafe, fields={}, photo=_upload(_photo())).photo
    cafe_photo_url = f"/media/{cafe_photo.file.name}"

    def status(member, url):
        return client_for(member).get(url).status_code

    for url in photo_urls:
        # The café's people and staff see the project, so its photo.
        assert status(village_resident, url) == 200
        assert status(manager, url) == 200
        assert status(staff_member, url) == 200
        # A resident of another café, another café's manager, a supplier: not theirs.
        assert status(outsider, url) == 404
        assert status(other_manager, url) == 404
        assert status(member_factory(role=Role.SUPPLIER), url) == 404
    # Other uploads are the network's: any member but residents.
    assert status(other_manager, cafe_photo_url) == 200
    assert status(village_resident, cafe_photo_url) == 404
