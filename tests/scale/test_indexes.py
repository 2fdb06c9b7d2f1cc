"""An index backs every filter the lists offer on the big tables: each filter's column (the first
step of its lookup) leads some index of the table, so a filtered list is an index scan at any
size. `bench/explain_lists.py` checks the plans themselves on a city-scale data set."""

import pytest
from django.contrib.admin.sites import site
from django.db import models

from audit.models import AuditEntry
from deputies.filters import DeputyFilter
from notifications.models import Notification
from opinions.filters import OpinionFilter
from stations.filters import SignupFilter, VisitFilter
from stations.models import Reception
from suggestions.filters import SuggestionFilter
from votes.models import Ballot, VoterRecord

# Filters that run a method, by the column the method filters on; None: a text search
# (icontains), which no B-tree index serves, on a name or title.
METHOD_COLUMNS = {
    (DeputyFilter, "search"): None,
    (OpinionFilter, "code"): "tracking_code", (OpinionFilter, "overdue"): "state",
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
])
def test_the_other_big_tables_are_indexed_for_their_lists(model, columns):
    assert set(columns) <= leading_columns(model)


def test_the_audit_log_filters_of_the_admin_are_indexed():
    admin = site._registry[AuditEntry]
    assert {*admin.list_filter, admin.date_hierarchy} <= leading_columns(AuditEntry)
