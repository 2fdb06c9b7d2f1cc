"""core.search: the words (jieba on both sides), highlighting, the two ways of searching, the
indexes and the rebuild command. The searches of the lists themselves: tests/suggestions and
tests/opinions test_search.py."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from core.search import (
    contains_search,
    highlight,
    parse_query,
    search,
    search_document,
    snippet,
    words,
)
from opinions.models import Opinion
from suggestions.models import Suggestion
from tests.conftest import require_or_skip
from tests.suggestions.conftest import make_loop


@pytest.fixture
def loop(db):
    return make_loop()


@pytest.fixture
def postgresql(db):
    if connection.vendor != "postgresql":
        require_or_skip("the full-text search is stored on PostgreSQL only (set DATABASE_URL)")


# --- Words ------------------------------------------------------------------------------------


def test_chinese_text_is_cut_into_words_with_the_short_words_in_long_ones():
    assert {"老旧", "小区", "加装", "电梯", "建议"} <= set(words("老旧小区加装电梯的建议"))
    assert {"城关", "城关镇"} <= set(words("城关镇"))
    assert words("，。！  ") == []


def test_the_document_gives_each_word_its_positions_and_weight():
    document = search_document([("加装电梯", "A"), ("电梯 It's", "B")])
    assert "'加装':1A" in document and "'电梯':2A,4B" in document
    assert "'it':" in document  # lower-cased; quotes dropped, no literal to break
    assert "''" not in document
    with pytest.raises(ValueError):
        search_document([("x", "E")])


def test_a_query_requires_every_word_and_a_long_word_matches_as_its_parts():
    assert parse_query("加装电梯").tsquery == "'加装' & '电梯'"
    query = parse_query("城关镇 道路")
    assert query.tsquery == "('城关镇' | ('城关' & '关镇')) & '道路'"
    assert set(query.terms) == {"城关镇", "城关", "关镇", "道路"}
    # single characters (的, 和) are dropped beside real words, kept when they are all there is
    assert parse_query("电梯的").tsquery == "'电梯'"
    assert parse_query("梯").tsquery == "'梯'"


def test_a_query_of_punctuation_quotes_and_backslashes_is_harmless():
    assert parse_query("'; DROP TABLE x; --").tsquery == "'drop' & 'table' & 'x'"
    assert parse_query("\\'").tsquery == ""
    assert parse_query("   ").text == ""


# --- Highlighting -----------------------------------------------------------------------------


def test_highlight_marks_the_words_found_in_escaped_text():
    terms = parse_query("加装电梯").terms
    assert highlight("<b>老旧小区加装电梯</b>的建议", terms) == (
        "&lt;b&gt;老旧小区<mark>加装电梯</mark>&lt;/b&gt;的建议"
    )
    assert highlight("<script>", ()) == "&lt;script&gt;"
    assert highlight("Elevator ELEVATOR", ("elevator",)) == "<mark>Elevator</mark> <mark>ELEVATOR</mark>"


def test_a_snippet_is_cut_around_the_first_word_found():
    text = "一" * 100 + "加装电梯" + "二" * 100
    piece = snippet(text, ("加装", "电梯"), length=30)
    assert piece.startswith("…") and piece.endswith("…")
    assert "<mark>加装电梯</mark>" in piece
    assert len(piece.replace("<mark>", "").replace("</mark>", "")) == 32  # 30 and the two …
    assert snippet("短文<i>", ("x",)) == "短文&lt;i&gt;"


# --- Searching --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_empty_query_filters_nothing():
    queryset = Suggestion.objects.all()
    assert search(queryset, "  ", contains=["title"], fallback=["title"]) is queryset


@pytest.mark.django_db
def test_the_contains_search_of_sqlite_finds_the_text_as_typed(loop):
    """What `make run` (SQLite) does; run here on whatever database the suite has."""
    wanted = loop.draft(title="老旧小区加装电梯的建议", content="楼道狭窄，老人上下楼困难。")
    loop.draft(title="修路", content="中心路坑洼。")
    found = contains_search(Suggestion.objects.all(), parse_query("加装电梯"), fallback=["title", "content"])
    assert list(found) == [wanted]
    found = contains_search(Suggestion.objects.all(), parse_query("上下楼"), fallback=["title", "content"])
    assert list(found) == [wanted]


@pytest.mark.django_db
def test_sqlite_searches_by_contains(loop):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite branch of core.search.search")
    wanted = loop.draft(title="老旧小区加装电梯的建议")
    loop.draft(title="修路")
    assert list(Suggestion.objects.search("加装电梯")) == [wanted]
    assert Suggestion.objects.get(pk=wanted.pk).search_vector is None  # nothing stored on SQLite


# --- PostgreSQL: stored vectors, indexes, the rebuild -----------------------------------------

SEARCH_INDEXES = [
    ("suggestions_suggestion", "suggestion_search_gin", "gin (search_vector)",
     lambda: Suggestion.objects.search("加装电梯")),
    ("opinions_opinion", "opinion_search_gin", "gin (search_vector)",
     lambda: Opinion.objects.search("加装电梯")),
    ("opinions_opinion", "opinion_name_trgm", "upper((name)::text) gin_trgm_ops",
     lambda: Opinion.objects.search("王大妈", by_name=True)),
]


@pytest.mark.parametrize("table, name, indexed, query", SEARCH_INDEXES, ids=[i[1] for i in SEARCH_INDEXES])
def test_the_searches_use_their_gin_indexes(postgresql, table, name, indexed, query):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s", [table, name])
        row = cursor.fetchone()
        assert row is not None, f"{name} is missing"
        assert indexed in row[0]
        # A test-sized table is read whole; with only bitmap scans left the plan shows whether
        # the index serves the condition Django writes.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = query().explain()
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_indexscan")
    assert f"Bitmap Index Scan on {name}" in plan, plan


def test_saving_writes_the_vector_and_a_reply_adds_its_words(postgresql, loop):
    suggestion = loop.draft(title="老旧小区加装电梯的建议", content="楼道狭窄。")
    stored = Suggestion.objects.values_list("search_vector", flat=True).get(pk=suggestion.pk)
    assert "'加装':" in stored and "'楼道':" in stored
    assert not Suggestion.objects.search("资金").exists()
    from suggestions.models import State

    loop.to(State.REPLIED, suggestion=suggestion)
    assert list(Suggestion.objects.search("安排资金")) == [suggestion]  # the reply's words


def test_the_rebuild_command_writes_vectors_missing_after_bulk_writes(postgresql, loop):
    suggestion = loop.draft(title="关于民生的建议", content="老旧小区加装电梯，方便老人。")
    Suggestion.objects.filter(pk=suggestion.pk).update(search_vector=None)
    assert not Suggestion.objects.search("加装电梯").exists()
    call_command("rebuild_search_index", "--only", "suggestions.suggestion", stdout=io.StringIO())
    assert list(Suggestion.objects.search("加装电梯")) == [suggestion]
