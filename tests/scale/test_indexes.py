"""An index backs every filter the lists offer on the big tables: each filter's column (the first
step of its lookup) leads some index of the table, so a filtered list is an index scan at any
size; the text searches have pg_trgm indexes on PostgreSQL. `bench/explain_lists.py` checks the
plans themselves on a city-scale data set."""

import pytest
from django.contrib.admin.sites import site
from django.db import connection, models

from audit.models import AuditEntry
from deputies.filters import DeputyFilter
from deputies.models import Deputy
from divisions.models import Region
from notifications.models import Notification
from opinions.filters import OpinionFilter
from stations.filters import SignupFilter, VisitFilter
from stations.models import MaterialRead, Reception
from suggestions.filters import SuggestionFilter
from suggestions.models import Reply, Suggestion
from tests.conftest import require_or_skip
from votes.models import Ballot, VoterRecord

# Filters that run a method, by the column the method filters on; None: a text search
# (icontains) on a name or title, which no B-tree index serves: trigram indexes on PostgreSQL
# (TRIGRAM_INDEXES below).
METHOD_COLUMNS = {
    (DeputyFilter, "search"): None,
    (OpinionFilter, "code"): "tracking_code",
    # The words search (core.search): a GIN index on the search vector, pg_trgm on names and
    # titles (tests/core/test_search.py checks both on PostgreSQL).
    (OpinionFilter, "q"): None, (SuggestionFilter, "q"): None, (OpinionFilter, "overdue"): "state",
    (SuggestionFilter, "search"): None, (SuggestionFilter, "period"): "session",
    (SuggestionFilter, "overdue"): "state",
    # Visits with a reception handled so: Reception.handling is indexed (see below).
    (VisitFilter, "handling"): None,
}


def leading_columns(model):
    """The columns that lead an index of the model's table (indexes, unique constraints, foreign
    keys, unique and db_index fields, the primary key)."""
    columns = {model._meta.pk.name}
    for index in model._meta.indexes:
        columns.add(index.fields[0].lstrip("-"))
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            columns.add(constraint.fields[0])
    for field in model._meta.concrete_fields:
        if field.unique or field.db_index:
            columns.add(field.name)
    return columns


def column_of(filterset, name, flt):
    if flt.method:
        return METHOD_COLUMNS[filterset, name]
    if hasattr(flt, "date_field"):  # stations.filters.MonthFilter
        return flt.date_field
    first = flt.field_name.split("__")[0]
    return first[:-3] if first.endswith("_id") else first


@pytest.mark.parametrize("filterset", [DeputyFilter, OpinionFilter, SuggestionFilter, VisitFilter, SignupFilter])
def test_every_list_filter_on_a_big_table_is_backed_by_an_index(filterset):
    model = filterset._meta.model
    indexed = leading_columns(model)
    missing = []
    for name, flt in filterset.base_filters.items():
        column = column_of(filterset, name, flt)
        if column is not None and column not in indexed:
            missing.append(f"{name} ({column})")
    assert missing == [], f"{model._meta.label}: no index leads with {missing}"


@pytest.mark.parametrize("model, columns", [
    (Reception, ["handling", "visit"]),
    (Notification, ["recipient"]),  # the inbox: the recipient's, unread first, newest first
    (Ballot, ["vote"]),  # counting and the published list are per vote
    (VoterRecord, ["vote", "deputy"]),
    (MaterialRead, ["material"]),  # a material's readers, newest first
    (Reply, ["published_at"]),  # the public replies, newest first
    (Region, ["sort_order"]),  # the roster, township by township (Deputy.Meta.ordering)
])
def test_the_other_big_tables_are_indexed_for_their_lists(model, columns):
    assert set(columns) <= leading_columns(model)


def test_the_audit_log_filters_of_the_admin_are_indexed():
    admin = site._registry[AuditEntry]
    assert {*admin.list_filter, admin.date_hierarchy} <= leading_columns(AuditEntry)


# The trigram indexes of the text searches (core.trigram.AddTrigramIndex, PostgreSQL only): table,
# index, what it indexes, and a search that must be able to use it.
TRIGRAM_INDEXES = [
    ("deputies_deputy", "deputy_name_trgm", "upper((name)::text) gin_trgm_ops",
     lambda: Deputy.objects.search("张三丰")),
    ("deputies_deputy", "deputy_search_keys_trgm", "search_keys gin_trgm_ops",
     lambda: Deputy.objects.search("zhang")),
    ("suggestions_suggestion", "suggestion_title_trgm", "upper((title)::text) gin_trgm_ops",
     lambda: SuggestionFilter({"search": "交通安全"}, queryset=Suggestion.objects.all()).qs),
]


@pytest.mark.django_db
@pytest.mark.parametrize("table, name, indexed, search", TRIGRAM_INDEXES, ids=[t[1] for t in TRIGRAM_INDEXES])
def test_the_text_searches_have_trigram_indexes_their_queries_can_use(table, name, indexed, search):
    if connection.vendor != "postgresql":
        require_or_skip("trigram indexes exist on PostgreSQL only (set DATABASE_URL)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s", [table, name])
        row = cursor.fetchone()
        assert row is not None, f"{name} is missing"
        assert "USING gin" in row[0] and indexed in row[0]
        # On a test-sized table the planner prefers reading it; leaving it only bitmap scans (which
        # need an index condition) shows whether the index matches the expression Django writes
        # for the search (UPPER(col::text) LIKE ...).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = search().order_by().explain()
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_indexscan")
    assert f"Bitmap Index Scan on {name}" in plan, plan
