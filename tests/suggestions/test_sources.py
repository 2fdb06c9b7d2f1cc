"""A suggestion may start from what a deputy heard receiving constituents at a station
(stations.Reception), or from a public opinion the deputy adopted (opinions.Opinion): the
suggestion points at its source and the opinion is marked 已转为代表建议 with a link back."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

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


def adopted_opinion(deputy_user, content="小区门口路灯坏了三个月，晚上老人出门不安全。"):
    from opinions import services as opinion_services
    from tests.factories import StationFactory, StationMembershipFactory
    from tests.opinions.factories import OpinionFactory

    station = StationFactory()
    StationMembershipFactory(station=station, deputy=deputy_user.deputy)
    opinion = OpinionFactory(station=station, content=content)
    return opinion_services.adopt(opinion, by=deputy_user)


def test_an_adopted_opinion_becomes_a_suggestion_linked_both_ways(loop, login):
    from opinions.models import State as OpinionState

    opinion = adopted_opinion(loop.lead)
    client = login(loop.lead)
    page = client.get(f"/suggestions/new/?opinion={opinion.pk}").content.decode()
    assert opinion.content in page and opinion.tracking_code in page
    assert opinion.phone not in page and opinion.name not in page
    response = client.post(f"/suggestions/new/?opinion={opinion.pk}", {
        "title": "修复小区路灯", "kind": "suggestion", "category": loop.category.pk,
        "content": opinion.content, "source_opinion": opinion.pk,
    })
    suggestion = Suggestion.objects.get(title="修复小区路灯")
    assert response.status_code == 302 and suggestion.source_opinion == opinion
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.CONVERTED
    assert list(opinion.suggestions.all()) == [suggestion]
    entry = opinion.timeline.order_by("-id").first()
    assert entry.link == f"/suggestions/{suggestion.pk}/"
    assert opinion.tracking_code in client.get(f"/suggestions/{suggestion.pk}/").content.decode()


def test_only_the_adopting_deputy_converts_an_opinion(loop, login):
    opinion = adopted_opinion(loop.other_deputy)
    response = login(loop.lead).post("/suggestions/new/", {
        "title": "t", "kind": "suggestion", "category": loop.category.pk, "content": "c",
        "source_opinion": opinion.pk,
    })
    assert response.status_code == 400 and not Suggestion.objects.exists()
    with pytest.raises((PermissionDenied, Http404)):  # not the lead's station: its existence is not shown
        services.create_draft(by=loop.lead, title="t", content="c", category=loop.category, source_opinion=opinion)
    assert not Suggestion.objects.exists()
