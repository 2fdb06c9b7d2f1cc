"""Rankings that mean something: a rate over one or two items is noise, so every ranking and
comparison of rates (award shortlists, the figures pages, the dashboard, the annual report)
ranks only those with at least `min_items_to_rank` items — a per-congress rule
(`divisions.models.Congress.min_items_to_rank`, default 5) — and lists the others after the
ranked ones, under “样本不足”, with their counts."""

from divisions.models import Congress, Level, Region


def min_items_to_rank(region=None):
    """The minimum of the congress of `region` (a Region or its id), or of the nearest region
    above it that has one (a 街道 has none); for None, the default county's (a county
    deployment's only county congress). One query; the field's default when there is none."""
    if region is None:
        congresses = Congress.objects.filter(region__level=Level.COUNTY).order_by("region__path")
    else:
        if not isinstance(region, Region):
            region = Region.objects.get(pk=region)
        congresses = Congress.objects.filter(region__path__in=region.ancestor_paths()).order_by("-region__depth")
    minimum = congresses.values_list("min_items_to_rank", flat=True).first()
    return minimum if minimum is not None else Congress._meta.get_field("min_items_to_rank").default


def split_for_ranking(rows, count, minimum):
    """(ranked, too_few): the rows (dicts) with at least `minimum` items, in their order, and the
    others, most items first. `count(row)` is the number of items the row's rates or score are
    taken over; each row gets `items` (that number) and `too_few` (True or False)."""
    ranked, too_few = [], []
    for row in rows:
        row["items"] = count(row)
        row["too_few"] = row["items"] < minimum
        (too_few if row["too_few"] else ranked).append(row)
    too_few.sort(key=lambda row: -row["items"])
    return ranked, too_few
