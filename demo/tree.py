"""The demo's region tree, made before anything else: the city 示范市 with the demo county (连心县)
under it, each with its congress. The second county (临江区) and what happens in it come last
(`demo.city`), so the county parts build exactly the demo county they always built.

A database seeded before the city existed (the county as the root of the tree) gets the city
above its county on the next run."""

from django.conf import settings

from divisions.models import Congress, Region, default_congress_fields
from divisions.scope import tree_changed

CITY_NAME, CITY_CODE = "示范市", "320100"
COUNTY_CODE = "320199"  # 连心县: its townships are 320199001–320199012


def seed_city():
    """The city, the root of the tree (made once)."""
    city = Region.objects.filter(level=Region.Level.CITY).order_by("path").first()
    if city is None:
        city = Region(name=CITY_NAME, level=Region.Level.CITY, kind=Region.Kind.CITY, code=CITY_CODE)
        city.save()  # a city is placed as a root
    return city


def seed_county(city):
    """The demo county under the city: made, or moved under the city when it was the root."""
    county = Region.objects.filter(level=Region.Level.COUNTY).order_by("path").first()
    if county is None:
        county = Region(name=settings.COUNTY_NAME, level=Region.Level.COUNTY, kind=Region.Kind.COUNTY,
                        code=COUNTY_CODE)
        county.save()  # placed under the city
    elif not city.contains(county):
        county.move(city, pos="first-child")
        county.refresh_from_db()
        tree_changed()
    if not county.code and not Region.objects.filter(code=COUNTY_CODE).exists():
        Region.objects.filter(pk=county.pk).update(code=COUNTY_CODE)
        county.code = COUNTY_CODE
    return county


def seed():
    city = seed_city()
    county = seed_county(city)
    # The city's deputies are in their 17th term (市人大), the county's in their 18th.
    Congress.objects.get_or_create(region=city, defaults={**default_congress_fields(city), "current_term": 17})
    Congress.objects.of(county)
    return {"city": city, "county": county}
