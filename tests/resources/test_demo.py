"""The starter library of `seed_demo`."""

import pytest

from resources.demo import demo_library_ensure
from resources.models import ResourceFile, ResourcePage, TextStatus
from resources.search import LibraryQuery, resource_search

pytestmark = pytest.mark.django_db


def test_demo_library_has_real_resources_with_readable_files(home_page, staff_member, manager):
    assert demo_library_ensure(staff=staff_member, voters=[manager]) >= 12
    assert ResourcePage.objects.live().count() >= 12
    files = ResourceFile.objects.prefetch_related("versions")
    assert files.count() >= 10
    for file in files:
        assert file.latest_version.text_status == TextStatus.EXTRACTED, file.title
    # Words that only appear inside the generated files are found.
    assert [p.title for p in resource_search(LibraryQuery(text="decaissements"))] == [
        "Plan de trésorerie sur douze mois"
    ]
    assert "Relevés d'hygiène quotidiens (HACCP)" in [
        p.title for p in resource_search(LibraryQuery(text="congelateur"))
    ]
    # Running it again creates nothing more.
    assert demo_library_ensure(staff=staff_member) == 0
