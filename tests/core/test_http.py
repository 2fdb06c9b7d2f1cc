"""The query-string helpers every list page shares (core.http)."""

from django.test import RequestFactory

from core.http import filter_data, query_without_page


def test_paging_is_not_a_filter():
    request = RequestFactory().get("/suggestions/?page=3")
    assert filter_data(request) is None
    assert query_without_page(request) == ""


def test_the_filters_survive_and_the_page_is_dropped():
    request = RequestFactory().get("/opinions/?state=new&page=2&search=%E8%B7%AF%E7%81%AF&category=4&category=5")
    data = filter_data(request)
    assert data.getlist("category") == ["4", "5"] and data["search"] == "路灯" and "page" not in data
    assert query_without_page(request) == "state=new&search=%E8%B7%AF%E7%81%AF&category=4&category=5"
    assert "page" in request.GET  # the request's own query is left alone
