"""generate_synthetic: deterministic, refuses foreign data, and fills what the pages read."""

from datetime import date

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction

from demo import synthetic
from deputies.models import Deputy
from opinions.models import Opinion
from opinions.models import State as OpinionState
from stations.models import StationMembership
from suggestions.models import Suggestion
from suggestions.models import State as SuggestionState
from tests.factories import TownshipFactory

TODAY = date(2026, 11, 20)
FACTOR = 0.005

# Tables the generator leaves empty on purpose: uploads (photos, attachments, generated reports
# need real files), paper ballots (typed by staff in the hall), messages queued for outside
# channels, and bookkeeping that only the running system writes.
LEFT_EMPTY = {
    "stations.VisitPhoto", "opinions.OpinionPhoto", "suggestions.Attachment", "votes.ProjectPhoto",
    "votes.PaperSlip", "votes.PaperEntry", "reports.GeneratedReport", "points.GroupSummary",
    "notifications.Delivery", "core.OutboxMessage", "suggestions.Hearing",
    # Channel configuration: empty means the built-in wording and defaults; the SMS day counter
    # fills as messages are really sent (the synthetic notices are in-portal only).
    "notifications.MessageTemplate", "notifications.ChannelSettings", "notifications.SmsDailyCount",
    # Filled as users change their passwords (the synthetic accounts are only created).
    "accounts.PasswordHistory",
}
DOMAIN_APPS = ["accounts", "audit", "divisions", "deputies", "stations", "opinions", "suggestions", "votes",
               "points", "reports", "notifications", "core"]


def fingerprint():
    """What the data set says, without database ids (sequences differ between runs)."""
    return {
        "deputies": list(Deputy.objects.order_by("phone").values_list(
            "phone", "name", "level", "status", "township__name", "group__name", "user__username")),
        "stations": list(apps.get_model("stations", "Station").objects.order_by("code").values_list(
            "code", "name", "kind", "mode", "duty_enabled", "manager__username")),
        "visits": list(apps.get_model("stations", "Visit").objects.order_by(
            "date", "station__code", "deputy__phone", "start_time").values_list(
            "date", "station__code", "deputy__phone", "start_time")),
        "opinions": list(Opinion.objects.order_by("tracking_code").values_list(
            "tracking_code", "state", "station__code", "created_at", "due_at", "adopted_by__phone", "unit__name",
            "rating")),
        "suggestions": list(Suggestion.objects.order_by("year", "session__number", "number", "title").values_list(
            "year", "session__number", "number", "state", "title", "lead_deputy__phone", "deadline",
            "lead_unit__name", "reply_class", "rating")),
        "ballots": sorted(apps.get_model("votes", "Ballot").objects.values_list("vote__title", "id", "content")),
        "duty": list(apps.get_model("stations", "DutyAssignment").objects.order_by(
            "shift__date", "shift__station__code", "slot").values_list(
            "shift__date", "shift__station__code", "deputy__phone", "attendance")),
    }


def generated(seed):
    with transaction.atomic():
        synthetic.generate(factor=FACTOR, seed=seed, today=TODAY)
        result = fingerprint()
        transaction.set_rollback(True)
    return result


@pytest.mark.django_db
def test_same_seed_and_day_give_the_same_data_and_another_seed_does_not():
    first = generated(7)
    assert first == generated(7)
    other = generated(8)
    assert other["deputies"] != first["deputies"]
    assert other["opinions"] != first["opinions"]


@pytest.mark.django_db
def test_every_table_the_pages_read_has_rows_and_the_invariants_hold():
    synthetic.generate(factor=FACTOR, seed=3, today=TODAY)
    empty = [
        model._meta.label for name in DOMAIN_APPS for model in apps.get_app_config(name).get_models()
        if model._meta.label not in LEFT_EMPTY and not model.objects.exists()
    ]
    assert empty == []
    active = Deputy.objects.active()
    assert not active.exclude(pk__in=StationMembership.objects.values("deputy")).exists()
    assert set(Opinion.objects.values_list("state", flat=True)) == set(OpinionState.values)
    states = set(Suggestion.objects.values_list("state", flat=True))
    assert states >= {
        SuggestionState.DRAFT, SuggestionState.SUBMITTED, SuggestionState.ASSIGNED, SuggestionState.REPLIED,
        SuggestionState.EVALUATED, SuggestionState.CLOSED, SuggestionState.REFERENCE, SuggestionState.MERGED,
        SuggestionState.WITHDRAWN,
    }, states
    # The values the services write: a closed opinion has its reply and no deadline; a
    # reception's opinion points at the reception; replied suggestions have a reply row.
    assert not Opinion.objects.filter(state=OpinionState.CLOSED, closed_at__isnull=True).exists()
    assert not Opinion.objects.filter(state=OpinionState.CLOSED, due_at__isnull=False).exists()
    assert not Opinion.objects.filter(source="reception", reception__isnull=True).exists()
    assert not Suggestion.objects.filter(state=SuggestionState.REPLIED, replies__isnull=True).exists()
    assert not Suggestion.objects.filter(state=SuggestionState.MERGED, merged_into__isnull=True).exists()


@pytest.mark.django_db
def test_refuses_a_database_with_other_data_and_one_already_generated():
    TownshipFactory(name="城关镇")
    with pytest.raises(CommandError, match="非合成数据"):
        call_command("generate_synthetic", "--factor", "0.005")
