"""Full-text search in Chinese: opinions, suggestions and their replies found by words.

PostgreSQL's text-search parser does not split Chinese ("老旧小区加装电梯的建议" is one "word" to
it), so the words come from jieba, here in Python, on both sides:

- Each searchable record keeps a `SearchDocumentField` (a `tsvector` column with a GIN index,
  `AddSearchIndex`): its texts cut into words (jieba's search mode, which also gives the short
  words inside long ones: 城关镇 → 城关 关镇 城关镇), lower-cased, each with its position and a
  weight (A a title, B a body, C a reply), written as a tsvector literal. The field computes it
  on every save that touches the texts, bulk_create included (`pre_save`);
  `rebuild_search_vectors` (manage.py rebuild_search_index) recomputes a whole table, after an
  import that wrote around the models or after the words' rules change.
- A query is cut the same way into words that must all occur (`parse_query`); a long word also
  matches when its parts occur (老旧小区 = 老旧小区 or 老旧 & 小区). It is written as a tsquery
  literal: no PostgreSQL parser or dictionary is involved, so both sides agree by construction.
- `search` filters and ranks (ts_rank, by the weights), and also matches short fields
  (a title, a name) by substring, which pg_trgm indexes serve. On SQLite (`make run`, the test
  suite without DATABASE_URL) it is a plain contains-search of the same fields, in the list's
  usual order.
- `highlight` and `snippet` mark the words found with <mark> in escaped text, for pages and the
  API.
"""

import logging
import re
import threading
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections, router
from django.db.models import F, FloatField, Q, Value
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.trigram import PostgresIndex

logger = logging.getLogger(__name__)

# A query longer than this is refused (400) by the filters that take one.
MAX_QUERY_LENGTH = 100
# The shortest text a substring search (`contains`, pg_trgm) is tried with on PostgreSQL.
TRIGRAM_MIN_LENGTH = 3
# tsvector limits: positions 1..16383, at most 256 positions of one lexeme are kept; a lexeme
# shorter than 2 KB. Words longer than this are not words.
MAX_POSITION = 16383
MAX_POSITIONS_PER_WORD = 256
MAX_WORD_LENGTH = 60
WEIGHTS = ("A", "B", "C", "D")

_jieba = None
_jieba_lock = threading.Lock()


def _segmenter():
    """jieba, its dictionary loaded once per process (about a second, then cached on disk)."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    return _jieba


def warm_up():
    """Load jieba's dictionary in the background (a web worker at start, congress/wsgi.py): the
    first search then does not wait a second for it. A search arriving meanwhile waits on the
    lock."""
    threading.Thread(target=_segmenter, name="jieba-warm-up", daemon=True).start()


def _word(token):
    """A token as an indexed word: lower-cased, without quotes and backslashes (which the
    literals would need escaped), or "" when it is punctuation, space or too long."""
    word = token.strip().lower().replace("'", "").replace("\\", "")
    if not word or len(word) > MAX_WORD_LENGTH or not any(ch.isalnum() for ch in word):
        return ""
    return word


def words(text):
    """The words of `text` as indexed (jieba's search mode: long words and the words in them)."""
    return [w for w in (_word(t) for t in _segmenter().cut_for_search(text or "")) if w]


def search_document(parts):
    """The tsvector literal of `parts`, [(text, weight)] with weights A–D: each word with its
    positions and weight. "" when there are no words (stored as an empty tsvector)."""
    positions = {}
    position = 0
    for text, weight in parts:
        if weight not in WEIGHTS:
            raise ValueError(f"weight {weight!r}")
        for word in words(text):
            position = min(position + 1, MAX_POSITION)
            found = positions.setdefault(word, [])
            if len(found) < MAX_POSITIONS_PER_WORD:
                found.append(f"{position}{weight}")
        position = min(position + 1, MAX_POSITION)  # a gap between parts: no phrase across them
    return " ".join(f"'{word}':{','.join(found)}" for word, found in sorted(positions.items()))


def _stores_vectors(model):
    return connections[router.db_for_write(model)].vendor == "postgresql"


class SearchDocumentField(SearchVectorField):
    """A tsvector column computed from the record's texts on each save: `document` names a method
    of the model returning [(text, weight)]. Stored on PostgreSQL only (NULL elsewhere). Saves
    with `update_fields` recompute it only when one of `sources` is among them
    (`SearchableModel.save` adds the field then)."""

    def __init__(self, *args, document="search_parts", sources=(), **kwargs):
        self.document, self.sources = document, tuple(sources)
        kwargs.setdefault("null", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key in ("null", "editable", "blank"):
            kwargs.pop(key, None)
        if self.document != "search_parts":
            kwargs["document"] = self.document
        if self.sources:
            kwargs["sources"] = list(self.sources)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        if not _stores_vectors(type(model_instance)):
            return None  # nothing is stored: no words to compute
        if not add and not model_instance.search_sources_changed():
            return getattr(model_instance, self.attname)
        value = search_document(getattr(model_instance, self.document)())
        setattr(model_instance, self.attname, value)
        return value

    def get_db_prep_save(self, value, connection):
        if connection.vendor != "postgresql":
            return None
        return value

    def get_placeholder(self, value, compiler, connection):
        return "%s::tsvector" if connection.vendor == "postgresql" else "%s"


class SearchableModel:
    """Mixin for models with a `search_vector` SearchDocumentField. A row read from the database
    remembers its sources' values: saving it unchanged writes the stored vector back without
    computing it (no jieba, no query for related texts); a save with `update_fields` naming a
    source also rewrites the vector."""

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._search_sources = instance._search_source_values()
        return instance

    def _search_source_values(self):
        field = self._meta.get_field("search_vector")
        deferred = self.get_deferred_fields()
        if field.attname in deferred or any(self._meta.get_field(name).attname in deferred for name in field.sources):
            return None
        return tuple(getattr(self, self._meta.get_field(name).attname) for name in field.sources)

    def search_sources_changed(self):
        before = getattr(self, "_search_sources", None)
        return before is None or before != self._search_source_values()

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            field = self._meta.get_field("search_vector")
            if set(update_fields) & set(field.sources) and "search_vector" not in update_fields:
                kwargs["update_fields"] = update_fields = [*update_fields, "search_vector"]
        super().save(*args, **kwargs)
        if update_fields is None or "search_vector" in update_fields:
            self._search_sources = self._search_source_values()


def rebuild_search_vectors(model, *, queryset=None, batch_size=500):
    """Recompute the search vectors of `queryset` (default: all of `model`) in batches: after
    bulk writes that went around the models, or when the words' rules change. Returns how many
    rows were written. The model's `search_queryset()` says what its document needs loaded."""
    queryset = queryset if queryset is not None else model.objects.all()
    if connections[queryset.db].vendor != "postgresql":
        return 0  # vectors are stored on PostgreSQL only
    if hasattr(model, "search_queryset"):
        queryset = model.search_queryset(queryset)
    field = model._meta.get_field("search_vector")
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    written = 0
    for start in range(0, len(ids), batch_size):
        rows = list(queryset.filter(pk__in=ids[start:start + batch_size]))
        for row in rows:
            setattr(row, field.attname, search_document(getattr(row, field.document)()))
        model.objects.bulk_update(rows, ["search_vector"])
        written += len(rows)
    return written


# --- Queries ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # the query as typed, trimmed
    terms: tuple  # every word that counts as found, for highlighting
    tsquery: str  # the tsquery literal; "" when the query has no words


def _quoted(word):
    return f"'{word}'"


def parse_query(text):
    """The query's words, each required: jieba's precise cut, single CJK characters (mostly
    particles: 的, 和) dropped when there are longer words. A word of three or more characters
    also matches as its parts (老旧小区 → '老旧小区' | '老旧' & '小区'), since the records are cut
    in search mode and a long word may have been cut differently in context."""
    text = " ".join((text or "").split())
    jieba = _segmenter()
    tokens = [w for w in (_word(t) for t in jieba.cut(text)) if w]
    longer = [w for w in tokens if len(w) > 1 or w.isascii()]
    tokens = list(dict.fromkeys(longer or tokens))
    terms, clauses = [], []
    for token in tokens:
        terms.append(token)
        parts = []
        if len(token) > 2 and not token.isascii():
            parts = [w for w in dict.fromkeys(_word(t) for t in jieba.cut_for_search(token)) if w and w != token]
            parts = [w for w in parts if len(w) > 1]
        if parts:
            terms.extend(parts)
            clauses.append(f"({_quoted(token)} | ({' & '.join(_quoted(p) for p in parts)}))")
        else:
            clauses.append(_quoted(token))
    return ParsedQuery(text=text, terms=tuple(dict.fromkeys(terms)), tsquery=" & ".join(clauses))


class LiteralQuery(SearchQuery):
    """A tsquery given as a literal (from `parse_query`), no parser or dictionary involved."""

    def __init__(self, literal):
        super().__init__(literal, search_type="raw")
        self.literal = literal

    def as_sql(self, compiler, connection, function=None, template=None):
        return "%s::tsquery", [self.literal]


def search(queryset, text, *, contains=(), fallback=(), extra=None):
    """`queryset` limited to what matches `text`, best first: the one place that chooses how by
    the database (`ranked_search` on PostgreSQL, `contains_search` elsewhere). An empty `text`
    filters nothing.

    `contains`: short fields (a title, a name) that also match when they hold the query as
    typed (pg_trgm indexes serve them); `fallback`: the fields a contains-search reads (an item
    may also be a function of the text returning a Q); `extra`: a further Q that also counts as
    a match (an exact number, a tracking code)."""
    query = parse_query(text)
    if not query.text:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        return ranked_search(queryset, query, contains=contains, extra=extra)
    return contains_search(queryset, query, fallback=fallback, extra=extra)


def contains_search(queryset, query, *, fallback, extra=None):
    """SQLite (`make run`): any field of `fallback` contains the query as typed, in the list's
    own order."""
    condition = Q()
    for name in fallback:
        condition |= name(query.text) if callable(name) else Q(**{f"{name}__icontains": query.text})
    if extra is not None:
        condition |= extra
    return queryset.filter(condition)


def ranked_search(queryset, query, *, contains=(), extra=None):
    """PostgreSQL: the record's search vector holds every word of the query (GIN index), or a
    field of `contains` holds the query as typed (pg_trgm index; three characters or more), or
    `extra`; annotated
    `search_rank` (ts_rank: a title's words weigh most) and ordered by it, then by the list's
    own order."""
    model_ordering = list(queryset.query.order_by or queryset.model._meta.ordering)
    condition = Q()
    # pg_trgm serves a substring of three characters or more; a shorter one would make the whole
    # condition a read of every row (150 ms on a city's opinions), so it is left to the words.
    if len(query.text) >= TRIGRAM_MIN_LENGTH:
        for name in contains:
            condition |= Q(**{f"{name}__icontains": query.text})
    if extra is not None:
        condition |= extra
    if query.tsquery:
        tsquery = LiteralQuery(query.tsquery)
        condition |= Q(search_vector=tsquery)
        rank = SearchRank(F("search_vector"), tsquery)
    else:
        rank = Value(0.0, output_field=FloatField())
    if not condition:
        return queryset.none()
    return queryset.filter(condition).annotate(search_rank=rank).order_by("-search_rank", *model_ordering)


# --- Highlighting -----------------------------------------------------------------------------


def _pattern(terms):
    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)


def highlight(text, terms):
    """`text` escaped, with every occurrence of a term wrapped in <mark> (terms found side by
    side in one: <mark>加装电梯</mark>)."""
    text = str(text or "")
    pattern = _pattern(terms)
    if pattern is None:
        return escape(text)
    spans = []
    for match in pattern.finditer(text):
        if spans and spans[-1][1] == match.start():
            spans[-1] = (spans[-1][0], match.end())
        else:
            spans.append((match.start(), match.end()))
    out, last = [], 0
    for start, end in spans:
        out.append(escape(text[last:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 (every piece of the text is escape()d)


def snippet(text, terms, length=60):
    """About `length` characters of `text` around the first term found (its start when none is),
    escaped and highlighted, with … where it was cut."""
    text = " ".join(str(text or "").split())
    pattern = _pattern(terms)
    match = pattern.search(text) if pattern else None
    start = 0
    if match and match.start() > length // 3:
        start = match.start() - length // 3
    end = min(len(text), start + length)
    start = max(0, min(start, end - length))
    piece = highlight(text[start:end], terms)
    ellipsis_before, ellipsis_after = ("…" if start > 0 else ""), ("…" if end < len(text) else "")
    return mark_safe(ellipsis_before + piece + ellipsis_after)  # noqa: S308 (piece: highlight()'s escaped text)


# --- Migrations -------------------------------------------------------------------------------


class AddSearchIndex(PostgresIndex):
    """CREATE INDEX `name` ON `table` USING gin (`column`) on PostgreSQL; a no-op elsewhere
    (SQLite has no GIN). Not part of the models' state, like core.trigram.AddTrigramIndex:
    `makemigrations --check` stays clean; tests/core/test_search.py checks it on PostgreSQL."""

    kind = "GIN index"

    def create_sql(self, quote):
        return [f"CREATE INDEX IF NOT EXISTS {quote(self.name)} ON {quote(self.table)} USING gin ({quote(self.column)})"]


def request_terms(context, names=("q", "search")):
    """The words of the search in a serializer's request (`?q=`), parsed once per request and
    kept in the (shared) context; () without a search."""
    if "search_terms" not in context:
        request = context.get("request")
        params = getattr(request, "query_params", None) or getattr(request, "GET", {})
        text = next((params.get(name) for name in names if (params.get(name) or "").strip()), "")
        text = text if len(text) <= MAX_QUERY_LENGTH else ""
        context["search_terms"] = parse_query(text).terms if text else ()
    return context["search_terms"]
