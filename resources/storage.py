"""Where the library's files live: outside the media folder, so no URL reaches them but the
download view, which checks who asks (a proxy serving /media/ never exposes them)."""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


def private_root() -> Path:
    configured = getattr(settings, "RESOURCES_PRIVATE_ROOT", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "private"


@deconstructible
class PrivateStorage(FileSystemStorage):
    """A file system storage with no base URL whose folder is read from the settings at each
    use (tests point it at a temporary folder)."""

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(private_root())

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:  # type: ignore[override]
        # url() raises: these files have no public address.
        return None


private_storage = PrivateStorage()
