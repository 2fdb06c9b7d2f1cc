"""Deadlines, reminders and overdue flags with the clock moved (time-machine): each notice goes
out exactly once, however often the daily task runs."""

from collections import Counter
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from divisions.models import Congress
from notifications.models import Notification
from suggestions import services, tasks
from suggestions.models import State, Step, Suggestion
from tests.factories import TownshipFactory, UserFactory

pytestmark = pytest.mark.calendar


def at_eight(day):
    return datetime(day.year, day.month, day.day, 8, 0, tzinfo=timezone.get_current_timezone())


def run_daily(first, last, runs_per_day=1):
    """Run the daily task every day from `first` to `last` (the clock moved to 08:00 each day)."""
    day = first
    while day <= last:
        with time_machine.travel(at_eight(day), tick=False):
            for _ in range(runs_per_day):
                tasks.send_deadline_reminders.delay()
        day += timedelta(days=1)


def reminder_days(user):
    """The local dates on which `user` received deadline reminders and overdue notices."""
    return sorted(
        (timezone.localtime(n.created_at).date(), n.kind)
        for n in Notification.objects.filter(recipient=user, kind__in=["suggestion_due", "suggestion_due_soon", "suggestion_due_today", "suggestion_overdue"])
        .filter(title__regex=r"还有|今天到期|逾期未答复")
    )


def test_reminders_30_7_1_days_before_and_one_overdue_notice_each_exactly_once(loop):
    with time_machine.travel(at_eight(date(2026, 2, 10)), tick=False):
        suggestion = loop.to(State.ASSIGNED)
    assert suggestion.deadline == date(2026, 5, 10)
    staff_before = Notification.objects.filter(recipient=loop.staff).count()
    run_daily(date(2026, 2, 10), date(2026, 5, 20), runs_per_day=2)
    for user in (loop.lead_unit_user, loop.co_unit_user):
        assert reminder_days(user) == [
            (date(2026, 4, 10), "suggestion_due"),  # 30 days before
            (date(2026, 5, 3), "suggestion_due"),  # 7 days before
            (date(2026, 5, 9), "suggestion_due_soon"),  # 1 day before: also by SMS and WeChat
            (date(2026, 5, 11), "suggestion_overdue"),  # overdue, the day after the deadline
        ]
    assert Notification.objects.filter(recipient=loop.staff).count() == staff_before + 1
    assert Suggestion.objects.get(pk=suggestion.pk).timeline.filter(step=Step.OVERDUE).count() == 1
    assert Notification.objects.filter(recipient=loop.other_unit_user).count() == 0


def test_a_missed_day_is_caught_up_the_next_day_and_not_repeated(loop):
    with time_machine.travel(at_eight(date(2026, 2, 10)), tick=False):
        loop.to(State.ASSIGNED)
    # The worker was down from 8 to 12 April: the 30-day reminder goes out on the 13th.
    run_daily(date(2026, 4, 13), date(2026, 4, 20))
    assert reminder_days(loop.lead_unit_user) == [(date(2026, 4, 13), "suggestion_due")]


def test_an_extension_brings_reminders_for_the_new_deadline(loop):
    with time_machine.travel(at_eight(date(2026, 2, 10)), tick=False):
        suggestion = loop.to(State.ASSIGNED)
    run_daily(date(2026, 4, 1), date(2026, 5, 4))
    with time_machine.travel(at_eight(date(2026, 5, 4)), tick=False):
        services.request_extension(suggestion, by=loop.lead_unit_user, until=date(2026, 6, 10), reason="需要立项")
        services.grant_extension(suggestion, by=loop.staff)
    run_daily(date(2026, 5, 5), date(2026, 6, 12))
    days = [day for day, kind in reminder_days(loop.lead_unit_user)]
    # Old deadline 5-10: 30 and 7 days before; new deadline 6-10: 30 (caught up on 5-11 as it
    # was already under 30 days away), 7 and 1 days before, overdue on 6-11. Nothing for 5-10.
    assert days == [date(2026, 4, 10), date(2026, 5, 3), date(2026, 5, 11), date(2026, 6, 3),
                    date(2026, 6, 9), date(2026, 6, 11)]


def test_rehandling_has_a_month_and_its_own_reminders(loop):
    with time_machine.travel(at_eight(date(2026, 3, 1)), tick=False):
        suggestion = loop.to(State.REHANDLING)
    assert suggestion.deadline == date(2026, 4, 1)
    Notification.objects.filter(recipient=loop.lead_unit_user).delete()
    run_daily(date(2026, 3, 1), date(2026, 4, 5))
    days = [day for day, kind in reminder_days(loop.lead_unit_user)]
    assert days == [date(2026, 3, 2), date(2026, 3, 25), date(2026, 3, 31), date(2026, 4, 2)]


def test_replied_suggestions_get_no_reminders(loop):
    with time_machine.travel(at_eight(date(2026, 2, 10)), tick=False):
        suggestion = loop.to(State.ASSIGNED)
    with time_machine.travel(at_eight(date(2026, 4, 20)), tick=False):
        loop.reply(suggestion)
    run_daily(date(2026, 4, 21), date(2026, 5, 20))
    assert reminder_days(loop.lead_unit_user) == []


def test_overdue_flag_and_the_figures_agree(loop, login):
    with time_machine.travel(at_eight(date(2026, 2, 10)), tick=False):
        suggestion = loop.to(State.ASSIGNED)
    with time_machine.travel(at_eight(date(2026, 5, 11)), tick=False):
        call_command("suggestion_deadline_reminders", verbosity=0)
        assert Suggestion.objects.overdue().get() == suggestion
        page = login(loop.staff).get("/suggestions/figures/", {"year": suggestion.year})
        assert page.context["figures"].totals["overdue"] == 1
        assert "已逾期1天" in page.content.decode()
    assert Suggestion.objects.get(pk=suggestion.pk).overdue_flagged_for == date(2026, 5, 10)


def test_progress_reminders_go_monthly_to_key_suggestions_until_replied(loop):
    with time_machine.travel(at_eight(date(2026, 2, 10)), tick=False):
        key = loop.to(State.ASSIGNED)
        services.mark_key_supervision(key, by=loop.staff, supervisor="县人大常委会主任 赵刚")
        loop.to(State.ASSIGNED)  # not key: no monthly reminder
    for month in (3, 3, 4):
        with time_machine.travel(at_eight(date(2026, month, 1)), tick=False):
            tasks.send_progress_reminders.delay()
    with time_machine.travel(at_eight(date(2026, 5, 1)), tick=False):
        services.post_progress(key, by=loop.lead_unit_user, text="五月进展")
        call_command("suggestion_progress_reminders", verbosity=0)  # already reported this month
    with time_machine.travel(at_eight(date(2026, 5, 20)), tick=False):
        loop.reply(key)
    with time_machine.travel(at_eight(date(2026, 6, 1)), tick=False):
        tasks.send_progress_reminders.delay()
    titles = Counter(
        n.title[:n.title.index("月")] for n in Notification.objects.filter(kind="suggestion_progress_due", recipient=loop.lead_unit_user)
    )
    assert titles == Counter({"请报送重点督办建议3": 1, "请报送重点督办建议4": 1})
    assert not Notification.objects.filter(kind="suggestion_progress_due", recipient=loop.co_unit_user).exists()


def test_the_schedules_are_named_in_settings():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["suggestions-deadline-reminders-daily"]["task"] == "suggestions.tasks.send_deadline_reminders"
    assert schedule["suggestions-supervision-progress-monthly"]["task"] == "suggestions.tasks.send_progress_reminders"
    assert tasks.send_deadline_reminders.acks_late and tasks.send_progress_reminders.acks_late


@pytest.mark.parametrize("rule,value", [("reply_months", 2), ("max_months", 4)])
def test_deadlines_come_from_the_congresss_rules(loop, rule, value):
    congress = Congress.objects.default()
    setattr(congress, rule, value)
    congress.save()
    with time_machine.travel(at_eight(date(2026, 1, 15)), tick=False):
        suggestion = loop.to(State.ASSIGNED)
    field = "deadline" if rule == "reply_months" else "max_deadline"
    assert getattr(suggestion, field) == date(2026, 1 + value, 15)


@pytest.mark.parametrize("setting,rule", [("SUGGESTION_REPLY_MONTHS", "reply_months"),
                                          ("SUGGESTION_MAX_MONTHS", "max_months"),
                                          ("SUGGESTION_REHANDLE_MONTHS", "rehandle_months")])
def test_a_new_congress_starts_from_the_settings(settings, db, setting, rule):
    setattr(settings, setting, 5)
    assert getattr(Congress.objects.of(TownshipFactory(name="新设镇")), rule) == 5


def test_unit_users_of_a_unit_without_accounts_do_not_break_the_run(loop):
    with time_machine.travel(at_eight(date(2026, 2, 10)), tick=False):
        suggestion = loop.to(State.ASSIGNED)
    loop.lead_unit_user.is_active = False
    loop.lead_unit_user.save()
    UserFactory(role="unit", username="unit_lead2", handling_unit=loop.lead_unit)
    run_daily(date(2026, 4, 10), date(2026, 4, 10))
    assert Notification.objects.filter(recipient__username="unit_lead2", kind__startswith="suggestion_due").count() == 1
    assert not Notification.objects.filter(recipient=loop.lead_unit_user, kind__startswith="suggestion_due").exists()
    assert Suggestion.objects.get(pk=suggestion.pk).state == State.ASSIGNED
