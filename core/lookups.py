"""`field__any_of=ids`: "the column is one of these ids" for long lists of trusted integers.

A city's scope is a list of about a hundred region or congress ids (`divisions.scope`), written
into every list's query, often three times (`congress_id IN (…) OR received_by_id IN (…) OR
township_id IN (…)`). Django's `__in` prepares and binds each value on its own: at city scale
building those queries cost more Python time than PostgreSQL took to run them. On PostgreSQL
`any_of` binds the whole list as one array (`col = ANY(%s)`), which the planner treats exactly
as an IN list (same index scans); elsewhere (SQLite) it writes the IN list. The values are not
converted: pass integers (primary keys), never user input."""

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, ForeignObject, Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        return tuple(self.rhs)

    def as_sql(self, compiler, connection):
        values = list(self.rhs)
        if not values:  # as `__in=[]`: matches nothing (and drops out of an OR)
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", (*lhs_params, values)
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", (*lhs_params, *values)


def register():
    Field.register_lookup(AnyOf)
    ForeignObject.register_lookup(AnyOf)  # related fields look their lookups up from here down
