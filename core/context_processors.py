from django.conf import settings

from core.links import public_base_url


CARE_COOKIE = "care"


def care_mode(request):
    """长辈模式 (elders' mode): on when the visitor chose it (a cookie set by core.views.care)."""
    return request.COOKIES.get(CARE_COOKIE) == "1"


def portal(request):
    """What every page shows: the county's name, the public address, and whether the page is in
    长辈模式 (larger text, stronger contrast, bigger tap targets, no animation)."""
    return {"county_name": settings.COUNTY_NAME, "public_base_url": public_base_url(request),
            "care_mode": care_mode(request)}
