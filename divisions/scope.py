"""Who sees what, by region: written once, used by every `visible_to`, form and service.

A staff member is bound to a region (`User.region`): they see that region and everything under
it — city staff every county, county staff their county, township staff their township. Admins
and staff without a region see the whole deployment. Each queryset states only how its records
reach a region (a deputy: `township`; a visit: `station__township`; a suggestion: `congress`) and
calls `within(user, lookup)`.

The regions under a user's scope are read once per request (one query, kept on the user object)
and filtered as a list of ids: `township_id IN (…)` uses the foreign key's index, and the list is
found by `path LIKE 'p%'` on the region index (`divisions.Region.Meta.indexes`)."""

from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection
from django.db.models import Q

from divisions.models import Congress, HandlingUnit, Region


@dataclass(frozen=True)
class Scope:
    """A user's scope: None region means the whole deployment (no filter at all)."""

    region: Region | None = None
    region_ids: tuple = field(default=(), repr=False)  # the regions under it (itself first), in tree order
    congress_ids: tuple = field(default=(), repr=False)
    ancestor_ids: tuple = field(default=(), repr=False)
    rows: tuple = field(default=(), repr=False, compare=False)  # the regions' columns, as read

    @cached_property
    def regions(self):
        """The regions under it (itself first), in tree order, as Region objects: made only when
        a page asks for them (most pages need the ids alone)."""
        names = [f.attname for f in Region._meta.concrete_fields]
        return tuple(Region.from_db(None, names, row) for row in self.rows)

    @property
    def is_whole(self):
        return self.region is None

    def covers(self, region):
        """True when `region` (a Region or None: the whole deployment) is within this scope."""
        if self.region is None:
            return True
        return region is not None and region.path.startswith(self.region.path)

    def key(self):
        """For cache keys: the same string for everyone who sees the same records."""
        return "all" if self.region is None else f"r{self.region.pk}"


WHOLE = Scope()
CACHE_ATTRIBUTE = "_divisions_scope"
# Bumped whenever a region or a congress is saved or deleted in this process (divisions.apps), so
# that a scope kept on a user object is not used after the tree changed under it (a request's user
# lives for one request; in tests and commands the same object may outlive a change).
TREE_VERSION = [0]


def tree_changed(**kwargs):
    TREE_VERSION[0] += 1


def scope_for(region):
    """The scope of `region` (a Region or its id; None: the whole deployment): the ids of the
    regions and congresses under it and of the regions above it. One query: the rows whose path
    starts with the region's, or with which the region's path starts. It runs on every signed-in
    request, so it is written once in SQL (the ORM took four times as long to build it as the
    database to answer, at a city's hundred regions); tree paths are digits and capitals only,
    nothing LIKE would read as a wildcard."""
    if region is None:
        return WHOLE
    region_id = int(getattr(region, "pk", region))
    fields = Region._meta.concrete_fields
    table, congress = Region._meta.db_table, Congress._meta.db_table
    columns = ", ".join(f"r.{connection.ops.quote_name(f.column)}" for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            # Names from the models' own metadata; the one value is a parameter.
            f"SELECT {columns}, c.id FROM {table} r LEFT JOIN {congress} c ON c.region_id = r.id, "  # noqa: S608
            f"(SELECT path FROM {table} WHERE id = %s) own "
            "WHERE r.path LIKE own.path || '%%' OR own.path LIKE r.path || '%%' ORDER BY r.path",
            [region_id],
        )
        rows = cursor.fetchall()
    pk_at, path_at = (fields.index(Region._meta.get_field(name)) for name in ("id", "path"))
    found = next((row for row in rows if row[pk_at] == region_id), None)
    if found is None:
        raise Region.DoesNotExist(region_id)
    below = [row for row in rows if row[path_at].startswith(found[path_at])]
    return Scope(
        region=Region.from_db(None, [f.attname for f in fields], found[:-1]),
        region_ids=tuple(row[pk_at] for row in below),
        congress_ids=tuple(row[-1] for row in below if row[-1] is not None),
        ancestor_ids=tuple(row[pk_at] for row in rows if not row[path_at].startswith(found[path_at])),
        rows=tuple(row[:-1] for row in below),
    )


def scope_of(user):
    """The user's scope, read once per request. Staff bound to a region are limited to it;
    everyone else (admins, staff without a region) is not limited by region here: deputies,
    units and station managers are limited by their own rules in each `visible_to`."""
    if user is None or not getattr(user, "is_authenticated", False):
        return WHOLE
    key = (user.scope_region_id, TREE_VERSION[0])
    cached = getattr(user, CACHE_ATTRIBUTE, None)
    if cached is not None and cached[0] == key:
        return cached[1]
    scope = scope_for(user.scope_region_id) if user.scope_region_id else WHOLE
    setattr(user, CACHE_ATTRIBUTE, (key, scope))
    return scope


def in_scope(scope, lookup):
    """The filter "this record's region is within `scope`" (see `within`)."""
    if scope.is_whole:
        return Q()
    if lookup == "":  # a Region (or Township) queryset itself
        return Q(pk__any_of=scope.region_ids)
    if lookup == "congress" or lookup.endswith("__congress"):
        return Q(**{f"{lookup}_id__any_of": scope.congress_ids})
    return Q(**{f"{lookup}_id__any_of": scope.region_ids})


def within(user, lookup):
    """The filter "this record's region is within the user's scope". `lookup` leads from the
    model to a region (`township`, `station__township`, `region`; "" for regions themselves); for
    the congress of a record pass `congress` (the record's congress is within the scope)."""
    return in_scope(scope_of(user), lookup)


def within_or_above(user, lookup):
    """Within the scope, or one of the regions above it, or none (the whole deployment): what a
    township's staff may use or see of their county's (county-wide activities, the county's
    handling units)."""
    scope = scope_of(user)
    if scope.is_whole:
        return Q()
    return Q(**{f"{lookup}_id__any_of": scope.region_ids + scope.ancestor_ids}) | Q(**{f"{lookup}__isnull": True})


def units_serving(region):
    """The active handling units that may take what a congress of `region` holds: its own
    government's and those of the regions above it (a township's: the county's and the city's;
    never another county's). None: every active unit."""
    units = HandlingUnit.objects.filter(is_active=True)
    return units if region is None else units.filter(congress__region__path__in=region.ancestor_paths())


def unit_serves(unit, region):
    """May a record held by the congress of `region` go to `unit`? (See `units_serving`.)"""
    return region is None or region.path.startswith(unit.congress.region.path)


def units_for(user):
    """The active units a user may pick for the records of their scope: the units of every
    congress within it or above it (a county's staff: the county's and the city's)."""
    return HandlingUnit.objects.filter(is_active=True).filter(within_or_above(user, "congress__region"))


def regions_within(user):
    """The regions a user may see (all for the whole deployment), in tree order."""
    scope = scope_of(user)
    queryset = Region.objects.all() if scope.is_whole else Region.objects.filter(pk__in=scope.region_ids)
    return queryset.order_by("path")


def covers(user, region):
    """May this user act on what belongs to `region`? (None: the whole deployment.)"""
    return scope_of(user).covers(region)


def scope_region_name(region):
    """A scope's name for titles: the region's, or the deployment's (its root region's) for the
    whole deployment."""
    if region is not None:
        return region.name
    root = Region.objects.filter(depth=1).order_by("path").first()
    if root is not None:
        return root.name
    from django.conf import settings

    return settings.COUNTY_NAME


SCOPE_LABELS = {"city": "本市", "county": "本县（区）", "township": "本乡镇"}


def scope_label(user):
    """"本乡镇", "本县（区）" or "本市": the user's own area, for messages."""
    from django.utils.translation import gettext

    region = scope_of(user).region
    return gettext(SCOPE_LABELS[region.level]) if region is not None else gettext("本辖区")


def regions_around(township_ids):
    """The ids of these regions and of every region above them, in one query: a deputy or station
    manager sees the activities of their townships, counties and city."""
    from django.db.models import Exists, OuterRef

    if not township_ids:
        return Region.objects.none().values_list("pk", flat=True)
    below = Region.objects.filter(pk__in=list(township_ids), path__startswith=OuterRef("path"))
    return Region.objects.filter(Exists(below)).values_list("pk", flat=True)


def ranking_path(user):
    """The path of the region whose deputies a user's rankings compare: their scope's, but a
    township's staff see their county's ranking (where their deputies stand in the county).
    None: the whole deployment."""
    return county_path(scope_of(user).region)


def county_path(region):
    """The path of the county (or district) `region` is in, or the region's own when it is a county
    or above (None for None): a deputy's points rank among their county's deputies. Read from the
    path, without a query."""
    if region is None:
        return None
    if region.level != "township":
        return region.path
    return region.path[: (region.depth - 1) * region.steplen]


def region_for(user, requested=None):
    """The region a user's page or report is about: the one they asked for when it is within
    their scope, else their scope's own region (None: the whole deployment). Asking for a region
    outside the scope is refused as if it did not exist."""
    from django.http import Http404

    scope = scope_of(user)
    if requested is None:
        return scope.region
    if not scope.covers(requested):
        raise Http404("region outside the user's scope")
    return requested


def staff_between(top_path, bottom):
    """The filter for the staff accounts who look after something of `bottom` (a township) that
    is handled at the region of `top_path` (its county, a congress's region): the staff of every
    region from there down to `bottom`, and staff without a region when it is the deployment's top
    region. The staff above (a city's, for a county's opinion) are not bothered."""
    step = Region.steplen
    paths = [top_path]
    if bottom is not None and bottom.path.startswith(top_path):
        paths = [bottom.path[: depth * step] for depth in range(len(top_path) // step, bottom.depth + 1)]
    whole = Q(region__isnull=True) if len(top_path) == step else Q(pk__in=[])
    return Q(region__path__in=paths) | whole


# --- Configuration: who may change it --------------------------------------------------------

OWNER_ATTRIBUTE = "_divisions_configuration_owner"


def configuration_owner(congress=None):
    """The region whose congress owns a piece of configuration (duty rules, holidays, point rules,
    categories, learning materials): `congress`'s region, or, for configuration not tied to a
    congress, the default county's (the same default as every record made without a congress,
    `divisions.models.default_congress_id`)."""
    if congress is not None:
        return congress.region
    return Region.objects.default_county()


def may_configure(user, congress=None):
    """May this user change configuration owned by `congress` (None: the deployment's, held by the
    default county)? Staff of the owning congress's own region, staff without a region and admins
    (the whole deployment) may; staff of a region under it (a township's) or above it (the city's)
    read it and change nothing. Roles are checked by the caller (`ConfigurationPermission`)."""
    scope = scope_of(user)
    if scope.is_whole:
        return True
    if congress is not None:
        return congress.region_id == scope.region.pk
    key = (TREE_VERSION[0],)
    cached = getattr(user, OWNER_ATTRIBUTE, None)
    if cached is None or cached[0] != key:
        cached = (key, configuration_owner().pk)
        setattr(user, OWNER_ATTRIBUTE, cached)
    return cached[1] == scope.region.pk


# --- 转办: records moved between the congresses of the tree --------------------------------------
#
# An opinion or a suggestion is held by one congress at a time (`congress`) and remembers the
# congress that first received it (`received_by`, its home). A transfer (转办) up the parent chain
# or down to a child changes the holder. Who may read and who may act is decided here, once:
# - act: staff whose scope covers the holder's region; and staff of the record's home region (the
#   station's or the lead deputy's township) while the record is at home (a 街道, which has no
#   congress, acts for its county's congress on its own stations' opinions);
# - read: also the congress that first received it and the regions above it (the senders along
#   the chain keep read access), and for a 街道 the records raised there.


def home_congress(region):
    """The congress that receives what is raised in `region`: the region's own, or the nearest one
    above it (a 街道 has none: its county's). One query; the default county's when none is found."""
    from divisions.models import Congress

    if region is not None:
        found = (
            Congress.objects.filter(region__path__in=region.ancestor_paths())
            .select_related("region").order_by("-region__depth").first()
        )
        if found is not None:
            return found
    return Congress.objects.default()


def transfer_targets(congress):
    """The congresses a record held by `congress` may be transferred to: every congress above it
    (the parent chain, up to the city) and the congresses of the regions directly below it. One
    query, in tree order."""
    from divisions.models import Congress

    region = congress.region
    above = Q(region__path__in=region.ancestor_paths(include_self=False))
    below = Q(region__path__startswith=region.path, region__depth=region.depth + 1)
    return Congress.objects.filter(above | below).select_related("region").order_by("region__path")


def transfer_target(congress, region):
    """The congress of `region` when a record held by `congress` may be transferred there; else a
    DomainError saying why (no congress there, the same congress, not above or directly below)."""
    from django.utils.translation import gettext

    from core.exceptions import DomainError
    from divisions.models import Congress

    if region is None:
        raise DomainError(gettext("请选择转办给哪一级人大。"))
    target = Congress.objects.filter(region=region).select_related("region").first()
    if target is None:
        raise DomainError(
            gettext("%(region)s没有设立人民代表大会，不能转办到该地区。请选择上级人大或下一级乡镇人大。")
            % {"region": region.name}
        )
    if target.pk == congress.pk:
        raise DomainError(gettext("已由%(congress)s办理，不需要转办给自己。") % {"congress": target.name})
    if not transfer_targets(congress).filter(pk=target.pk).exists():
        raise DomainError(
            gettext("只能转办给上级人大或下一级人大，不能从%(from)s转办给%(to)s。")
            % {"from": congress.name, "to": target.name}
        )
    return target


def may_act_on(user, *, holder, home_region, at_home):
    """May `user` (staff) act on a record held by congress `holder`, raised in `home_region`?
    `at_home`: the record is held by the congress that first received it."""
    scope = scope_of(user)
    if scope.covers(holder.region):
        return True
    return at_home and scope.covers(home_region)


def held_within(scope, *, home, always_home=False):
    """The filter "a record `scope` may read": held by a congress within the scope (`congress`) or
    first received by one (`received_by`: whoever transfers a record from its home, up or down
    the chain, is its home or above it, and keeps reading it). `home` leads to the region where
    the record was raised: a scope without a congress (a 街道) reads what was raised within it,
    and so does every scope when `always_home` (a suggestion is also its lead deputy's township's).
    Columns of the record only: no join, no subquery, no extra query (see docs/regions.md for the
    one case left out: a congress that received a record sideways, through the city, and passed
    it on reads it no longer)."""
    if scope.is_whole:
        return Q()
    if not scope.congress_ids:
        return in_scope(scope, home)
    condition = Q(congress_id__any_of=scope.congress_ids) | Q(received_by_id__any_of=scope.congress_ids)
    if always_home:
        condition |= in_scope(scope, home)
    return condition
