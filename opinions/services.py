"""What changes opinions: one function per step of 点单 → 定单 → 接单 → 督单.

Every step function
1. checks the role (403) and the party — a member deputy of the station, the adopting deputy,
   the unit the opinion is referred to, staff of the station's township (403 / 404),
2. locks the row and checks the state against `models.TRANSITIONS` (409 TransitionNotAllowed),
3. writes inside `transaction.atomic()`, records a `TimelineEntry` and notifies the people
   concerned (`notifications.services.notify`, keyed by the entry so each notice exists once;
   fan-out to many people runs in a task scheduled through `core.outbox.enqueue`).
Views, API actions, tasks and commands call these functions and repeat none of their checks.

Deadlines (督单) are working days (core.calendar: the official calendar and local overrides): OPINION_ADOPT_DAYS (3) for a
member deputy to adopt a new opinion, OPINION_REPLY_DAYS (15) for the reply once it is adopted
or referred to a unit."""

import hashlib
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from core import abuse, calendar, outbox
from audit.registry import log_view
from core.exceptions import DomainError, TransitionNotAllowed
from divisions.scope import county_path, staff_between, transfer_target, transfer_targets, unit_serves
from notifications.services import erase_numbers, notify, notify_number
from opinions import notices
from opinions.models import (
    CONTENT_MAX_LENGTH,
    CONTENT_MIN_LENGTH,
    DEADLINE_STATES,
    TRANSITIONS,
    Opinion,
    OpinionPhoto,
    Rating,
    Source,
    State,
    Step,
    TimelineEntry,
    step_allowed,
)
from opinions.permissions import adopt_opinions, handle_opinions, manage_opinions, view_opinions
from stations.models import StationMembership

ABUSE_SCOPE = "opinion"

# --- Deadlines ------------------------------------------------------------------------------


def add_working_days(start, days, *, region=None):
    """The date `days` working days after `start`: the State Council's calendar (holidays and
    调休 working days) with the local overrides of `region` (core.calendar)."""
    return calendar.add_working_days(start, days, region=region)


def deadline_after(moment, days, *, region=None):
    """The end (local midnight) of the `days`-th working day after `moment`; `region` (the
    station's township, a Region or its id) brings in its county's and its own days off."""
    last_day = add_working_days(timezone.localtime(moment).date(), days, region=region)
    return timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))


# --- Shared guards --------------------------------------------------------------------------


def _deputy_of(user):
    deputy = getattr(user, "deputy", None) if user.role == Role.DEPUTY else None
    if deputy is None:
        raise PermissionDenied(_("您的账号没有关联代表信息，请联系人大工作人员。"))
    return deputy


def _check_visible(opinion, by):
    """Someone who may not see the opinion at all gets 404: its existence must not leak."""
    view_opinions.check(by)
    if not Opinion.objects.visible_to(by).filter(pk=opinion.pk).exists():
        raise Http404


def _check_staff_scope(opinion, by):
    """Staff act on an opinion held by their region's congress (or at home, at their township's
    station: `Opinion.may_act`); a sender of a transfer reads it only (403), anyone else gets 404."""
    manage_opinions.check(by)
    if opinion.may_act(by):
        return
    _check_visible(opinion, by)
    raise PermissionDenied(
        _("这条意见已转办给%(congress)s，您只能查看，不能办理。") % {"congress": opinion.congress.name}
    )


def _is_member(deputy, station_id):
    return deputy.memberships.filter(station_id=station_id).exists()


def _check_adopting_deputy_or_staff(opinion, by):
    if manage_opinions.has(by):
        _check_staff_scope(opinion, by)
        return
    adopt_opinions.check(by)
    _check_visible(opinion, by)
    if opinion.adopted_by_id is None:
        raise TransitionNotAllowed(_("这条意见还没有代表接单，请先接单。"))
    if opinion.adopted_by_id != _deputy_of(by).pk:
        raise PermissionDenied(_("只有接单的代表可以办理这条意见。"))


def _check_referred_unit(opinion, by):
    handle_opinions.check(by)
    _check_visible(opinion, by)
    if opinion.unit_id != by.handling_unit_id:
        raise PermissionDenied(_("这条意见目前没有转交给贵单位办理。"))


def _lock(opinion):
    """The opinion as it is now, its row locked until the transaction ends: the guards and the
    state check read this, not what the caller loaded earlier."""
    return (
        Opinion.objects.select_for_update(of=("self",))
        .select_related("station__township", "unit", "adopted_by__user", "congress__region")
        .get(pk=opinion.pk)
    )


def _check_step(opinion, step):
    if not step_allowed(opinion.state, step):
        raise TransitionNotAllowed(
            _("这条意见当前状态为“%(state)s”，不能%(step)s。")
            % {"state": opinion.get_state_display(), "step": Step(step).label}
        )


def _actor_name(user):
    if user is None:
        return _("系统")
    if user.role == Role.DEPUTY and getattr(user, "deputy", None) is not None:
        return _("%(name)s代表") % {"name": user.deputy.name}
    if user.role == Role.UNIT and user.handling_unit_id:
        return f"{user.handling_unit.name} {user.display_name}"
    return user.display_name


def _record(opinion, step, *, by, from_state, note="", public_text="", unit=None, link="",
            from_congress=None, to_congress=None):
    return TimelineEntry.objects.create(
        from_congress=from_congress,
        to_congress=to_congress,
        opinion=opinion,
        step=step,
        from_state=from_state,
        to_state=opinion.state,
        actor=by,
        actor_name=_actor_name(by),
        unit=unit,
        note=note,
        public_text=public_text,
        link=link,
    )


def _clean_text(text, *, field_label, required=True, max_length=CONTENT_MAX_LENGTH):
    text = (text or "").strip()
    if required and not text:
        raise DomainError(_("请填写%(field)s。") % {"field": field_label})
    if len(text) > max_length:
        raise DomainError(
            _("%(field)s不能超过%(n)s个字。") % {"field": field_label, "n": max_length}
        )
    return text


def detail_url(opinion):
    return reverse("opinions:detail", args=[opinion.pk])


def staff_for(station):
    """Staff who supervise a station's opinions: its county's staff and its township's."""
    return staff_for_township(station.township)


def staff_for_township(township):
    return get_user_model().objects.filter(
        staff_between(county_path(township), township), role=Role.STAFF, is_active=True,
    )


def _member_users(station_id):
    from stations.models import StationMembership

    return [
        m.deputy.user
        for m in StationMembership.objects.filter(
            station_id=station_id, deputy__status="active", deputy__user__is_active=True
        ).select_related("deputy__user")
    ]


def _unit_users(unit_id):
    return list(get_user_model().objects.filter(role=Role.UNIT, handling_unit_id=unit_id, is_active=True))


# --- 点单: submitting ------------------------------------------------------------------------


@transaction.atomic
def submit_opinion(*, station, category, content, name="", phone="", consent=False, photos=()):
    """A member of the public submits an opinion at a station (its QR page or the public API).
    The form or serializer has validated the fields; this checks the rules again (so every entry
    point obeys them), saves, starts the adopt deadline and asks the station's deputies."""
    content = (content or "").strip()
    name, phone = (name or "").strip(), (phone or "").strip()
    if not station.is_active:
        raise DomainError(_("该站点已停用，请到其他站点提交意见。"))
    if not category.is_active:
        raise DomainError(_("请选择意见类别。"))
    if not CONTENT_MIN_LENGTH <= len(content) <= CONTENT_MAX_LENGTH:
        raise DomainError(
            _("意见内容请写%(min)s到%(max)s个字。") % {"min": CONTENT_MIN_LENGTH, "max": CONTENT_MAX_LENGTH}
        )
    if (name or phone) and not consent:
        raise DomainError(_("留下姓名或电话时，请勾选同意使用个人信息。"))
    now = timezone.now()
    opinion = Opinion(
        station=station,
        category=category,
        content=content,
        name=name,
        phone=phone,
        consent_at=now if (name or phone) else None,
        created_at=now,
        due_at=deadline_after(now, settings.OPINION_ADOPT_DAYS, region=station.township_id),
    )
    # The station and category are loaded objects already: no need to look them up again.
    opinion.full_clean(exclude=["tracking_code", "reception", "station", "category"])
    opinion.save()
    OpinionPhoto.objects.bulk_create(OpinionPhoto(opinion=opinion, image=photo) for photo in photos)
    _record(
        opinion, Step.SUBMIT, by=None, from_state="", public_text=_("意见已提交，等待代表接单"),
    )
    outbox.enqueue("opinions.tasks.announce_new_opinion", opinion_id=opinion.pk)
    _tell_submitter(opinion, notices.RECEIPT, "opinion-receipt")
    return opinion


def _tell_submitter(opinion, kind, prefix):
    """An SMS receipt to the person who submitted the opinion and left a number (with consent)."""
    if opinion.phone and opinion.consent_at:
        notify_number(
            opinion.phone, key=f"{prefix}:{opinion.pk}", kind=kind,
            params={"station": opinion.station.name, "code": opinion.tracking_code},
            url=reverse("opinions:track", args=[opinion.tracking_code]),
            township_id=opinion.station.township_id,
        )


def submit_from_request(request, *, station, data):
    """点单 from the public page or API. `data` is the form's or serializer's cleaned data (the
    same names: category, content, name, phone, consent, photos and the honeypot `website`).
    Runs the anti-abuse checks (honeypot, submissions per address, the same content twice), then
    `submit_opinion`. A refusal raises DomainError (400) or RateLimited (429) and saves nothing."""
    content = data["content"]
    abuse.check_honeypot(data)
    abuse.check_submission_rate(request, ABUSE_SCOPE)
    abuse.check_duplicate(request, ABUSE_SCOPE, content)
    try:
        return submit_opinion(
            station=station,
            category=data["category"],
            content=content,
            name=data.get("name", ""),
            phone=data.get("phone", ""),
            consent=data.get("consent", False),
            photos=data.get("photos") or (),
        )
    except Exception:
        abuse.forget_duplicate(request, ABUSE_SCOPE, content)
        raise


@transaction.atomic
def open_from_reception(reception):
    """A reception marked 待跟进 enters the same flow: an opinion that points at the reception
    (nothing copied). The deputy who received the person adopts it at once when they belong to
    the station; otherwise the station's deputies are asked as for a public opinion. Running
    it twice for the same reception changes nothing."""
    from stations.models import Reception

    reception = Reception.objects.select_related("visit__station", "visit__deputy__user").get(pk=reception.pk)
    existing = Opinion.objects.filter(reception=reception).first()
    if existing is not None:
        return existing
    visit = reception.visit
    now = timezone.now()
    opinion = Opinion.objects.create(
        source=Source.RECEPTION,
        reception=reception,
        station=visit.station,
        category=reception.category,
        created_at=now,
        due_at=deadline_after(now, settings.OPINION_ADOPT_DAYS, region=visit.station.township_id),
    )
    _record(
        opinion, Step.SUBMIT, by=None, from_state="",
        note=_("接待群众时登记为待跟进（%(date)s）") % {"date": f"{visit.date:%Y-%m-%d}"},
        public_text=_("意见已登记，等待代表接单"),
    )
    deputy = visit.deputy
    if deputy.user_id and deputy.user.is_active and _is_member(deputy, visit.station_id):
        _adopt(opinion, deputy=deputy, by=deputy.user, note=_("接待时登记并接单"))
    else:
        outbox.enqueue("opinions.tasks.announce_new_opinion", opinion_id=opinion.pk)
    return opinion


def open_missing_from_receptions():
    """Open an opinion for every reception marked 待跟进 that has none yet (the signal's receiver
    failed or the reception was saved without it). Returns how many were opened."""
    from stations.models import Reception

    missing = Reception.objects.filter(handling=Reception.Handling.FOLLOW_UP, opinion__isnull=True)
    opened = 0
    for reception in missing.only("pk").iterator():
        open_from_reception(reception)
        opened += 1
    return opened


def announce_new_opinion(opinion_id):
    """Tell the station's member deputies about a new opinion, each once."""
    opinion = Opinion.objects.select_related("station", "category").filter(pk=opinion_id).first()
    if opinion is None or opinion.state != State.SUBMITTED:
        return 0
    sent = 0
    for user in _member_users(opinion.station_id):
        sent += bool(
            notify(
                user,
                key=f"opinion-new:{opinion.pk}:{user.pk}",
                kind=notices.NEW,
                params={"station": opinion.station.name, "category": opinion.category.name,
                        "days": settings.OPINION_ADOPT_DAYS},
                url=detail_url(opinion),
            )
        )
    return sent


# --- 定单: the deputy takes it up -------------------------------------------------------------


def _adopt(opinion, *, deputy, by, note=""):
    previous = opinion.state
    opinion.state = State.ADOPTED
    opinion.adopted_by = deputy
    opinion.adopted_at = timezone.now()
    opinion.due_at = deadline_after(opinion.adopted_at, settings.OPINION_REPLY_DAYS, region=opinion.station.township_id)
    opinion.overdue_at = None
    opinion.save(update_fields=["state", "adopted_by", "adopted_at", "due_at", "overdue_at", "updated_at"])
    return _record(
        opinion, Step.ADOPT, by=by, from_state=previous, note=note,
        public_text=_("%(name)s代表已接单") % {"name": deputy.name},
    )


@transaction.atomic
def adopt(opinion, *, by, note=""):
    """定单: a member deputy of the station takes the opinion up and becomes responsible for it."""
    adopt_opinions.check(by)
    opinion = _lock(opinion)
    _check_visible(opinion, by)
    deputy = _deputy_of(by)
    _check_step(opinion, Step.ADOPT)
    if not _is_member(deputy, opinion.station_id):
        raise PermissionDenied(_("只有本站点的驻站代表可以接单。"))
    _adopt(opinion, deputy=deputy, by=by, note=_clean_text(note, field_label=_("说明"), required=False))
    return opinion


@transaction.atomic
def answer(opinion, *, by, reply):
    """The adopting deputy (or staff) answers the opinion directly; the reply is public."""
    opinion = _lock(opinion)
    _check_adopting_deputy_or_staff(opinion, by)
    reply = _clean_text(reply, field_label=_("答复内容"))
    _check_step(opinion, Step.ANSWER)
    _close(opinion, reply=reply)
    _record(opinion, Step.ANSWER, by=by, from_state=State.ADOPTED, note=reply, public_text=_("代表已答复，办结"))
    return opinion


def _close(opinion, *, reply):
    now = timezone.now()
    opinion.state = State.CLOSED
    opinion.reply = reply
    opinion.replied_at = opinion.closed_at = now
    opinion.due_at = opinion.overdue_at = None
    opinion.save(update_fields=["state", "reply", "replied_at", "closed_at", "due_at", "overdue_at", "updated_at"])
    _tell_submitter(opinion, notices.ANSWERED, "opinion-answered")


def _refer(opinion, *, unit, by, note):
    holder = opinion.congress
    if not unit_serves(unit, holder.region):
        raise DomainError(
            _("%(unit)s不是%(congress)s或其上级人大的承办单位，不能转交这条意见。")
            % {"unit": unit.name, "congress": holder.name}
        )
    previous = opinion.state
    now = timezone.now()
    opinion.state = State.REFERRED
    opinion.unit = unit
    opinion.referred_at = now
    opinion.due_at = deadline_after(now, settings.OPINION_REPLY_DAYS, region=opinion.station.township_id)
    opinion.overdue_at = None
    opinion.save(update_fields=["state", "unit", "referred_at", "due_at", "overdue_at", "updated_at"])
    entry = _record(
        opinion, Step.REFER, by=by, from_state=previous, note=note, unit=unit,
        public_text=_("已转交%(unit)s办理") % {"unit": unit.name},
    )
    for user in _unit_users(unit.pk):
        notify(
            user,
            key=f"opinion-referred:{entry.pk}:{user.pk}",
            kind=notices.REFERRED,
            params={"days": settings.OPINION_REPLY_DAYS},
            url=detail_url(opinion),
        )
    return entry


@transaction.atomic
def refer(opinion, *, unit, by, note=""):
    """Refer the opinion to a handling unit: the adopting deputy, or staff (staff may also refer
    one no deputy has adopted yet, e.g. an overdue one)."""
    opinion = _lock(opinion)
    _check_adopting_deputy_or_staff(opinion, by)
    note = _clean_text(note, field_label=_("转交说明"), required=False)
    if unit is None or not unit.is_active:
        raise DomainError(_("请选择承办单位。"))
    _check_step(opinion, Step.REFER)
    _refer(opinion, unit=unit, by=by, note=note)
    return opinion


# --- 转办: between the congresses of the tree ------------------------------------------------


@transaction.atomic
def transfer(opinion, *, to_region, reason, by):
    """转办: staff who may act on the opinion (its holding congress's region, or its township's
    while it is at home) hand it to a congress up the parent chain or directly below
    (`divisions.scope.transfer_target`, which refuses a region without a congress and sideways
    moves). The receiver holds it from now on: it is in the receiver's inbox, the sender keeps
    read access (`Opinion.objects.visible_to`), and its deadline restarts on the receiver's
    calendar (adopting or replying, by its state). Recorded on the timeline (from, to, who, when,
    why), in the audit log (the opinion's saved change) and told to the receiver's staff."""
    opinion = _lock(opinion)
    _check_staff_scope(opinion, by)
    reason = _clean_text(reason, field_label=_("转办理由"), max_length=500)
    _check_step(opinion, Step.TRANSFER)
    source = opinion.congress
    target = transfer_target(source, to_region)
    now = timezone.now()
    days = settings.OPINION_ADOPT_DAYS if opinion.state == State.SUBMITTED else settings.OPINION_REPLY_DAYS
    opinion.congress = target
    opinion.due_at = deadline_after(now, days, region=target.region)
    opinion.overdue_at = None
    opinion.save(update_fields=["congress", "due_at", "overdue_at", "updated_at"])
    entry = _record(
        opinion, Step.TRANSFER, by=by, from_state=opinion.state, note=reason,
        public_text=_("已转%(congress)s办理") % {"congress": target.name},
        from_congress=source, to_congress=target,
    )
    receivers = get_user_model().objects.filter(
        staff_between(target.region.path, None), role=Role.STAFF, is_active=True
    )
    for user in receivers:
        notify(
            user,
            key=f"opinion-transferred:{entry.pk}:{user.pk}",
            kind=notices.TRANSFERRED,
            params={"sender": source.name, "station": opinion.station.name, "reason": reason},
            url=detail_url(opinion),
        )
    return opinion


def transfer_choices(opinion):
    """The congresses the opinion may be transferred to now (for the form)."""
    return transfer_targets(opinion.congress)


def bulk_refer(opinions, *, unit, by, note=""):
    """Staff refer several opinions to one unit. Each is referred on its own (its own checks and
    transaction); returns (referred, refused) where refused lists (opinion, message)."""
    manage_opinions.check(by)
    referred, refused = [], []
    for opinion in opinions:
        try:
            referred.append(refer(opinion, unit=unit, by=by, note=note))
        except (DomainError, PermissionDenied, Http404) as exc:
            refused.append((opinion, str(getattr(exc, "message", exc)) or _("无权操作")))
    return referred, refused


# --- 接单: the unit accepts, returns and replies ---------------------------------------------


@transaction.atomic
def accept_referral(opinion, *, by, note=""):
    """接单: the unit the opinion is referred to accepts it and starts handling."""
    opinion = _lock(opinion)
    _check_referred_unit(opinion, by)
    note = _clean_text(note, field_label=_("说明"), required=False)
    _check_step(opinion, Step.ACCEPT)
    opinion.state = State.HANDLING
    opinion.save(update_fields=["state", "updated_at"])
    _record(
        opinion, Step.ACCEPT, by=by, from_state=State.REFERRED, note=note, unit=opinion.unit,
        public_text=_("%(unit)s已接单，正在办理") % {"unit": opinion.unit.name},
    )
    return opinion


@transaction.atomic
def return_referral(opinion, *, by, reason):
    """The unit returns a referral with a reason (not its remit, …). The opinion goes back to the
    adopting deputy, or to the station's queue when staff had referred it before adoption."""
    opinion = _lock(opinion)
    _check_referred_unit(opinion, by)
    reason = _clean_text(reason, field_label=_("退回理由"), max_length=500)
    _check_step(opinion, Step.RETURN)
    unit = opinion.unit
    now = timezone.now()
    if opinion.adopted_by_id:
        opinion.state = State.ADOPTED
        opinion.due_at = deadline_after(now, settings.OPINION_REPLY_DAYS, region=opinion.station.township_id)
    else:
        opinion.state = State.SUBMITTED
        opinion.due_at = deadline_after(now, settings.OPINION_ADOPT_DAYS, region=opinion.station.township_id)
    opinion.unit = None
    opinion.overdue_at = None
    opinion.save(update_fields=["state", "unit", "due_at", "overdue_at", "updated_at"])
    entry = _record(
        opinion, Step.RETURN, by=by, from_state=State.REFERRED, note=reason, unit=unit,
        public_text=_("承办单位退回，正在重新安排办理"),
    )
    recipients = (
        [opinion.adopted_by.user] if opinion.adopted_by_id and opinion.adopted_by.user_id else []
    ) + list(staff_for(opinion.station))
    for user in recipients:
        notify(
            user,
            key=f"opinion-returned:{entry.pk}:{user.pk}",
            kind=notices.RETURNED,
            params={"unit": unit.name, "reason": reason},
            url=detail_url(opinion),
        )
    return opinion


@transaction.atomic
def reply_to(opinion, *, by, reply):
    """The handling unit replies; the opinion is closed and the reply shows on the tracking page."""
    opinion = _lock(opinion)
    _check_referred_unit(opinion, by)
    reply = _clean_text(reply, field_label=_("答复内容"))
    _check_step(opinion, Step.REPLY)
    _close(opinion, reply=reply)
    entry = _record(
        opinion, Step.REPLY, by=by, from_state=State.HANDLING, note=reply, unit=opinion.unit,
        public_text=_("%(unit)s已答复，办结") % {"unit": opinion.unit.name},
    )
    if opinion.adopted_by_id and opinion.adopted_by.user_id:
        notify(
            opinion.adopted_by.user,
            key=f"opinion-replied:{entry.pk}",
            kind=notices.UNIT_REPLIED,
            params={"unit": opinion.unit.name, "reply": reply[:200]},
            url=detail_url(opinion),
        )
    return opinion


# --- Turned into a formal suggestion ---------------------------------------------------------


@transaction.atomic
def mark_converted(opinion, *, suggestion, by):
    """The adopting deputy turned the opinion into a formal suggestion (代表建议). Called by the
    suggestions app once the suggestion exists (Suggestion.source_opinion points here); the
    timeline links to the suggestion, so the link holds both ways."""
    opinion = _lock(opinion)
    _check_adopting_deputy_or_staff(opinion, by)
    _check_step(opinion, Step.CONVERT)
    opinion.state = State.CONVERTED
    opinion.closed_at = timezone.now()
    opinion.due_at = opinion.overdue_at = None
    opinion.save(update_fields=["state", "closed_at", "due_at", "overdue_at", "updated_at"])
    link = suggestion.get_absolute_url() if hasattr(suggestion, "get_absolute_url") else f"/suggestions/{suggestion.pk}/"
    _record(
        opinion, Step.CONVERT, by=by, from_state=State.ADOPTED, note=str(suggestion), link=link,
        public_text=_("已由代表转为代表建议，按代表建议程序交办"),
    )
    return opinion


# --- The public's rating --------------------------------------------------------------------


@transaction.atomic
def rate(opinion, *, rating, comment=""):
    """The person who raised it rates the result once (满意 / 基本满意 / 不满意)."""
    if rating not in Rating.values:
        raise DomainError(_("请选择满意、基本满意或不满意。"))
    comment = _clean_text(comment, field_label=_("评价留言"), required=False, max_length=200)
    if opinion.state != State.CLOSED:
        raise TransitionNotAllowed(_("意见办结后才能评价。"))
    _check_step(opinion, Step.RATE)
    if opinion.rated_at is not None:
        raise TransitionNotAllowed(_("这条意见已经评价过了，感谢您的反馈。"))
    opinion.rating = rating
    opinion.rating_comment = comment
    opinion.rated_at = timezone.now()
    opinion.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
    _record(
        opinion, Step.RATE, by=None, from_state=opinion.state, note=comment,
        public_text=_("群众评价：%(rating)s") % {"rating": Rating(rating).label},
    )
    return opinion


# --- 督单: overdue opinions ------------------------------------------------------------------


def _responsible(opinion):
    if opinion.state == State.SUBMITTED:
        return _member_users(opinion.station_id)
    if opinion.state == State.ADOPTED:
        user = opinion.adopted_by.user if opinion.adopted_by_id else None
        return [user] if user is not None else []
    return _unit_users(opinion.unit_id)


def flag_overdue(now=None):
    """Flag every open opinion past its deadline once (a timeline entry) and notify the people
    responsible for the current step; staff get one summary of the newly flagged ones. Running
    it again flags nothing twice. Returns the number flagged."""
    now = now or timezone.now()
    flagged = []
    candidate_ids = list(
        Opinion.objects.filter(state__in=DEADLINE_STATES, due_at__lt=now, overdue_at__isnull=True)
        .order_by("due_at")
        .values_list("pk", flat=True)
    )
    for opinion_id in candidate_ids:
        with transaction.atomic():
            opinion = (
                Opinion.objects.select_for_update(of=("self",))
                .select_related("station", "adopted_by__user", "unit")
                .filter(pk=opinion_id, state__in=DEADLINE_STATES, due_at__lt=now, overdue_at__isnull=True)
                .first()
            )
            if opinion is None:
                continue
            opinion.overdue_at = now
            opinion.save(update_fields=["overdue_at", "updated_at"])
            what = {
                State.SUBMITTED: _("超过%(n)s个工作日无代表接单") % {"n": settings.OPINION_ADOPT_DAYS},
                State.ADOPTED: _("接单后超过%(n)s个工作日未答复或转交") % {"n": settings.OPINION_REPLY_DAYS},
            }.get(opinion.state, _("转交后超过%(n)s个工作日未答复") % {"n": settings.OPINION_REPLY_DAYS})
            entry = _record(opinion, Step.OVERDUE, by=None, from_state=opinion.state, note=what)
            for user in _responsible(opinion):
                notify(
                    user,
                    key=f"opinion-overdue:{entry.pk}:{user.pk}",
                    kind=notices.OVERDUE,
                    params={"station": opinion.station.name, "what": str(what)},
                    url=detail_url(opinion),
                )
            flagged.append(opinion)
    _notify_staff_of_overdue(flagged)
    return len(flagged)


def _notify_staff_of_overdue(flagged):
    if not flagged:
        return
    by_township = {}
    for opinion in flagged:
        by_township.setdefault(opinion.station.township, []).append(opinion.pk)
    # Each township's supervisors (staff_for): one query per township with overdue opinions.
    supervised = {}
    for township, pks in by_township.items():
        for user_pk in staff_for_township(township).values_list("pk", flat=True):
            supervised.setdefault(user_pk, []).extend(pks)
    staff = get_user_model().objects.filter(pk__in=supervised)
    for user in staff:
        ids = sorted(supervised[user.pk])
        if not ids:
            continue
        digest = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:16]
        notify(
            user,
            key=f"opinions-overdue:{user.pk}:{digest}",
            kind=notices.OVERDUE_SUMMARY,
            params={"count": len(ids)},
            url=reverse("opinions:list") + "?overdue=1",
        )


# --- Personal data retention ---------------------------------------------------------------


def erase_expired_personal_data(now=None):
    """Erase the name and number of every opinion closed more than OPINION_RETENTION_DAYS ago
    (for one opened at a reception, the reception's visitor name and number); keep the rest for
    statistics. Returns how many opinions were erased."""
    from stations.models import Reception

    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.OPINION_RETENTION_DAYS)
    ids = list(
        Opinion.objects.filter(erased_at__isnull=True, closed_at__lt=cutoff).values_list("pk", flat=True)
    )
    erased = 0
    for start in range(0, len(ids), 500):
        with transaction.atomic():
            batch = list(
                Opinion.objects.select_for_update()
                .filter(pk__in=ids[start:start + 500], erased_at__isnull=True)
                .values_list("pk", "reception_id")
            )
            pks = [pk for pk, _reception in batch]
            Opinion.objects.filter(pk__in=pks).update(name="", phone="", erased_at=now, updated_at=now)
            erase_numbers(f"{prefix}:{pk}" for pk in pks for prefix in ("opinion-receipt", "opinion-answered"))
            reception_ids = [reception for _pk, reception in batch if reception]
            if reception_ids:
                # The person's data lives in the reception for opinions opened there.
                Reception.objects.filter(pk__in=reception_ids).update(
                    visitor_name=_("（已清除）"), visitor_phone=""
                )
            TimelineEntry.objects.bulk_create(
                TimelineEntry(
                    opinion_id=pk, step=Step.ERASE, from_state="", to_state="",
                    actor_name=_("系统"), created_at=now,
                    note=_("办结满%(n)s天，已清除姓名和电话") % {"n": settings.OPINION_RETENTION_DAYS},
                )
                for pk in pks
            )
            erased += len(pks)
    return erased


# --- Useful to pages and the API ------------------------------------------------------------


def allowed_steps(opinion, user):
    """The steps `user` may take on `opinion` now (for showing buttons; services re-check)."""
    steps = set()
    if user is None or not user.is_authenticated:
        return steps
    state = opinion.state
    if manage_opinions.has(user):
        if not opinion.may_act(user):  # a sender of a transfer (转办) only reads it
            return steps
        if state in (State.SUBMITTED, State.ADOPTED):
            steps.update({Step.REFER, Step.TRANSFER})
        if state == State.ADOPTED:
            steps.add(Step.ANSWER)
    elif adopt_opinions.has(user):
        deputy = getattr(user, "deputy", None)
        if deputy is None:
            return steps
        if state == State.SUBMITTED and _is_member(deputy, opinion.station_id):
            steps.add(Step.ADOPT)
        if state == State.ADOPTED and opinion.adopted_by_id == deputy.pk:
            steps.update({Step.ANSWER, Step.REFER, Step.CONVERT})
    elif handle_opinions.has(user) and opinion.unit_id and opinion.unit_id == user.handling_unit_id:
        if state == State.REFERRED:
            steps.update({Step.ACCEPT, Step.RETURN})
        if state == State.HANDLING:
            steps.add(Step.REPLY)
    return {s for s in steps if s in TRANSITIONS and step_allowed(state, s)}


# --- Citizens' contact: masked names, revealed on one opinion with a reason ------------------


def may_reveal_contact(opinion, user):
    """Who may reveal a citizen's name and number on one opinion, to call them: the unit it was
    referred to, and a deputy of its station (or the deputy who adopted it)."""
    if user is None or not user.is_authenticated:
        return False
    if user.role == Role.UNIT:
        return opinion.unit_id is not None and opinion.unit_id == user.handling_unit_id
    if user.role == Role.DEPUTY:
        deputy = getattr(user, "deputy", None)
        if deputy is None:
            return False
        return opinion.adopted_by_id == deputy.pk or StationMembership.objects.filter(
            station_id=opinion.station_id, deputy=deputy).exists()
    return False


def reveal_contact(opinion, *, by, reason):
    """Show `by` the full name and number of the citizen behind `opinion`, for a stated reason;
    the reveal is written to the audit log (查阅, with the reason). Returns {"name", "phone"}."""
    view_opinions.check(by)
    if not Opinion.objects.visible_to(by).filter(pk=opinion.pk).exists():
        raise Http404("opinion not visible")
    if not may_reveal_contact(opinion, by):
        raise PermissionDenied(_("只有承办单位或本站点的代表可以查看群众的姓名和电话。"))
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise DomainError(_("请填写查看原因（至少4个字），例如“电话联系核实情况”。"))
    if opinion.erased_at:
        raise DomainError(_("该意见的个人信息已按保存期限清除。"))
    log_view(_("群众意见联系方式"), 1, instance=opinion, actor=by, detail={"reason": reason[:200]})
    return {"name": opinion.person_name, "phone": opinion.person_phone}

