"""core.models.choice_display says what Django's get_<field>_display says, without Django's
per-call hashing of every translated label."""

import pytest
from django.utils import translation

from opinions.models import Opinion
from opinions.models import State as OpinionState
from suggestions.models import State as SuggestionState
from suggestions.models import Suggestion


@pytest.mark.parametrize("model, states", [(Suggestion, SuggestionState), (Opinion, OpinionState)])
def test_the_label_of_every_state_and_the_value_itself_when_unknown(model, states):
    with translation.override("zh-hans"):
        for state in states:
            row = model(state=state.value)
            assert row.get_state_display() == str(state.label) == row._get_FIELD_display(model._meta.get_field("state"))
        assert model(state="no-such-state").get_state_display() == "no-such-state"
