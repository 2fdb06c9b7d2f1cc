"""The staff list of swap requests renders one decision form per pending request without a
query per form (found by tests/scale at county against city scale)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from stations.models import StationMembership, SwapRequest
from tests.factories import StationFactory
from tests.stations.conftest import make_deputy_with_account, make_shift


def pending_requests(township, count):
    for n in range(count):
        station = StationFactory(name=f"联络站{n}", township=township)
        deputies = [make_deputy_with_account(township, f"代表{n}甲"), make_deputy_with_account(township, f"代表{n}乙"),
                    make_deputy_with_account(township, f"代表{n}丙")]
        for deputy in deputies:
            StationMembership.objects.create(station=station, deputy=deputy)
        shift = make_shift(station, timezone.localdate() + timedelta(days=3 + n), deputies[:2])
        assignment = shift.assignments.get(deputy=deputies[0])
        SwapRequest.objects.create(assignment=assignment, requested_by=deputies[0], proposed=deputies[2], reason="出差")


@pytest.mark.parametrize("count", [1, 6])
def test_swap_request_list_queries_do_not_grow_with_the_requests(count, staff, login, township,
                                                                 django_assert_max_num_queries):
    pending_requests(township, count)
    client = login(staff)
    with django_assert_max_num_queries(12):
        response = client.get("/stations/duty/swaps/")
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.context["pending"]) == count
    assert f"代表{count - 1}丙" in html  # the proposed stand-in is offered in the last form
