"""A suggestion may start from what a deputy heard receiving constituents at a station
(stations.Reception). The link to public opinions (opinions.Opinion) is left to the opinions
work: create_draft accepts `source_opinion` once Suggestion has that field."""

import pytest
from django.core.exceptions import FieldDoesNotExist, PermissionDenied

from suggestions import services
from suggestions.models import Suggestion
from tests.factories import ReceptionFactory, VisitFactory


def test_a_deputy_starts_a_suggestion_from_their_own_reception(loop, login):
    reception = ReceptionFactory(visit=VisitFactory(deputy=loop.lead.deputy), content="村口道路坑洼，雨天积水。")
    client = login(loop.lead)
    page = client.get(f"/suggestions/new/?reception={reception.pk}")
    html = page.content.decode()
    assert "村口道路坑洼，雨天积水。" in html and reception.visit.station.name in html
    assert "13812341234" not in html and "李大爷" not in html
    response = client.post(f"/suggestions/new/?reception={reception.pk}", {
        "title": "修补村口道路", "kind": "suggestion", "category": loop.category.pk,
        "content": reception.content, "source_reception": reception.pk,
    })
    suggestion = Suggestion.objects.get(title="修补村口道路")
    assert response.status_code == 302 and suggestion.source_reception == reception
    assert reception.visit.station.name in client.get(f"/suggestions/{suggestion.pk}/").content.decode()


def test_another_deputys_reception_cannot_be_the_source(loop, login):
    reception = ReceptionFactory(visit=VisitFactory(deputy=loop.other_deputy.deputy))
    with pytest.raises(PermissionDenied):
        services.create_draft(by=loop.lead, title="t", content="c", category=loop.category, source_reception=reception)
    response = login(loop.lead).post("/suggestions/new/", {
        "title": "t", "kind": "suggestion", "category": loop.category.pk, "content": "c",
        "source_reception": reception.pk,
    })
    assert response.status_code == 400 and not Suggestion.objects.exists()
    page = login(loop.lead).get(f"/suggestions/new/?reception={reception.pk}").content.decode()
    assert reception.content not in page


def test_the_opinion_link_waits_for_the_opinions_work(loop):
    if any(f.name == "source_opinion" for f in Suggestion._meta.get_fields()):
        pytest.skip("Suggestion.source_opinion exists")
    with pytest.raises(FieldDoesNotExist):
        services.create_draft(by=loop.lead, title="t", content="c", category=loop.category, source_opinion=object())
    assert not Suggestion.objects.exists()
