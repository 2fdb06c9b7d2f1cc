from django.contrib.auth import get_user_model
from django.db.models import Count

from demo import foundation
from demo import suggestions as suggestions_demo
from divisions.models import HandlingUnit
from suggestions.models import Kind, State, Suggestion


def test_the_demo_session_has_suggestions_in_every_state_and_every_unit_an_account(db, login):
    foundation.seed()
    suggestions_demo.seed()
    count = Suggestion.objects.count()
    suggestions_demo.seed()
    assert Suggestion.objects.count() == count, "running it again adds nothing"
    assert 170 <= count <= 220
    states = dict(Suggestion.objects.values_list("state").annotate(n=Count("pk")).order_by())
    assert set(states) == set(State.values)
    assert Suggestion.objects.filter(session__number=5, session__term=18).count() >= 150
    assert Suggestion.objects.filter(kind=Kind.MOTION).count() == 2
    assert Suggestion.objects.overdue().exists() and Suggestion.objects.filter(is_key=True).exists()
    User = get_user_model()
    for unit in HandlingUnit.objects.filter(is_active=True):
        assert User.objects.filter(role="unit", handling_unit=unit, is_active=True).exists(), unit
    unit = User.objects.get(username="unit")
    mine = Suggestion.objects.visible_to(unit)
    assert mine.filter(state__in=[State.ASSIGNED, State.REHANDLING]).exists()
    assert mine.filter(lead_unit=unit.handling_unit).count() >= 10
    page = login(unit).get("/suggestions/")
    assert page.status_code == 200 and page.context["page_obj"].paginator.count == mine.count()
    deputy = User.objects.get(username="deputy")
    theirs = Suggestion.objects.visible_to(deputy)
    assert {State.DRAFT, State.SUBMITTED, State.ASSIGNED, State.REPLIED} <= set(theirs.values_list("state", flat=True))
    assert "邀请我附议" in login(deputy).get("/suggestions/").content.decode()
