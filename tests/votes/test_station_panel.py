"""The 推荐民生实事项目 panel on a station's public page (/s/<code>/)."""

import pytest

from tests.factories import StationFactory, TownshipFactory
from tests.votes.factories import ProjectVoteFactory
from votes.models import Proposal, ProposalSource, VoteStatus

pytestmark = pytest.mark.django_db

GOOD = {"title": "村口修一座便民桥", "description": "小河上只有一座木桥，雨季常被冲坏。", "location": "前进村",
        "beneficiaries": "前进村 800 名村民", "website": ""}


def test_panel_shows_only_while_the_county_or_the_townships_vote_is_collecting(client):
    township, elsewhere = TownshipFactory(name="城关镇"), TownshipFactory(name="青山镇")
    station = StationFactory(township=township)
    assert "推荐民生实事项目" not in client.get(f"/s/{station.code}/").content.decode()
    ProjectVoteFactory(status=VoteStatus.COLLECTING, level="township", township=elsewhere, session=None,
                       title="青山镇民生实事征集")
    assert "推荐民生实事项目" not in client.get(f"/s/{station.code}/").content.decode()
    ProjectVoteFactory(status=VoteStatus.COLLECTING, level="township", township=township, session=None,
                       title="城关镇民生实事征集")
    html = client.get(f"/s/{station.code}/").content.decode()
    assert "推荐民生实事项目" in html and "城关镇民生实事征集" in html and "青山镇民生实事征集" not in html


def test_a_proposal_from_the_station_page_records_the_station(client):
    station = StationFactory(township=TownshipFactory(name="城关镇"), name="城关镇代表之家")
    vote = ProjectVoteFactory(status=VoteStatus.COLLECTING)
    response = client.post(f"/projects/propose/?station={station.code}", {**GOOD, "vote": vote.pk,
                                                                          "station": station.code})
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.source == ProposalSource.STATION
    assert (proposal.station_code, proposal.station_name) == (station.code, "城关镇代表之家")


def test_the_station_page_links_to_the_proposal_form_and_errors_come_back_there(client):
    station = StationFactory(township=TownshipFactory(name="城关镇"))
    vote = ProjectVoteFactory(status=VoteStatus.COLLECTING)
    page = client.get(f"/s/{station.code}/").content.decode()
    assert f'href="/projects/propose/?station={station.code}"' in page and 'name="title"' not in page
    assert page.index('id="opinion"') < page.index('id="project-proposal"')
    response = client.post(f"/projects/propose/?station={station.code}", {"vote": vote.pk, "title": "",
                                                                          "description": "", "station": station.code})
    html = response.content.decode()
    assert response.status_code == 400
    assert station.name in html and 'id="error-summary"' in html and f'href="#{response.context["form"]["title"].id_for_label}"' in html
    assert not Proposal.objects.exists()
