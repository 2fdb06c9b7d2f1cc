"""Generated reports are kept outside MEDIA_ROOT (or under `reports/` in the private bucket with
MEDIA_STORAGE=s3): they are read only through the permission-checked download views."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class ReportStorage(FileSystemStorage):
    """Files under settings.REPORTS_ROOT, read at each access (tests point it elsewhere)."""

    @property
    def base_location(self):
        return str(settings.REPORTS_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def report_storage():
    """settings.STORAGES["reports"]: ReportStorage on the local disk, or the `reports/` folder of
    the private bucket with MEDIA_STORAGE=s3."""
    from django.core.files.storage import storages

    return storages["reports"]
