"""Trigram (pg_trgm) GIN indexes for the lists' substring searches, as a migration operation.

A search box's `icontains` is `UPPER(column) LIKE UPPER('%term%')` on PostgreSQL and `contains` is
`column LIKE '%term%'`: no B-tree index serves a pattern with a leading wildcard, a GIN index with
`gin_trgm_ops` on the same expression does (for terms of three characters or more: pg_trgm
splits text into trigrams, so a two-character term such as 交通 still reads the table).

The index exists only on PostgreSQL (SQLite, which runs the test suite without DATABASE_URL, has
neither GIN nor pg_trgm), so it is not part of the models' state: `makemigrations --check` stays
clean, and tests/scale/test_indexes.py checks the catalogue on PostgreSQL."""

from django.db.migrations.operations.base import Operation


class AddTrigramIndex(Operation):
    """Create `name` ON table USING gin (expression gin_trgm_ops) on PostgreSQL, creating the
    pg_trgm extension first if needed; a no-op on other databases. `upper=True` indexes
    UPPER(column), what `icontains` compares; `upper=False` the column itself (`contains`).
    Reversible: going back drops the index (the extension stays, other indexes may use it)."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, *, table, column, name, upper=True):
        self.table, self.column, self.name, self.upper = table, column, name, upper

    def deconstruct(self):
        kwargs = {"table": self.table, "column": self.column, "name": self.name, "upper": self.upper}
        return self.__class__.__qualname__, [], kwargs

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        column = quote(self.column)
        expression = f"(UPPER({column}::text))" if self.upper else column
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(self.name)} ON {quote(self.table)} "
            f"USING gin ({expression} gin_trgm_ops)"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(self.name)}")

    def describe(self):
        return f"Create trigram index {self.name} on {self.table}.{self.column} (PostgreSQL only)"

    @property
    def migration_name_fragment(self):
        return self.name.lower()


class DropTrigramIndex(AddTrigramIndex):
    """The reverse of AddTrigramIndex: drop the index (PostgreSQL only), recreate it going back."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        super().database_backwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        super().database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"Drop trigram index {self.name} on {self.table}.{self.column} (PostgreSQL only)"

    @property
    def migration_name_fragment(self):
        return f"drop_{self.name.lower()}"
