"""The library's page tree and its editing in the Wagtail admin."""

import pytest
from wagtail.test.utils import WagtailTestUtils  # noqa: F401  (Wagtail's test helpers load)

from resources.models import ResourceCategoryPage, ResourceLibraryPage, ResourcePage

pytestmark = pytest.mark.django_db


def test_page_tree_rules():
    assert ResourcePage.allowed_parent_page_models() == [ResourceCategoryPage]
    assert ResourceCategoryPage.allowed_subpage_models() == [ResourcePage]
    assert ResourceCategoryPage.allowed_parent_page_models() == [ResourceLibraryPage]
    assert ResourcePage.allowed_subpage_models() == []


def test_staff_create_and_edit_resources_in_the_admin(
    client_for, staff_member, category, resource_factory
):
    client = client_for(staff_member)
    add_url = f"/cms/pages/add/resources/resourcepage/{category.pk}/"
    response = client.get(add_url)
    assert response.status_code == 200
    page = resource_factory(title="Plan de trésorerie", tags=["gestion"])
    response = client.get(f"/cms/pages/{page.pk}/edit/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Plan de trésorerie" in content
    # The page on the site links staff to the admin, and members not.
    assert f"/cms/pages/{page.pk}/edit/" in client.get(page.url).content.decode()


def test_members_do_not_see_the_admin_link(client_for, manager, resource_factory):
    page = resource_factory()
    assert "/cms/pages/" not in client_for(manager).get(page.url).content.decode()


def test_library_lists_do_not_query_per_resource(
    client_for, manager, resource_factory, django_assert_max_num_queries
):
    client = client_for(manager)
    for number in range(8):
        resource_factory(title=f"Outil {number}")
    client.get("/ressources/")  # warm the caches (site root paths, footer)
    # Session, member, tags, unread count, then one query per list (categories, most useful,
    # newest) whatever the number of resources shown: fewer than one per resource.
    with django_assert_max_num_queries(8):
        response = client.get("/ressources/")
    assert response.content.decode().count('class="result"') >= 6
