"""What changes stations and everything around them. One function per state change: guard,
permission, `transaction.atomic()`, audit (registered models) and notifications.

The monthly roster itself is built by `stations.scheduler.schedule_month`."""

from datetime import datetime, time, timedelta
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from core.exceptions import Conflict, DomainError, TransitionNotAllowed
from divisions.scope import covers, scope_label, scope_of
from deputies.models import Deputy
from notifications.services import notify
from stations import notices, permissions
from stations.models import (
    Activity,
    ActivitySignup,
    DutyAssignment,
    DutyRule,
    Holiday,
    MaterialRead,
    Reception,
    Station,
    StationMembership,
    SwapRequest,
    Unavailability,
    Visit,
    VisitPhoto,
)
from stations.signals import reception_needs_follow_up


def deputy_of(user):
    """The Deputy record of a signed-in deputy, or a DomainError explaining what is missing."""
    deputy = getattr(user, "deputy", None) if user is not None and user.is_authenticated else None
    if deputy is None:
        raise DomainError(_("您的账号没有关联代表信息，请联系人大工作人员。"))
    return deputy


def reset_feed_token(deputy, *, by):
    """A new random token for the deputy's duty calendar feed; the old feed URL answers 404 from
    now on. The deputy resets their own; staff reset it for deputies they manage (logged)."""
    from audit.models import AuditEntry
    from audit.registry import log
    from deputies.models import new_feed_token
    from deputies.services import check_can_manage

    if deputy.user_id is None or deputy.user_id != by.pk:
        check_can_manage(by, deputy.township)
    deputy.feed_token = new_feed_token()
    deputy.save(update_fields=["feed_token", "updated_at"])
    log(AuditEntry.Action.UPDATE, deputy, actor=by, changes={"feed_token": "reset"})
    return deputy


def _check_station_scope(by, station):
    """Staff within their region, or the station's own manager."""
    if not Station.objects.visible_to(by).filter(pk=station.pk).exists():
        raise PermissionDenied(_("您只能管理%(scope)s或本人负责的站点。") % {"scope": scope_label(by)})


def _save(instance, fields, *, exclude=()):
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean(exclude=list(exclude))
    instance.save()
    return instance


# --- Stations and members -------------------------------------------------------------------

# What a station manager may change on their own station (staff change everything).
MANAGER_EDITABLE_FIELDS = {"name", "address", "opening_hours", "description", "photo"}


@transaction.atomic
def create_station(*, by, **fields):
    """Open a station. Township staff open stations only in their township."""
    permissions.create_stations.check(by)
    if not covers(by, fields.get("township")):
        raise PermissionDenied(_("您只能在%(scope)s设立站点。") % {"scope": scope_label(by)})
    return _save(Station(), fields, exclude=["code"])


@transaction.atomic
def update_station(station, *, by, **fields):
    """Change a station's details; a station manager may change only its public details."""
    permissions.edit_stations.check(by)
    _check_station_scope(by, station)
    if by.role == Role.STATION_MANAGER and set(fields) - MANAGER_EDITABLE_FIELDS:
        raise PermissionDenied(_("站点管理员只能修改站点名称、地址、开放时间、简介和照片。"))
    station = _save(station, fields, exclude=["code"])
    _check_station_scope(by, station)
    return station


def addable_deputies(station, *, by):
    """The deputies `by` may put on `station`: active ones they may see (`Deputy.visible_to`: a
    township's staff, their township's deputies) and not on it yet. The members page offers
    these; `add_members` refuses anyone else."""
    return Deputy.objects.visible_to(by).active().exclude(memberships__station=station)


@transaction.atomic
def add_members(station, *, deputies, by, is_leader=False):
    """Assign deputies to a station (编入家站点); deputies already there are left as they are.
    Staff add only deputies they may see (a township's staff: their own township's)."""
    permissions.edit_stations.check(by)
    _check_station_scope(by, station)
    seen = set(Deputy.objects.visible_to(by).filter(pk__in=[d.pk for d in deputies]).values_list("pk", flat=True))
    unseen = [d.name for d in deputies if d.pk not in seen]
    if unseen:
        raise PermissionDenied(_("您只能把%(scope)s的代表编入站点：%(names)s 不在其中。")
                               % {"scope": scope_label(by), "names": "、".join(unseen)})
    inactive = [d.name for d in deputies if d.status != Deputy.Status.ACTIVE]
    if inactive:
        raise DomainError(_("%(names)s 已终止代表资格，不能编入站点。") % {"names": "、".join(inactive)})
    added = []
    for deputy in deputies:
        membership, created = StationMembership.objects.get_or_create(
            station=station, deputy=deputy, defaults={"is_leader": is_leader}
        )
        if created:
            added.append(membership)
    return added


@transaction.atomic
def remove_member(membership, *, by):
    """Take a deputy off a station. Shifts already scheduled stay (staff swap them by hand)."""
    permissions.edit_stations.check(by)
    _check_station_scope(by, membership.station)
    membership.delete()


# --- Categories, rules, holidays ------------------------------------------------------------


@transaction.atomic
def save_category(category, *, by, **fields):
    permissions.manage_categories.check(by)
    return _save(category, fields)


@transaction.atomic
def save_duty_rule(rule, *, by, **fields):
    """Create or change a duty rule. Making one the county default unsets the previous default."""
    permissions.configure_duty.check(by)
    if fields.get("is_default"):
        DutyRule.objects.filter(is_default=True).exclude(pk=rule.pk).update(is_default=False)
    return _save(rule, fields)


@transaction.atomic
def add_holiday(*, by, date, name, kind=Holiday.Kind.HOLIDAY, region=None):
    """List a local override of the official calendar (core.calendar) for `region` and what is
    under it (None: the whole deployment, for staff who see it all)."""
    permissions.configure_duty.check(by)
    if not covers(by, region):
        raise PermissionDenied(_("只能为本辖区登记节假日。"))
    if Holiday.objects.filter(date=date, region=region).exists():
        raise Conflict(_("%(date)s 已经登记过了。") % {"date": f"{date:%Y年%-m月%-d日}"})
    return _save(Holiday(), {"date": date, "name": name, "kind": kind, "region": region})


@transaction.atomic
def remove_holiday(holiday, *, by):
    """Remove a listed holiday. Shifts already scheduled are not moved back."""
    permissions.configure_duty.check(by)
    if not covers(by, holiday.region):
        raise PermissionDenied(_("只能删除本辖区登记的节假日。"))
    holiday.delete()


@transaction.atomic
def add_unavailability(*, by, deputy, start, end, reason=""):
    """Mark a period a deputy cannot take duty; deputies mark their own, staff anyone's."""
    if by.role == Role.DEPUTY:
        if deputy_of(by).pk != deputy.pk:
            raise PermissionDenied(_("您只能登记本人不能值班的时间。"))
    else:
        permissions.record_unavailability.check(by)
    if end < start:
        raise DomainError(_("结束日期不能早于开始日期。"))
    return _save(Unavailability(), {"deputy": deputy, "start": start, "end": end, "reason": reason})


# --- Duty: swaps, reminders, attendance -----------------------------------------------------


def _duty_url():
    return reverse("stations:my_duty")


def busy_on(dates):
    """{date: ids of the deputies who cannot take a shift that day}: on duty at any station, or
    registered unavailable — what `_check_swap_target` refuses, so that a swap form offers only
    substitutes who can be accepted. Two queries for any number of dates."""
    dates = set(dates)
    busy = {day: set() for day in dates}
    if not dates:
        return busy
    # One range (not a list of the dates): the same statement for any number of swaps.
    for day, deputy_id in DutyAssignment.objects.filter(
        shift__date__range=(min(dates), max(dates))
    ).values_list("shift__date", "deputy_id"):
        if day in busy:
            busy[day].add(deputy_id)
    for deputy_id, start, end in Unavailability.objects.filter(
        start__lte=max(dates), end__gte=min(dates)
    ).values_list("deputy_id", "start", "end"):
        for day in dates:
            if start <= day <= end:
                busy[day].add(deputy_id)
    return busy


def _check_swap_target(assignment, deputy):
    shift = assignment.shift
    if shift.date < timezone.localdate():
        raise TransitionNotAllowed(_("这次值班已经过去，不能再调班。"))
    if deputy.pk == assignment.deputy_id:
        raise DomainError(_("替班代表就是原值班代表，请选择另一位代表。"))
    if deputy.status != Deputy.Status.ACTIVE:
        raise DomainError(_("%(name)s 已终止代表资格，不能值班。") % {"name": deputy.name})
    if not StationMembership.objects.filter(station_id=shift.station_id, deputy=deputy).exists():
        raise DomainError(_("%(name)s 不是本站点的驻站代表。") % {"name": deputy.name})
    if DutyAssignment.objects.filter(shift=shift, deputy=deputy).exists():
        raise Conflict(_("%(name)s 当天已经在本站值班。") % {"name": deputy.name})
    if DutyAssignment.objects.filter(shift__date=shift.date, deputy=deputy).exists():
        raise Conflict(_("%(name)s 当天已在其他站点值班。") % {"name": deputy.name})
    if Unavailability.objects.filter(deputy=deputy, start__lte=shift.date, end__gte=shift.date).exists():
        raise Conflict(_("%(name)s 当天已登记不能值班。") % {"name": deputy.name})


@transaction.atomic
def swap_duty(assignment, *, deputy, by, reason=""):
    """Hand a shift to another member of the station (调班), by hand. The scheduler never
    changes it again; both deputies are told."""
    permissions.manage_duty.check(by)
    assignment = DutyAssignment.objects.select_for_update(of=("self",)).select_related("shift__station").get(pk=assignment.pk)
    _check_station_scope(by, assignment.shift.station)
    _check_swap_target(assignment, deputy)
    previous = assignment.deputy
    assignment.swapped_from = assignment.swapped_from or previous
    assignment.deputy = deputy
    assignment.is_manual = True
    assignment.attendance = DutyAssignment.Attendance.PENDING
    assignment.save(update_fields=["deputy", "swapped_from", "is_manual", "attendance"])
    shift = {"date": assignment.shift.date, "station": assignment.shift.station.name}
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    notify(
        previous.user,
        key=f"duty-swap-out:{assignment.pk}:{previous.pk}:{stamp}",
        kind=notices.DUTY_SWAP_OUT,
        params={**shift, "name": deputy.name, "reason": reason},
        url=_duty_url(),
    )
    notify(
        deputy.user,
        key=f"duty-swap-in:{assignment.pk}:{deputy.pk}:{stamp}",
        kind=notices.DUTY_SWAP_IN,
        params={**shift, "name": previous.name},
        url=_duty_url(),
    )
    return assignment


@transaction.atomic
def request_swap(assignment, *, by, reason, proposed=None):
    """A deputy asks to hand one of their shifts to someone else; the station manager is told."""
    permissions.view_my_duty.check(by)
    deputy = deputy_of(by)
    assignment = DutyAssignment.objects.select_for_update(of=("self",)).select_related("shift__station__manager").get(pk=assignment.pk)
    if assignment.deputy_id != deputy.pk:
        raise PermissionDenied(_("只能为本人的值班申请调班。"))
    if assignment.shift.date < timezone.localdate():
        raise TransitionNotAllowed(_("这次值班已经过去，不能再申请调班。"))
    if SwapRequest.objects.filter(assignment=assignment, status=SwapRequest.Status.PENDING).exists():
        raise Conflict(_("这次值班已有待处理的调班申请。"))
    if proposed is not None:
        _check_swap_target(assignment, proposed)
    request = _save(
        SwapRequest(),
        {"assignment": assignment, "requested_by": deputy, "proposed": proposed, "reason": reason},
    )
    manager = assignment.shift.station.manager
    if manager is not None:
        notify(
            manager,
            key=f"swap-request:{request.pk}",
            kind=notices.DUTY_SWAP_REQUESTED,
            params={"name": deputy.name, "date": assignment.shift.date, "station": assignment.shift.station.name,
                    "reason": reason},
            url=reverse("stations:swap_requests"),
        )
    return request


@transaction.atomic
def decide_swap(request, *, by, approve, deputy=None, note=""):
    """Staff or the station manager approve a swap request (handing the shift to `deputy` or the
    proposed deputy) or turn it down; the requester is told."""
    permissions.manage_duty.check(by)
    request = SwapRequest.objects.select_for_update(of=("self",)).select_related(
        "assignment__shift__station", "requested_by__user"
    ).get(pk=request.pk)
    _check_station_scope(by, request.assignment.shift.station)
    if request.status != SwapRequest.Status.PENDING:
        raise TransitionNotAllowed(_("这条调班申请已经处理过了。"))
    if approve:
        deputy = deputy or request.proposed
        if deputy is None:
            raise DomainError(_("请选择替班代表。"))
        swap_duty(request.assignment, deputy=deputy, by=by, reason=note)
        request.proposed = deputy
        request.status = SwapRequest.Status.APPROVED
    else:
        request.status = SwapRequest.Status.REJECTED
    request.decided_by, request.decided_at, request.decision_note = by, timezone.now(), note
    request.save(update_fields=["proposed", "status", "decided_by", "decided_at", "decision_note"])
    notify(
        request.requested_by.user,
        key=f"swap-decision:{request.pk}",
        kind=notices.DUTY_SWAP_APPROVED if approve else notices.DUTY_SWAP_REJECTED,
        params={"date": request.assignment.shift.date, "station": request.assignment.shift.station.name, "note": note},
        url=_duty_url(),
    )
    return request


@transaction.atomic
def cancel_swap_request(request, *, by):
    deputy = deputy_of(by)
    request = SwapRequest.objects.select_for_update().get(pk=request.pk)
    if request.requested_by_id != deputy.pk:
        raise PermissionDenied(_("只能撤回本人的调班申请。"))
    if request.status != SwapRequest.Status.PENDING:
        raise TransitionNotAllowed(_("这条调班申请已经处理过了。"))
    request.status = SwapRequest.Status.CANCELLED
    request.save(update_fields=["status"])
    return request


def reminder_key(assignment):
    """One reminder per shift and deputy, whoever sends it and however often."""
    return f"duty-reminder:shift-{assignment.shift_id}:deputy-{assignment.deputy_id}"


def send_duty_reminders(*, day=None):
    """Remind every deputy on duty on `day` (default: tomorrow) in-app, by e-mail when known and
    by SMS (DUTY_REMINDER_SMS). Each reminder goes out once, even when this runs twice, is
    retried, or runs on two workers at once (the notification key is unique). Returns how many
    reminders were new."""
    day = day or timezone.localdate() + timedelta(days=1)
    assignments = (
        DutyAssignment.objects.filter(shift__date=day, shift__station__is_active=True, deputy__user__isnull=False)
        .select_related("shift__station", "deputy__user")
        .order_by("pk")
    )
    sent = 0
    for assignment in assignments.iterator(chunk_size=500):
        shift, station = assignment.shift, assignment.shift.station
        with transaction.atomic():
            notification = notify(
                assignment.deputy.user,
                key=reminder_key(assignment),
                kind=notices.DUTY_REMINDER,
                params={
                    "date": day, "station": station.name,
                    "time": f"{shift.start_time:%H:%M}–{shift.end_time:%H:%M}",
                    "address": station.address or station.name,
                },
                url=_duty_url(),
            )
        sent += notification is not None
    return sent


def send_activity_reminders(*, day=None):
    """Remind every deputy signed up for an activity starting on `day` (default: tomorrow),
    in-app, by e-mail and by SMS/WeChat, once each (key: activity and deputy). Returns how many
    reminders were new."""
    day = day or timezone.localdate() + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(day, time.min))
    signups = (
        ActivitySignup.objects.filter(
            cancelled_at__isnull=True, activity__status=Activity.Status.PUBLISHED,
            activity__starts_at__gte=start, activity__starts_at__lt=start + timedelta(days=1),
            deputy__user__isnull=False,
        )
        .select_related("activity", "deputy__user")
        .order_by("pk")
    )
    sent = 0
    for signup in signups.iterator(chunk_size=500):
        activity = signup.activity
        with transaction.atomic():
            notification = notify(
                signup.deputy.user,
                key=f"activity-reminder:{activity.pk}:{signup.deputy_id}",
                kind=notices.ACTIVITY_REMINDER,
                params={"activity": activity.title, "starts_at": activity.starts_at,
                        "place": activity.place or activity.title},
                url=reverse("stations:activity_detail", args=[activity.pk]),
            )
        sent += notification is not None
    return sent


def close_past_shifts(*, today=None):
    """Mark assignments before `today` that no visit attended as missed (缺勤). Idempotent."""
    today = today or timezone.localdate()
    return DutyAssignment.objects.filter(
        shift__date__lt=today, attendance=DutyAssignment.Attendance.PENDING
    ).update(attendance=DutyAssignment.Attendance.ABSENT)


# --- Visits and receptions ------------------------------------------------------------------


def _announce_follow_up(reception):
    transaction.on_commit(partial(reception_needs_follow_up.send, sender=Reception, reception=reception))


def visit_stations(deputy, *, on=None):
    """The stations where `deputy` may log a visit themselves: those they belong to, and those
    where they are on duty on the day `on` (None: any day from 60 days ago to today, what the
    visit form offers)."""
    today = timezone.localdate()
    shifts = DutyAssignment.objects.filter(deputy=deputy)
    shifts = shifts.filter(shift__date=on) if on else shifts.filter(shift__date__range=(today - timedelta(days=60), today))
    return Station.objects.filter(
        Q(memberships__deputy=deputy) | Q(pk__in=shifts.values("shift__station_id"))
    ).distinct()


def _visitor_of(by, station, deputy, date):
    """Whose visit `by` may record at `station`: a deputy their own, at a station they belong to or
    are on duty at that day; a station manager a guest deputy's, at a station they manage."""
    if by.role == Role.STATION_MANAGER and permissions.record_guest_visits.has(by):
        if station.manager_id != by.pk:
            raise PermissionDenied(_("您只能为本人负责的站点登记来访代表的进站履职。"))
        if deputy is None:
            raise DomainError(_("请选择来访的代表。"))
        if deputy.status != Deputy.Status.ACTIVE:
            raise DomainError(_("%(name)s 已终止代表资格。") % {"name": deputy.name})
        return deputy
    permissions.log_visits.check(by)
    own = deputy_of(by)
    if deputy is not None and deputy.pk != own.pk:
        raise PermissionDenied(_("您只能登记本人的进站履职。"))
    if not visit_stations(own, on=date).filter(pk=station.pk).exists():
        raise PermissionDenied(_("您只能在所属站点或当天值班的站点登记进站履职；来访其他站点请由该站点管理员登记。"))
    return own


@transaction.atomic
def record_visit(*, by, station, date, start_time, end_time, summary="", receptions=(), photos=(), deputy=None):
    """A deputy logs a visit (进站履职) with its receptions and photos, at a station they belong
    to or are on duty at; a station manager records a guest deputy's visit (`deputy`) to their
    own station. The deputy's shift at the station that day, if any, counts as attended;
    receptions to follow up are announced to the opinions flow after the commit."""
    deputy = _visitor_of(by, station, deputy, date)
    if not station.is_active:
        raise DomainError(_("该站点已停用，不能登记进站履职。"))
    if date > timezone.localdate():
        raise DomainError(_("不能登记今天以后的进站履职。"))
    if end_time <= start_time:
        raise DomainError(_("结束时间必须晚于开始时间。"))
    if len(photos) > 5:
        raise DomainError(_("最多上传 5 张照片。"))
    visit = _save(
        Visit(),
        {
            "deputy": deputy, "station": station, "date": date, "start_time": start_time,
            "end_time": end_time, "summary": summary, "recorded_by": by,
        },
    )
    for fields in receptions:
        reception = _save(Reception(visit=visit), dict(fields), exclude=["visit"])
        if reception.handling == Reception.Handling.FOLLOW_UP:
            _announce_follow_up(reception)
    for photo in photos:
        VisitPhoto.objects.create(visit=visit, image=photo)
    DutyAssignment.objects.filter(shift__station=station, shift__date=date, deputy=deputy).update(
        attendance=DutyAssignment.Attendance.ATTENDED, visit=visit
    )
    return visit


@transaction.atomic
def update_reception(reception, *, by, handling, feedback):
    """The recording deputy or staff record how a reception was handled; one newly marked
    待跟进 is announced to the opinions flow."""
    reception = Reception.objects.select_for_update(of=("self",)).select_related("visit").get(pk=reception.pk)
    is_recorder = reception.visit.recorded_by_id == by.pk
    if not (is_recorder or permissions.see_visitor_phones.has(by)):
        raise PermissionDenied(_("只有记录的代表和工作人员可以修改接待记录。"))
    if not Visit.objects.visible_to(by).filter(pk=reception.visit_id).exists() and not is_recorder:
        raise PermissionDenied(_("您只能修改本乡镇的接待记录。"))
    was_follow_up = reception.handling == Reception.Handling.FOLLOW_UP
    reception = _save(reception, {"handling": handling, "feedback": feedback})
    if handling == Reception.Handling.FOLLOW_UP and not was_follow_up:
        _announce_follow_up(reception)
    return reception


# --- Activities -----------------------------------------------------------------------------


def can_manage_activity(user, activity):
    """Who may edit, cancel and take attendance of an activity: staff and admins those of their
    region and below (not those of the regions above they can see: a township's staff not the
    county's); a station manager those they published or of the station they run."""
    if not permissions.publish_activities.has(user):
        return False
    if user.role == Role.STATION_MANAGER:
        return activity.organizer_id == user.pk or (
            activity.station is not None and activity.station.manager_id == user.pk
        )
    return covers(user, activity.region)


def _check_activity_scope(by, activity):
    if not Activity.objects.visible_to(by).filter(pk=activity.pk).exists() or not can_manage_activity(by, activity):
        if by.role == Role.STATION_MANAGER:
            raise PermissionDenied(_("您只能管理本人或本站点的活动。"))
        raise PermissionDenied(_("您只能管理本人或%(scope)s发布的活动。") % {"scope": scope_label(by)})


def _check_activity_fields(by, fields):
    station = fields.get("station")
    if station is not None:
        _check_station_scope(by, station)
        fields["region"] = station.township
    elif by.role == Role.STATION_MANAGER:
        raise DomainError(_("站点管理员发布活动时请选择本站点。"))
    elif not covers(by, fields.get("region")):
        # Staff publish for their own region (or one under it).
        fields["region"] = scope_of(by).region
    if fields.get("starts_at") and fields.get("ends_at") and fields["ends_at"] <= fields["starts_at"]:
        raise DomainError(_("结束时间必须晚于开始时间。"))
    if fields.get("signup_deadline") and fields.get("starts_at") and fields["signup_deadline"] > fields["starts_at"]:
        raise DomainError(_("报名截止时间不能晚于活动开始时间。"))


@transaction.atomic
def publish_activity(*, by, **fields):
    """Staff or a station manager publish an activity deputies can sign up for."""
    permissions.publish_activities.check(by)
    _check_activity_fields(by, fields)
    return _save(Activity(organizer=by), fields)


@transaction.atomic
def update_activity(activity, *, by, **fields):
    permissions.publish_activities.check(by)
    _check_activity_scope(by, activity)
    if activity.status == Activity.Status.CANCELLED:
        raise TransitionNotAllowed(_("活动已取消，不能修改。"))
    _check_activity_fields(by, fields)
    capacity = fields.get("capacity")
    if capacity is not None and capacity < activity.signups.filter(cancelled_at__isnull=True).count():
        raise Conflict(_("已报名人数超过新的名额，请先与报名代表沟通。"))
    return _save(activity, fields)


@transaction.atomic
def cancel_activity(activity, *, by, reason=""):
    """Call an activity off; every deputy signed up is told."""
    permissions.publish_activities.check(by)
    _check_activity_scope(by, activity)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status == Activity.Status.CANCELLED:
        raise TransitionNotAllowed(_("活动已经取消了。"))
    activity.status = Activity.Status.CANCELLED
    activity.save(update_fields=["status"])
    for signup in activity.signups.filter(cancelled_at__isnull=True).select_related("deputy__user"):
        notify(
            signup.deputy.user,
            key=f"activity-cancelled:{activity.pk}:{signup.deputy_id}",
            kind=notices.ACTIVITY_CANCELLED,
            params={"activity": activity.title, "starts_at": activity.starts_at, "reason": reason},
            url=reverse("stations:activity_detail", args=[activity.pk]),
        )
    return activity


@transaction.atomic
def sign_up(activity, *, by):
    """A deputy signs up (报名). A full activity, a passed deadline or a cancelled activity
    refuse with a clear message; the row lock keeps two last-place sign-ups from both winning."""
    permissions.sign_up_activities.check(by)
    deputy = deputy_of(by)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status == Activity.Status.CANCELLED:
        raise TransitionNotAllowed(_("活动已取消，不能报名。"))
    if timezone.now() > activity.signup_deadline:
        raise TransitionNotAllowed(_("报名已截止。"))
    signup = ActivitySignup.objects.filter(activity=activity, deputy=deputy).first()
    if signup is not None and signup.cancelled_at is None:
        raise Conflict(_("您已经报过名了。"))
    taken = ActivitySignup.objects.filter(activity=activity, cancelled_at__isnull=True).count()
    if activity.capacity is not None and taken >= activity.capacity:
        raise Conflict(
            _("名额已满（共 %(n)s 个名额），不能再报名。") % {"n": activity.capacity}
        )
    if signup is None:
        return ActivitySignup.objects.create(activity=activity, deputy=deputy)
    signup.cancelled_at, signup.signed_up_at = None, timezone.now()
    signup.save(update_fields=["cancelled_at", "signed_up_at"])
    return signup


@transaction.atomic
def cancel_sign_up(activity, *, by):
    """A deputy withdraws before the activity starts; the place is free again."""
    deputy = deputy_of(by)
    signup = ActivitySignup.objects.select_for_update().filter(
        activity=activity, deputy=deputy, cancelled_at__isnull=True
    ).first()
    if signup is None:
        raise TransitionNotAllowed(_("您没有报名这个活动。"))
    if timezone.now() >= activity.starts_at:
        raise TransitionNotAllowed(_("活动已经开始，不能取消报名。"))
    signup.cancelled_at = timezone.now()
    signup.save(update_fields=["cancelled_at"])
    return signup


@transaction.atomic
def mark_attendance(activity, *, by, attended):
    """The organiser records who came: `attended` deputy ids are 出席, the other sign-ups 缺席."""
    permissions.publish_activities.check(by)
    _check_activity_scope(by, activity)
    if timezone.now() < activity.starts_at:
        raise TransitionNotAllowed(_("活动开始后才能登记出席情况。"))
    attended = {int(pk) for pk in attended}
    active = ActivitySignup.objects.filter(activity=activity, cancelled_at__isnull=True)
    unknown = attended - set(active.values_list("deputy_id", flat=True))
    if unknown:
        raise DomainError(_("只能登记已报名代表的出席情况。"))
    active.filter(deputy_id__in=attended).update(attendance=ActivitySignup.Attendance.ATTENDED)
    active.exclude(deputy_id__in=attended).update(attendance=ActivitySignup.Attendance.ABSENT)
    return active.filter(attendance=ActivitySignup.Attendance.ATTENDED).count()


# --- Learning materials ---------------------------------------------------------------------


@transaction.atomic
def publish_material(material, *, by, **fields):
    """Staff publish or edit a learning material (学习资料)."""
    permissions.publish_materials.check(by)
    if material.pk is None:
        material.published_by = by
    return _save(material, fields)


def record_read(material, *, by):
    """A deputy opened a material: the read is recorded once. Others' views record nothing."""
    deputy = getattr(by, "deputy", None) if by.role == Role.DEPUTY else None
    if deputy is None:
        return None
    read, _created = MaterialRead.objects.get_or_create(material=material, deputy=deputy)
    return read

