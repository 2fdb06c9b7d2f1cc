from django.conf import settings


def portal(request):
    """What every page shows: the county's name and the public address."""
    return {"county_name": settings.COUNTY_NAME, "public_base_url": settings.PUBLIC_BASE_URL}
