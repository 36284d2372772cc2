"""A project's photo becomes a Wagtail image (renditions sized for each page), like a café's.

Photos already uploaded are moved into Wagtail's image library, keeping their files.
"""

import django.db.models.deletion
from django.db import migrations, models


def photos_to_images(apps, schema_editor):
    Project = apps.get_model("network", "Project")
    Image = apps.get_model("wagtailimages", "Image")
    Collection = apps.get_model("wagtailcore", "Collection")
    root = Collection.objects.filter(depth=1).first()
    if root is None:  # as Wagtail's own migration creates it
        root = Collection.objects.create(name="Root", path="0001", depth=1, numchild=0)
    for project in Project.objects.exclude(old_photo="").exclude(old_photo__isnull=True):
        try:
            project.old_photo.open()
            width, height = project.old_photo.width, project.old_photo.height
        except (OSError, ValueError):
            continue  # the file is gone: the project is left without a photo
        image = Image(
            title=project.title[:255], collection=root, width=width, height=height, file=""
        )
        # The same file, not a copy: Wagtail reads it where it already is.
        image.file.name = project.old_photo.name
        image.save()
        project.photo_id = image.pk
        project.save(update_fields=["photo"])


def images_to_photos(apps, schema_editor):
    Project = apps.get_model("network", "Project")
    for project in Project.objects.exclude(photo__isnull=True).select_related("photo"):
        project.old_photo = project.photo.file.name
        project.save(update_fields=["old_photo"])


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0005_member_erasure"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("project", "photo", "old_photo"),
        migrations.AddField(
            model_name="project",
            name="photo",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailimages.image",
                verbose_name="photo",
            ),
        ),
        migrations.RunPython(photos_to_images, images_to_photos),
        migrations.RemoveField("project", "old_photo"),
    ]
