"""Trigram (pg_trgm) GIN indexes for the lists' substring searches, as a migration operation.

A search box's `icontains` is `UPPER(column) LIKE UPPER('%term%')` on PostgreSQL and `contains` is
`column LIKE '%term%'`: no B-tree index serves a pattern with a leading wildcard, a GIN index with
`gin_trgm_ops` on the same expression does (for terms of three characters or more: pg_trgm
splits text into trigrams, so a two-character term such as 交通 still reads the table).

The index exists only on PostgreSQL (SQLite, which runs the test suite without DATABASE_URL, has
neither GIN nor pg_trgm), so it is not part of the models' state: `makemigrations --check` stays
clean, and tests/scale/test_indexes.py checks the catalogue on PostgreSQL."""

from django.db.migrations.operations.base import Operation


class PostgresIndex(Operation):
    """An index that exists only on PostgreSQL (a no-op on other databases) and is not part of
    the models' state: subclasses say how it is created (`create_sql`) and described. Going back
    drops it. core.search.AddSearchIndex (GIN over a tsvector) is one, AddTrigramIndex another."""

    reversible = True
    reduces_to_sql = True
    kind = "index"

    def __init__(self, *, table, column, name):
        self.table, self.column, self.name = table, column, name

    def deconstruct(self):
        return self.__class__.__qualname__, [], {"table": self.table, "column": self.column, "name": self.name}

    def state_forwards(self, app_label, state):
        pass

    def create_sql(self, quote):
        raise NotImplementedError

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in self.create_sql(schema_editor.quote_name):
            schema_editor.execute(sql)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(self.name)}")

    def describe(self):
        return f"Create {self.kind} {self.name} on {self.table}.{self.column} (PostgreSQL only)"

    @property
    def migration_name_fragment(self):
        return self.name.lower()


class AddTrigramIndex(PostgresIndex):
    """Create `name` ON table USING gin (expression gin_trgm_ops) on PostgreSQL, creating the
    pg_trgm extension first if needed; a no-op on other databases. `upper=True` indexes
    UPPER(column), what `icontains` compares; `upper=False` the column itself (`contains`).
    Reversible: going back drops the index (the extension stays, other indexes may use it)."""

    kind = "trigram index"

    def __init__(self, *, table, column, name, upper=True):
        super().__init__(table=table, column=column, name=name)
        self.upper = upper

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        return path, args, {**kwargs, "upper": self.upper}

    def create_sql(self, quote):
        column = quote(self.column)
        expression = f"(UPPER({column}::text))" if self.upper else column
        return [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            f"CREATE INDEX IF NOT EXISTS {quote(self.name)} ON {quote(self.table)} USING gin ({expression} gin_trgm_ops)",
        ]


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
