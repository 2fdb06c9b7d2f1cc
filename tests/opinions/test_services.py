from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from core.exceptions import DomainError, TransitionNotAllowed
from notifications.models import Notification
from opinions import services
from opinions.models import (
    TRACKING_ALPHABET,
    TRANSITIONS,
    Opinion,
    State,
    Step,
    TimelineEntry,
    new_tracking_code,
    normalize_tracking_code,
)
from stations.models import Holiday, Reception
from tests.factories import ReceptionFactory, VisitFactory

pytestmark = pytest.mark.calendar


def test_tracking_codes_are_long_random_and_free_of_look_alikes(settings):
    codes = {new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert len(code) == settings.TRACKING_CODE_LENGTH >= 10
        assert not set(code) & set("01OIL")
        assert set(code) <= set(TRACKING_ALPHABET)


def test_a_typed_code_is_normalized():
    assert normalize_tracking_code(" 7kq2-mxp9 ta ") == "7KQ2MXP9TA"
    assert normalize_tracking_code("7KQ2MXP9T0") == ""  # 0 is never in a code
    assert normalize_tracking_code("SHORT") == ""


def test_submission_starts_the_adopt_deadline_and_tells_the_station_deputies(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        opinion = services.submit_opinion(
            station=world.station, category=world.category, content="村口路灯坏了很久，晚上很黑，老人出门不方便。",
            name="王大妈", phone="13912345678", consent=True,
        )
    assert opinion.state == State.SUBMITTED and opinion.tracking_code
    assert opinion.due_at > timezone.now() + timedelta(days=3)
    assert opinion.consent_at is not None
    recipients = set(Notification.objects.filter(kind="opinion_new").values_list("recipient__username", flat=True))
    assert recipients == {"deputy1", "deputy2"}
    assert [e.step for e in opinion.timeline.all()] == [Step.SUBMIT]


def test_name_or_phone_without_consent_is_refused_and_nothing_saved(world):
    with pytest.raises(DomainError, match="同意使用个人信息"):
        services.submit_opinion(
            station=world.station, category=world.category, content="村口路灯坏了很久，晚上很黑。", phone="13912345678",
        )
    assert not Opinion.objects.exists()


def test_deadlines_count_working_days_and_skip_listed_holidays(db):
    # 2026-09-30 is a Wednesday; 10-01..10-07 are the National Day holidays, 10-10 a 调休 Saturday.
    for day in range(1, 8):
        Holiday.objects.create(date=date(2026, 10, day), name="国庆节")
    Holiday.objects.create(date=date(2026, 10, 10), name="调休上班", kind=Holiday.Kind.WORKDAY)
    # Thursday 8th, Friday 9th, then the 调休 Saturday 10th.
    assert services.add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)
    deadline = services.deadline_after(timezone.make_aware(datetime(2026, 11, 20, 10, 0)), 3)  # a Friday
    assert timezone.localtime(deadline) == timezone.make_aware(datetime(2026, 11, 26, 0, 0))


def test_the_full_loop_adopt_refer_accept_reply_rate(world):
    opinion = world.opinion()
    services.adopt(opinion, by=world.deputy_user)
    opinion.refresh_from_db()
    assert opinion.state == State.ADOPTED and opinion.adopted_by == world.deputy
    services.refer(opinion, unit=world.unit, by=world.deputy_user, note="请核实路面情况")
    assert Notification.objects.filter(recipient=world.unit_user, kind="opinion_referred").exists()
    services.accept_referral(opinion, by=world.unit_user)
    services.reply_to(opinion, by=world.unit_user, reply="已安排施工队，本月底前修补完毕。")
    opinion.refresh_from_db()
    assert opinion.state == State.CLOSED and opinion.closed_at and opinion.reply.startswith("已安排")
    assert Notification.objects.filter(recipient=world.deputy_user, title__contains="已答复").exists()
    services.rate(opinion, rating="satisfied", comment="修得很快")
    with pytest.raises(TransitionNotAllowed, match="已经评价过"):
        services.rate(opinion, rating="unsatisfied")
    opinion.refresh_from_db()
    assert opinion.rating == "satisfied"
    steps = list(opinion.timeline.values_list("step", "actor_name"))
    assert [s for s, _ in steps] == ["submit", "adopt", "refer", "accept", "reply", "rate"]
    assert ("adopt", "张三丽代表") in steps


def test_a_deputy_of_another_station_cannot_adopt(world):
    opinion = world.opinion()
    with pytest.raises(Http404):
        services.adopt(opinion, by=world.outsider_user)
    assert Opinion.objects.get(pk=opinion.pk).state == State.SUBMITTED


def test_only_the_adopting_deputy_answers(world):
    opinion = world.opinion()
    services.adopt(opinion, by=world.deputy_user)
    with pytest.raises(PermissionDenied):
        services.answer(opinion, by=world.second_deputy_user, reply="我来答复")
    services.answer(opinion, by=world.deputy_user, reply="已与村委会联系，下周更换路灯。")
    assert Opinion.objects.get(pk=opinion.pk).state == State.CLOSED


def test_impossible_transitions_are_refused_with_a_clear_message(world):
    opinion = world.opinion()
    with pytest.raises(TransitionNotAllowed, match="当前状态为“已提交”"):
        services.answer(opinion, by=world.staff, reply="答复")
    with pytest.raises(TransitionNotAllowed, match="办结后才能评价"):
        services.rate(opinion, rating="satisfied")
    services.adopt(opinion, by=world.deputy_user)
    with pytest.raises(TransitionNotAllowed):
        services.adopt(opinion, by=world.second_deputy_user)


def test_unit_returns_with_a_reason_back_to_the_adopting_deputy(world):
    opinion = world.opinion()
    services.adopt(opinion, by=world.deputy_user)
    services.refer(opinion, unit=world.other_unit, by=world.deputy_user)
    with pytest.raises(Http404):  # a unit it was never referred to does not even see it
        services.return_referral(opinion, by=world.unit_user, reason="不归我们管")
    with pytest.raises(DomainError, match="退回理由"):
        services.return_referral(opinion, by=world.other_unit_user, reason="  ")
    services.return_referral(opinion, by=world.other_unit_user, reason="道路养护属交通运输局职责")
    opinion.refresh_from_db()
    assert opinion.state == State.ADOPTED and opinion.unit is None
    assert Notification.objects.filter(recipient=world.deputy_user, body__contains="交通运输局职责").exists()


def test_staff_refer_one_not_yet_adopted_and_a_return_puts_it_back_in_the_queue(world):
    opinion = world.opinion()
    services.refer(opinion, unit=world.unit, by=world.staff)
    services.return_referral(opinion, by=world.unit_user, reason="请先由代表核实")
    assert Opinion.objects.get(pk=opinion.pk).state == State.SUBMITTED


def test_a_deputy_must_adopt_before_referring(world):
    opinion = world.opinion()
    with pytest.raises(TransitionNotAllowed, match="请先接单"):
        services.refer(opinion, unit=world.unit, by=world.deputy_user)


def test_township_staff_cannot_act_outside_their_township(world):
    opinion = world.opinion()
    with pytest.raises(Http404):
        services.refer(opinion, unit=world.unit, by=world.township_staff)


def test_bulk_referral_refers_what_it_may_and_reports_the_rest(world):
    first, second, closed = world.opinion(), world.opinion(), world.opinion()
    services.adopt(closed, by=world.deputy_user)
    services.answer(closed, by=world.deputy_user, reply="已答复")
    referred, refused = services.bulk_refer([first, second, closed], unit=world.unit, by=world.staff)
    assert len(referred) == 2 and [o.pk for o, _ in refused] == [closed.pk]
    assert "已办结" in refused[0][1]


def test_mark_converted_links_the_suggestion_on_the_timeline(world):
    class Suggestion:
        pk = 42

        def __str__(self):
            return "关于修缮村道的建议"

        def get_absolute_url(self):
            return "/suggestions/42/"

    opinion = world.opinion()
    services.adopt(opinion, by=world.deputy_user)
    services.mark_converted(opinion, suggestion=Suggestion(), by=world.deputy_user)
    opinion.refresh_from_db()
    assert opinion.state == State.CONVERTED and opinion.closed_at
    entry = opinion.timeline.get(step=Step.CONVERT)
    assert entry.link == "/suggestions/42/" and "修缮村道" in entry.note
    with pytest.raises(TransitionNotAllowed):
        services.rate(opinion, rating="satisfied")


def test_overdue_opinions_are_flagged_and_each_notice_sent_once(world):
    late = world.opinion(due_at=timezone.now() - timedelta(hours=1))
    adopted = world.opinion()
    services.adopt(adopted, by=world.deputy_user)
    services.refer(adopted, unit=world.unit, by=world.deputy_user)
    Opinion.objects.filter(pk=adopted.pk).update(due_at=timezone.now() - timedelta(minutes=5))
    world.opinion()  # not yet due
    assert services.flag_overdue() == 2
    assert services.flag_overdue() == 0  # the second run flags nothing twice
    assert TimelineEntry.objects.filter(step=Step.OVERDUE).count() == 2
    overdue = Notification.objects.filter(kind__in=["opinion_overdue", "opinion_overdue_summary"])
    assert set(overdue.filter(title__contains="已逾期").values_list("recipient__username", flat=True)) == {
        "deputy1", "deputy2", "unit1",
    }
    assert overdue.filter(recipient=world.staff, title__contains="2条").count() == 1
    assert not overdue.filter(recipient=world.township_staff).exists()  # another township
    assert Opinion.objects.get(pk=late.pk).overdue_at is not None
    # A new deadline (adoption) can be flagged again later, once.
    services.adopt(late, by=world.deputy_user)
    Opinion.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    assert services.flag_overdue() == 1


def test_retention_erases_name_and_number_and_keeps_the_rest(world, settings):
    settings.OPINION_RETENTION_DAYS = 30
    old = world.opinion()
    services.adopt(old, by=world.deputy_user)
    services.answer(old, by=world.deputy_user, reply="已处理")
    Opinion.objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=31))
    recent = world.opinion()
    services.adopt(recent, by=world.deputy_user)
    services.answer(recent, by=world.deputy_user, reply="已处理")
    open_one = world.opinion()
    assert services.erase_expired_personal_data() == 1
    assert services.erase_expired_personal_data() == 0
    old.refresh_from_db()
    assert (old.name, old.phone) == ("", "") and old.erased_at and old.content and old.reply
    assert Opinion.objects.get(pk=recent.pk).phone == "13912345678"
    assert Opinion.objects.get(pk=open_one.pk).name == "王大妈"
    assert old.timeline.filter(step=Step.ERASE).exists()


def test_a_reception_marked_follow_up_enters_the_flow_without_copying(world):
    from stations.signals import reception_needs_follow_up

    visit = VisitFactory(deputy=world.deputy, station=world.station)
    reception = ReceptionFactory(visit=visit, handling=Reception.Handling.FOLLOW_UP, category=world.category)
    reception_needs_follow_up.send(sender=Reception, reception=reception)
    reception_needs_follow_up.send(sender=Reception, reception=reception)  # twice: one opinion
    opinion = Opinion.objects.get()
    assert opinion.reception == reception and opinion.source == "reception"
    assert opinion.content == "" and opinion.name == "" and opinion.phone == ""
    assert opinion.text == reception.content and opinion.person_phone == "13812341234"
    # The deputy who received the person belongs to the station: they adopted it at once.
    assert opinion.state == State.ADOPTED and opinion.adopted_by == world.deputy
    assert opinion.phone_for(world.deputy_user) == "13812341234"
    assert opinion.phone_for(world.second_deputy_user) == "138****1234"


def test_retention_erases_the_reception_person_too(world, settings):
    settings.OPINION_RETENTION_DAYS = 1
    visit = VisitFactory(deputy=world.deputy, station=world.station)
    reception = ReceptionFactory(visit=visit, handling=Reception.Handling.FOLLOW_UP, category=world.category)
    opinion = services.open_from_reception(reception)
    services.answer(opinion, by=world.deputy_user, reply="已当面解释政策")
    Opinion.objects.filter(pk=opinion.pk).update(closed_at=timezone.now() - timedelta(days=2))
    services.erase_expired_personal_data()
    reception.refresh_from_db()
    assert reception.visitor_phone == "" and reception.visitor_name == "（已清除）"


def test_phones_are_masked_except_for_staff_and_the_adopting_deputy(world):
    opinion = world.opinion()
    assert opinion.phone_for(world.deputy_user) == "139****5678"  # not adopted yet
    assert opinion.phone_for(world.staff) == "13912345678"
    services.adopt(opinion, by=world.deputy_user)
    opinion.refresh_from_db()
    assert opinion.phone_for(world.deputy_user) == "13912345678"
    assert opinion.phone_for(world.second_deputy_user) == "139****5678"
    assert opinion.phone_for(world.unit_user) == "139****5678"


# --- The state machine: whatever sequence of steps is tried, only the table's moves happen ----

ACTIONS = ["adopt", "answer", "refer", "accept", "return", "reply", "rate", "convert"]


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=8))
def test_only_listed_transitions_happen(world, actions):
    class Suggestion:
        pk = 1

    opinion = world.opinion()
    calls = {
        "adopt": lambda: services.adopt(opinion, by=world.deputy_user),
        "answer": lambda: services.answer(opinion, by=world.deputy_user, reply="答复内容"),
        "refer": lambda: services.refer(opinion, unit=world.unit, by=world.deputy_user),
        "accept": lambda: services.accept_referral(opinion, by=world.unit_user),
        "return": lambda: services.return_referral(opinion, by=world.unit_user, reason="不属于本单位"),
        "reply": lambda: services.reply_to(opinion, by=world.unit_user, reply="已办理"),
        "rate": lambda: services.rate(opinion, rating="basic"),
        "convert": lambda: services.mark_converted(opinion, suggestion=Suggestion(), by=world.deputy_user),
    }
    steps = {"return": Step.RETURN, "reply": Step.REPLY, "convert": Step.CONVERT}
    for name in actions:
        before = Opinion.objects.get(pk=opinion.pk).state
        try:
            calls[name]()
        except (DomainError, PermissionDenied, Http404):
            assert Opinion.objects.get(pk=opinion.pk).state == before
            continue
        after = Opinion.objects.get(pk=opinion.pk).state
        step = steps.get(name, Step(name))
        allowed_from, target = TRANSITIONS[step]
        assert before in allowed_from
        assert after == (target or before) or (step == Step.RETURN and after == State.SUBMITTED)
    entries = list(TimelineEntry.objects.filter(opinion=opinion).order_by("id"))
    for previous, entry in zip(entries, entries[1:]):
        if entry.from_state:
            assert entry.from_state == previous.to_state or previous.step in (Step.RATE, Step.OVERDUE)


def test_a_visit_log_with_a_follow_up_reception_opens_an_opinion(world, django_capture_on_commit_callbacks):
    from stations import services as station_services

    with django_capture_on_commit_callbacks(execute=True):
        station_services.record_visit(
            by=world.deputy_user, station=world.station, date=timezone.localdate(),
            start_time=datetime(2026, 1, 1, 9).time(), end_time=datetime(2026, 1, 1, 11).time(),
            receptions=[
                {"visitor_name": "赵大爷", "visitor_phone": "13700001111", "category": world.category,
                 "content": "村里自来水压力太小，高处人家用不上水。", "handling": Reception.Handling.FOLLOW_UP},
                {"visitor_name": "钱阿姨", "category": world.category,
                 "content": "咨询医保报销政策，已当场解答。", "handling": Reception.Handling.ANSWERED},
            ],
        )
    opinion = Opinion.objects.get()
    assert opinion.reception.visitor_name == "赵大爷" and opinion.state == State.ADOPTED


def test_the_daily_run_opens_follow_up_receptions_that_were_missed(world):
    visit = VisitFactory(deputy=world.outsider, station=world.station)  # not a member: not adopted
    ReceptionFactory(visit=visit, handling=Reception.Handling.FOLLOW_UP, category=world.category)
    ReceptionFactory(visit=visit, handling=Reception.Handling.ANSWERED, category=world.category)
    assert services.open_missing_from_receptions() == 1
    assert services.open_missing_from_receptions() == 0
    assert Opinion.objects.get().state == State.SUBMITTED


def test_the_commands_run_each_task_once(world, settings):
    from io import StringIO

    from django.core.management import call_command

    world.opinion(due_at=timezone.now() - timedelta(hours=1))
    out = StringIO()
    call_command("opinions_announce", stdout=out)
    call_command("opinions_announce", stdout=out)
    assert "发出新意见通知 2 条" in out.getvalue() and "发出新意见通知 0 条" in out.getvalue()
    call_command("opinions_overdue", stdout=out)
    assert "新标记逾期意见 1 条" in out.getvalue()
    call_command("opinions_retention", stdout=out)
    assert "已清除 0 条" in out.getvalue()


def test_beat_runs_the_daily_tasks_by_name():
    from celery import current_app
    from django.conf import settings as django_settings

    import opinions.tasks  # noqa: F401  (registers the tasks)

    schedule = django_settings.CELERY_BEAT_SCHEDULE
    assert schedule["opinions-overdue-daily"]["task"] == "opinions.tasks.flag_overdue_opinions"
    assert schedule["opinions-retention-daily"]["task"] == "opinions.tasks.erase_expired_personal_data"
    for name in ("opinions-overdue-daily", "opinions-retention-daily"):
        task = current_app.tasks[schedule[name]["task"]]
        assert task.acks_late
