from django.conf import settings

from core.links import public_base_url


def portal(request):
    """What every page shows: the county's name and the public address."""
    return {"county_name": settings.COUNTY_NAME, "public_base_url": public_base_url(request)}
