"""Generated reports are kept outside MEDIA_ROOT (which may be served publicly): they are read
only through the permission-checked download views."""

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
    return ReportStorage()
