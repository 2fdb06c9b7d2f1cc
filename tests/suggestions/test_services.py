from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from core.exceptions import Conflict, DomainError, TransitionNotAllowed
from divisions.models import Congress
from notifications.models import Notification
from suggestions import services
from suggestions.models import (
    Assignment,
    Cosigner,
    Kind,
    Rating,
    Reply,
    State,
    Step,
    Suggestion,
    TimelineEntry,
    add_months,
)
from tests.factories import CongressSessionFactory, DeputyFactory, UserFactory
from tests.suggestions.conftest import reply_data


def steps_of(suggestion):
    return list(suggestion.timeline.values_list("step", flat=True))


def test_the_whole_loop_is_on_the_timeline_with_who_and_when(loop):
    suggestion = loop.to(State.CLOSED)
    assert steps_of(suggestion) == [
        Step.CREATE, Step.INVITE, Step.SUBMIT, Step.ACCEPT, Step.ASSIGN, Step.CONTACT, Step.REPLY,
        Step.EVALUATE, Step.CLOSE,
    ]
    entries = list(suggestion.timeline.select_related("actor"))
    assert [e.actor for e in entries[:3]] == [loop.lead] * 3
    assert entries[3].actor == loop.staff and entries[3].from_state == State.SUBMITTED
    assert entries[3].to_state == State.ACCEPTED
    assert all(e.at for e in entries)
    assert suggestion.closed_at is not None


def test_a_cosigner_confirms_from_their_own_account_and_the_lead_hears_of_it(loop):
    suggestion = loop.draft()
    assert Notification.objects.filter(recipient=loop.cosigner, title__contains="邀请您附议").count() == 1
    with pytest.raises(PermissionDenied):
        services.confirm_cosign(suggestion, by=loop.other_deputy)
    services.confirm_cosign(suggestion, by=loop.cosigner)
    assert Cosigner.objects.get(suggestion=suggestion).confirmed_at is not None
    assert Notification.objects.filter(recipient=loop.lead, title__contains="已确认附议").exists()


def test_once_a_cosigner_confirms_the_buttons_go_and_the_timeline_names_them_once(loop, client):
    suggestion = loop.draft()
    assert services.can_take(suggestion, Step.COSIGN, loop.cosigner)
    services.confirm_cosign(suggestion, by=loop.cosigner)
    assert not services.can_take(suggestion, Step.COSIGN, loop.cosigner)
    assert not services.can_take(suggestion, Step.DECLINE, loop.cosigner)
    with pytest.raises(TransitionNotAllowed, match="已确认附议"):
        services.confirm_cosign(suggestion, by=loop.cosigner)
    client.force_login(loop.cosigner)
    html = client.get(f"/suggestions/{suggestion.pk}/").content.decode()
    timeline = html[html.index('id="timeline"'):]
    entries = [e for e in timeline[:timeline.index("</ol>")].split("<li>") if "确认附议" in e]
    assert len(entries) == 1 and entries[0].count(loop.cosigner.display_name) == 1
    assert f"/suggestions/{suggestion.pk}/cosign/" not in html and f"/suggestions/{suggestion.pk}/decline/" not in html


def test_a_motion_needs_ten_deputies_jointly(loop, settings):
    suggestion = loop.draft(kind=Kind.MOTION)
    with pytest.raises(DomainError, match="10名以上代表"):
        loop.submit(suggestion)
    others = []
    for i in range(8):
        user = UserFactory(role="deputy", username=f"signer{i}")
        DeputyFactory(user=user, township=loop.township)
        others.append(user)
    services.invite_cosigners(suggestion, by=loop.lead, deputies=[u.deputy for u in others])
    for user in [loop.cosigner, *others]:
        services.confirm_cosign(suggestion, by=user)
    assert loop.submit(suggestion).state == State.SUBMITTED
    Congress.objects.filter(pk=suggestion.congress_id).update(motion_min_deputies=12)
    with pytest.raises(DomainError, match="12名以上代表"):
        loop.submit(loop.draft(kind=Kind.MOTION))


@time_machine.travel(date(2026, 1, 9), tick=False)
def test_suggestions_raised_during_a_session_are_numbered_by_it(loop):
    # The township congress meets at the same time; it does not number a county deputy's suggestions.
    CongressSessionFactory(level="township", township=loop.township, start_date=date(2026, 1, 9), end_date=date(2026, 1, 9))
    session = CongressSessionFactory(start_date=date(2026, 1, 8), end_date=date(2026, 1, 11))
    first, second = loop.submit(loop.draft()), loop.submit(loop.draft())
    assert (first.session, first.number, first.code) == (session, 1, "第1号")
    assert (second.session, second.number, second.year) == (session, 2, 2026)
    assert session.name in first.timeline.get(step=Step.SUBMIT).note


def test_recess_suggestions_have_their_own_yearly_sequence(loop):
    with time_machine.travel(date(2025, 12, 30), tick=False):
        last_year = loop.submit(loop.draft())
    with time_machine.travel(date(2026, 3, 2), tick=False):
        CongressSessionFactory(start_date=date(2026, 1, 8), end_date=date(2026, 1, 11))
        first, second = loop.submit(loop.draft()), loop.submit(loop.draft())
    assert (last_year.year, last_year.number) == (2025, 1)
    assert (first.session, first.year, first.number, first.code) == (None, 2026, 1, "2026年闭会第1号")
    assert second.number == 2


def test_merging_hands_the_duplicate_to_the_other_and_keeps_both(loop):
    duplicate = loop.to(State.MERGED)
    target = duplicate.merged_into
    assert duplicate.state == State.MERGED and Suggestion.objects.count() == 2
    assert Step.MERGE in steps_of(target)
    with pytest.raises(DomainError):
        services.merge_suggestion(target, by=loop.staff, into=target)
    with pytest.raises(TransitionNotAllowed):
        services.accept_suggestion(duplicate, by=loop.staff)


def test_merged_lead_deputy_becomes_a_cosigner_of_the_target(loop):
    other_user = loop.other_deputy
    theirs = services.submit_suggestion(
        services.create_draft(by=other_user, title="中心路修路", content="同上", category=loop.category),
        by=other_user,
    )
    mine = loop.submit(loop.draft())
    services.merge_suggestion(theirs, by=loop.staff, into=mine)
    assert mine.cosigners.filter(deputy=other_user.deputy, confirmed_at__isnull=False).exists()
    assert Suggestion.objects.visible_to(other_user).filter(pk=mine.pk).exists()


def test_assignment_sets_units_deadlines_and_tells_everyone(loop):
    with time_machine.travel(date(2026, 1, 31), tick=False):
        suggestion = loop.to(State.ASSIGNED)
    assert suggestion.deadline == date(2026, 4, 30)
    assert suggestion.max_deadline == date(2026, 7, 31)
    assert set(Assignment.objects.filter(suggestion=suggestion).values_list("unit__name", "role")) == {
        ("县交通运输局", "lead"), ("县教育局", "co"),
    }
    for user, text in [(loop.lead_unit_user, "主办"), (loop.co_unit_user, "协办"), (loop.lead, "已交办")]:
        assert Notification.objects.filter(recipient=user, title__contains=text).count() == 1


def test_lead_unit_cannot_also_be_a_co_unit(loop):
    suggestion = loop.to(State.ACCEPTED)
    with pytest.raises(DomainError, match="主办单位不能同时作为协办单位"):
        services.assign_suggestion(suggestion, by=loop.staff, lead_unit=loop.lead_unit, co_units=[loop.lead_unit])
    assert Suggestion.objects.get(pk=suggestion.pk).state == State.ACCEPTED


def test_co_unit_sends_input_to_the_lead_unit_only(loop):
    suggestion = loop.to(State.ASSIGNED)
    with pytest.raises(PermissionDenied):
        services.send_co_unit_input(suggestion, by=loop.lead_unit_user, text="x")
    services.send_co_unit_input(suggestion, by=loop.co_unit_user, text="学校门口路段由我局配合")
    assert Assignment.objects.get(suggestion=suggestion, unit=loop.co_unit).input == "学校门口路段由我局配合"
    assert Notification.objects.filter(recipient=loop.lead_unit_user, title__contains="协办意见").exists()


def test_reply_needs_the_pre_reply_contact_a_pdf_and_the_lead_unit(loop, settings):
    suggestion = loop.to(State.ASSIGNED)
    with pytest.raises(DomainError, match="办前沟通"):
        services.reply_suggestion(suggestion, by=loop.lead_unit_user, **reply_data())
    with pytest.raises(PermissionDenied):
        services.reply_suggestion(suggestion, by=loop.co_unit_user, **reply_data())
    services.record_contact(suggestion, by=loop.lead_unit_user, contacted_on=date.today(), method="meeting")
    with pytest.raises(DomainError, match="PDF"):
        services.reply_suggestion(suggestion, by=loop.lead_unit_user, **reply_data(attachment=None))
    suggestion = services.reply_suggestion(suggestion, by=loop.lead_unit_user, **reply_data())
    reply = Reply.objects.get(suggestion=suggestion)
    assert (suggestion.state, suggestion.reply_class, reply.in_time, reply.round) == (State.REPLIED, "A", True, 1)
    assert reply.attachment.name.endswith(".pdf")
    assert Notification.objects.filter(recipient=loop.lead, title__contains="满意度测评").exists()


def test_only_the_lead_deputy_evaluates(loop):
    suggestion = loop.to(State.REPLIED)
    for user in (loop.cosigner, loop.other_deputy):
        with pytest.raises(PermissionDenied):
            services.evaluate_suggestion(suggestion, by=user, rating=Rating.SATISFIED)
    for user in (loop.staff, loop.lead_unit_user):
        with pytest.raises(PermissionDenied):
            services.evaluate_suggestion(suggestion, by=user, rating=Rating.SATISFIED)
    assert services.evaluate_suggestion(suggestion, by=loop.lead, rating=Rating.BASIC).state == State.EVALUATED


def test_unsatisfied_needs_a_reason_and_reopens_with_one_month(loop):
    suggestion = loop.to(State.REPLIED)
    with pytest.raises(DomainError, match="理由"):
        services.evaluate_suggestion(suggestion, by=loop.lead, rating=Rating.UNSATISFIED, comment=" ")
    with time_machine.travel(date(2026, 3, 31), tick=False):
        suggestion = loop.evaluate(suggestion, Rating.UNSATISFIED)
    assert (suggestion.state, suggestion.round, suggestion.deadline) == (State.REHANDLING, 2, date(2026, 4, 30))
    assert Notification.objects.filter(recipient=loop.co_unit_user, title__contains="重新办理").exists()


def test_second_unsatisfied_goes_to_a_hearing_which_closes_it(loop):
    suggestion = loop.to(State.HEARING)
    assert suggestion.replies.count() == 2 and suggestion.evaluations.count() == 2
    with pytest.raises(TransitionNotAllowed):
        services.close_suggestion(suggestion, by=loop.staff)
    suggestion = services.record_hearing(
        suggestion, by=loop.staff, kind="review", held_on=date.today(), conclusion="评议认为办理基本到位"
    )
    assert suggestion.state == State.CLOSED
    assert suggestion.hearing.get_kind_display() == "民主评议"


def test_an_impossible_step_is_refused_with_a_clear_message(loop):
    suggestion = loop.to(State.SUBMITTED)
    with pytest.raises(TransitionNotAllowed, match="这件建议目前“待审查”，不能“交办”"):
        services.assign_suggestion(suggestion, by=loop.staff, lead_unit=loop.lead_unit)
    with pytest.raises(TransitionNotAllowed):
        services.submit_suggestion(suggestion, by=loop.lead)
    assert TimelineEntry.objects.filter(suggestion=suggestion).count() == 3


def test_extensions_are_requested_with_a_reason_and_never_beyond_six_months(loop):
    with time_machine.travel(date(2026, 2, 10), tick=False):
        suggestion = loop.to(State.ASSIGNED)
        with pytest.raises(DomainError, match="2026年8月10日"):
            services.request_extension(suggestion, by=loop.lead_unit_user, until=date(2026, 8, 11), reason="需要立项")
        with pytest.raises(DomainError, match="晚于现在的答复期限"):
            services.request_extension(suggestion, by=loop.lead_unit_user, until=date(2026, 5, 1), reason="需要立项")
        services.request_extension(suggestion, by=loop.lead_unit_user, until=date(2026, 8, 10), reason="需要立项")
        with pytest.raises(Conflict):
            services.request_extension(suggestion, by=loop.lead_unit_user, until=date(2026, 7, 1), reason="再延")
        with pytest.raises(PermissionDenied):
            services.grant_extension(suggestion, by=loop.lead_unit_user)
        suggestion = services.grant_extension(suggestion, by=loop.staff, note="同意")
    assert suggestion.deadline == date(2026, 8, 10)
    assert Notification.objects.filter(recipient=loop.lead_unit_user, title__contains="延期申请已同意").exists()


def test_refused_extension_keeps_the_deadline_and_needs_a_reason(loop):
    suggestion = loop.to(State.ASSIGNED)
    deadline = suggestion.deadline
    services.request_extension(suggestion, by=loop.lead_unit_user, until=add_months(deadline, 1), reason="需要时间")
    with pytest.raises(DomainError):
        services.refuse_extension(suggestion, by=loop.staff, note="")
    suggestion = services.refuse_extension(suggestion, by=loop.staff, note="按期答复")
    assert suggestion.deadline == deadline
    with pytest.raises(TransitionNotAllowed, match="没有待审批的延期申请"):
        services.grant_extension(suggestion, by=loop.staff)


def test_rehandling_cannot_be_extended(loop):
    suggestion = loop.to(State.REHANDLING)
    with pytest.raises(TransitionNotAllowed):
        services.request_extension(suggestion, by=loop.lead_unit_user, until=add_months(suggestion.deadline, 1), reason="x")


def test_a_late_reply_counts_as_late(loop):
    with time_machine.travel(date(2026, 2, 10), tick=False):
        suggestion = loop.to(State.ASSIGNED)
    with time_machine.travel(date(2026, 5, 11), tick=False):
        suggestion = loop.reply(suggestion)
    assert suggestion.replied_late is True
    assert Reply.objects.get(suggestion=suggestion).in_time is False


def test_key_supervision_names_the_leader(loop):
    suggestion = loop.to(State.ASSIGNED)
    with pytest.raises(DomainError):
        services.mark_key_supervision(suggestion, by=loop.staff, supervisor="")
    suggestion = services.mark_key_supervision(suggestion, by=loop.staff, supervisor="县人大常委会副主任 王明")
    assert suggestion.is_key and suggestion.supervisor == "县人大常委会副主任 王明"
    services.post_progress(suggestion, by=loop.lead_unit_user, text="已完成勘测设计")
    assert suggestion.progress_reports.get().text == "已完成勘测设计"


def test_publishing_a_reply_is_staff_only_and_once(loop):
    suggestion = loop.to(State.EVALUATED)
    with pytest.raises(PermissionDenied):
        services.publish_reply(suggestion, by=loop.lead_unit_user)
    services.publish_reply(suggestion, by=loop.staff)
    assert Reply.objects.get(suggestion=suggestion).is_public
    with pytest.raises(Conflict):
        services.publish_reply(suggestion, by=loop.staff)
    services.unpublish_reply(suggestion, by=loop.staff)
    assert not Reply.objects.get(suggestion=suggestion).is_public


def test_withdrawal_keeps_the_record(loop):
    suggestion = loop.to(State.WITHDRAWN)
    assert Suggestion.objects.filter(pk=suggestion.pk, state=State.WITHDRAWN).exists()
    with pytest.raises(TransitionNotAllowed):
        loop.submit(suggestion)


def test_township_staff_act_only_on_their_township(loop):
    suggestion = loop.to(State.SUBMITTED)
    with pytest.raises(PermissionDenied, match="本乡镇"):
        services.accept_suggestion(suggestion, by=loop.township_staff)


def test_draft_needs_a_deputy_record(loop):
    user = UserFactory(role="deputy", username="nodeputy")
    with pytest.raises(PermissionDenied):
        services.create_draft(by=user, title="t", content="c", category=loop.category)


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)
    assert add_months(date(2026, 8, 15), 6) == date(2027, 2, 15)
