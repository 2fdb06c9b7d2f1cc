"""A small city for the tests of work moving between levels (转办): 示范市 with two counties;
连心县 (the default county) has 城关镇 (a congress) and 城南街道 (none), 东山区 has 东山镇. Each
region with a congress has one staff account bound to it, and the city has one."""

from dataclasses import dataclass

from accounts.models import Role
from divisions.models import Congress, Region, Township
from tests.factories import UserFactory


@dataclass
class City:
    city: Region
    county: Region
    other_county: Region
    township: Region
    subdistrict: Region
    other_township: Region

    def congress(self, region):
        return Congress.objects.of(region)

    def staff(self, region, username):
        return UserFactory(username=username, role=Role.STAFF, region=region)


def build_city():
    city = Region(name="示范市", level=Region.Level.CITY, kind=Region.Kind.CITY, code="320200")
    city.save()
    county = Region(name="连心县", level=Region.Level.COUNTY, kind=Region.Kind.COUNTY, code="320281")
    county.save()
    other_county = Region(name="东山区", level=Region.Level.COUNTY, kind=Region.Kind.DISTRICT, code="320282")
    other_county.save()
    township = Region.objects.get(pk=Region.objects.add_child(
        county, instance=Township(name="城关镇", kind=Region.Kind.TOWN, code="320281100", level="township")).pk)
    subdistrict = Region.objects.get(pk=Region.objects.add_child(
        Region.objects.get(pk=county.pk),
        instance=Township(name="城南街道", kind=Region.Kind.SUBDISTRICT, code="320281001", level="township")).pk)
    other_township = Region.objects.get(pk=Region.objects.add_child(
        Region.objects.get(pk=other_county.pk),
        instance=Township(name="东山镇", kind=Region.Kind.TOWN, code="320282100", level="township")).pk)
    for region in (city, county, other_county, township, other_township):
        Congress.objects.of(region)
    return City(city=Region.objects.get(pk=city.pk), county=Region.objects.get(pk=county.pk),
                other_county=Region.objects.get(pk=other_county.pk), township=township,
                subdistrict=subdistrict, other_township=other_township)
