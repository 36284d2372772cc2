"""Data migrations keep what members already uploaded."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from PIL import Image

from network.models import Project

from .projects_fixtures import *  # noqa: F403 (the fixtures)


def _migrate(target: tuple[str, str]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


@pytest.fixture
def at_latest_migration_afterwards():
    yield
    # Whatever happened, the tests that follow find the schema they expect.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_a_project_photo_uploaded_before_becomes_a_wagtail_image(
    project, settings, tmp_path, at_latest_migration_afterwards
):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "projects/2026/11").mkdir(parents=True)
    Image.new("RGB", (64, 48), "orange").save(tmp_path / "projects/2026/11/four.png")
    _migrate(("network", "0005_member_erasure"))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE network_project SET photo = %s WHERE id = %s",
            ["projects/2026/11/four.png", project.pk],
        )

    _migrate(("network", "0006_project_photo_as_wagtail_image"))

    photo = Project.objects.select_related("photo").get(pk=project.pk).photo
    assert photo.file.name == "projects/2026/11/four.png"
    assert (photo.width, photo.height) == (64, 48)
    assert photo.title == project.title
    assert (tmp_path / "projects/2026/11/four.png").exists()
