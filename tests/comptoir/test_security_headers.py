"""Headers that keep the members' pages from running or framing anything foreign."""

import pytest


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/compte/login/", "/espace/", "/reseau/", "/annuaire/", "/"])
def test_every_page_forbids_inline_and_foreign_scripts_and_framing(
    path, client_for, manager, home_page
):
    response = client_for(manager).get(path)

    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_the_pages_themselves_carry_no_inline_script_or_style(client_for, manager, home_page):
    """What the policy forbids is not in the pages either (it would be blocked)."""
    for path in ("/compte/login/", "/espace/", "/reseau/", "/annuaire/", "/formations/"):
        page = client_for(manager).get(path, follow=True).content.decode()
        assert "<script>" not in page and "<script " not in page.replace("<script src=", "")
        assert ' style="' not in page and " onclick=" not in page


@pytest.mark.django_db
def test_wagtail_admin_gets_a_policy_relaxed_for_inline_code_only(client_for, staff_member):
    response = client_for(staff_member).get("/cms/")

    assert response.status_code == 200
    policy = directives(response)
    # Wagtail still writes inline scripts and styles (wagtail/wagtail#1288) ...
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    # ... but nothing foreign is loaded, no plugin runs, no other site frames it.
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert "nonce-" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "red").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "name", "data", "accepted"),
    [
        ("/cms/documents/add/", "page.html", b"<script>alert(1)</script>", ("a.pdf", b"%PDF-1.4")),
        (
            "/cms/images/add/",
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            ("logo.png", _png()),
        ),
    ],
)
def test_staff_cannot_upload_a_file_a_browser_would_run(
    client_for, staff_member, path, name, data, accepted, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    settings.MEDIA_ROOT = tmp_path
    client = client_for(staff_member)
    collection = Collection.get_first_root_node().pk

    def send(filename, content):
        return client.post(
            path,
            {
                "title": "Essai",
                "file": SimpleUploadedFile(filename, content),
                "collection": collection,
            },
        )

    assert send(name, data).status_code == 200  # the form again, with its error
    assert not get_document_model().objects.exists() and not get_image_model().objects.exists()
    # The same form takes an accepted kind of file.
    assert send(*accepted).status_code == 302
    assert get_document_model().objects.count() + get_image_model().objects.count() == 1
