"""The private bucket (MEDIA_STORAGE=s3): django-storages' S3 backend whose `url()` is the
portal's own permission-checked address (/media/<name>, core.security.serve_upload), as on the
local disk, so that pages never carry a presigned URL; `presigned_url()` signs one at the moment
a checked download is answered (core.media)."""

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        return settings.MEDIA_URL + filepath_to_uri(name)

    def presigned_url(self, name, *, parameters, expire):
        return super().url(name, parameters=parameters, expire=expire)
