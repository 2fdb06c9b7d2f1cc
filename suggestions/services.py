"""What changes suggestions: one function per step of 提 → 交 → 办 → 督 → 评.

Every step function takes the suggestion, `by` (the user) and keyword arguments named like the
form and API fields, and
1. checks the role (`STEP_PERMISSIONS`: 403), then the party — the lead deputy, the lead unit,
   a co-unit, staff of the suggestion's township (403),
2. locks the row and checks the state against `models.TRANSITIONS` (409 `TransitionNotAllowed`),
3. writes inside `transaction.atomic()`, records a `TimelineEntry` and notifies the people
   concerned through `notifications.services.notify`, keyed by the timeline entry so each notice
   exists once.
Views, API actions, tasks and commands call these functions and repeat none of their checks.

Deadlines (settings): reply within SUGGESTION_REPLY_MONTHS (3) of assignment, extensions granted
by staff up to SUGGESTION_MAX_MONTHS (6), re-handling within SUGGESTION_REHANDLE_MONTHS (1)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from core.exceptions import Conflict, DomainError, TransitionNotAllowed
from divisions.models import rules_for
from divisions.scope import covers, scope_label, staff_between
from deputies.models import CongressSession, Deputy
from notifications.models import Notification
from notifications.services import notify, notify_many
from opinions import services as opinion_services
from suggestions import notices
from suggestions.models import (
    HANDLING,
    SATISFIED_RATINGS,
    Assignment,
    Attachment,
    Contact,
    Cosigner,
    Evaluation,
    Extension,
    Hearing,
    Kind,
    NumberSequence,
    Progress,
    Rating,
    Reply,
    ReplyClass,
    State,
    Step,
    Suggestion,
    TimelineEntry,
    add_months,
    chinese_date,
    deputy_id_of,
    step_allowed,
)
from suggestions.permissions import handle_suggestions, manage_suggestions, propose_suggestions

MAX_ATTACHMENTS = 5

STEP_PERMISSIONS = {
    Step.EDIT: propose_suggestions,
    Step.INVITE: propose_suggestions,
    Step.COSIGN: propose_suggestions,
    Step.DECLINE: propose_suggestions,
    Step.SUBMIT: propose_suggestions,
    Step.WITHDRAW: propose_suggestions,
    Step.EVALUATE: propose_suggestions,
    Step.ACCEPT: manage_suggestions,
    Step.CONVERT: manage_suggestions,
    Step.MERGE: manage_suggestions,
    Step.ASSIGN: manage_suggestions,
    Step.GRANT_EXTENSION: manage_suggestions,
    Step.REFUSE_EXTENSION: manage_suggestions,
    Step.SUPERVISE: manage_suggestions,
    Step.CLOSE: manage_suggestions,
    Step.HEARING: manage_suggestions,
    Step.PUBLISH: manage_suggestions,
    Step.UNPUBLISH: manage_suggestions,
    Step.INPUT: handle_suggestions,
    Step.CONTACT: handle_suggestions,
    Step.REQUEST_EXTENSION: handle_suggestions,
    Step.PROGRESS: handle_suggestions,
    Step.REPLY: handle_suggestions,
}
LEAD_DEPUTY_STEPS = {Step.EDIT, Step.INVITE, Step.SUBMIT, Step.WITHDRAW, Step.EVALUATE}
COSIGNER_STEPS = {Step.COSIGN, Step.DECLINE}
LEAD_UNIT_STEPS = {Step.CONTACT, Step.REQUEST_EXTENSION, Step.PROGRESS, Step.REPLY}
CO_UNIT_STEPS = {Step.INPUT}


# --- Checks ---------------------------------------------------------------------------------


def check_party(suggestion, step, by):
    """Raise PermissionDenied unless `by` is the party who takes `step` on this suggestion."""
    if step in LEAD_DEPUTY_STEPS:
        if deputy_id_of(by) != suggestion.lead_deputy_id:
            raise PermissionDenied(_("只有领衔代表本人可以进行这项操作。"))
    elif step in COSIGNER_STEPS:
        deputy_id = deputy_id_of(by)
        if deputy_id is None or not suggestion.cosigners.filter(deputy_id=deputy_id).exists():
            raise PermissionDenied(_("您没有被邀请附议这件建议。"))
    elif step in LEAD_UNIT_STEPS:
        if not by.handling_unit_id or by.handling_unit_id != suggestion.lead_unit_id:
            raise PermissionDenied(_("只有主办单位可以进行这项操作。"))
    elif step in CO_UNIT_STEPS:
        if not suggestion.assignments.filter(
            unit_id=by.handling_unit_id, role=Assignment.Role.CO
        ).exists():
            raise PermissionDenied(_("只有协办单位可以报送协办意见。"))
    elif not (covers(by, suggestion.township) or covers(by, suggestion.congress.region)):
        raise PermissionDenied(_("您只能办理%(scope)s代表的建议。") % {"scope": scope_label(by)})


def check_state(suggestion, step):
    if not step_allowed(suggestion.state, step):
        raise TransitionNotAllowed(
            _("这件建议目前“%(state)s”，不能“%(step)s”。")
            % {"state": suggestion.get_state_display(), "step": Step(step).label}
        )


def _begin(suggestion, step, by):
    """Role, then party, then state, on a locked fresh copy of the row (inside atomic)."""
    STEP_PERMISSIONS[step].check(by)
    locked = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    check_party(locked, step, by)
    check_state(locked, step)
    return locked


def can_take(suggestion, step, user):
    """Whether `user` may take `step` now (for buttons); the service re-checks everything."""
    if not STEP_PERMISSIONS[step].has(user) or not step_allowed(suggestion.state, step):
        return False
    try:
        check_party(suggestion, step, user)
    except PermissionDenied:
        return False
    if step in (Step.GRANT_EXTENSION, Step.REFUSE_EXTENSION):
        return suggestion.extensions.filter(status=Extension.Status.PENDING).exists()
    if step == Step.REQUEST_EXTENSION:
        return not suggestion.extensions.filter(status=Extension.Status.PENDING).exists()
    if step in COSIGNER_STEPS:
        # Once the invited deputy has answered, neither button is offered again.
        return suggestion.cosigners.filter(deputy_id=deputy_id_of(user), confirmed_at__isnull=True,
                                           declined_at__isnull=True).exists()
    return True


def available_steps(suggestion, user):
    return [step for step in STEP_PERMISSIONS if can_take(suggestion, step, user)]


def _required(value, message):
    if not (value or "").strip():
        raise DomainError(message)
    return value.strip()


def _deputy_of(by):
    deputy = Deputy.objects.filter(user=by).select_related("township").first()
    if deputy is None or not deputy.is_active:
        raise PermissionDenied(_("您的账号没有关联在任代表信息，请联系人大工作人员。"))
    return deputy


# --- Timeline and notifications -------------------------------------------------------------


def _record(suggestion, step, by, *, from_state, note=""):
    return TimelineEntry.objects.create(
        suggestion=suggestion,
        step=step,
        at=timezone.now(),
        actor=by,
        from_state=from_state,
        to_state=suggestion.state,
        note=note,
    )


def detail_url(suggestion):
    return reverse("suggestions:detail", args=[suggestion.pk])


def _tell(users, entry, kind, params):
    """Notify each user once about a timeline entry with a message of `kind`."""
    recipients = [(user, f"suggestion-step:{entry.pk}:{user.pk}") for user in users if user is not None]
    notify_many(recipients, kind=kind, params=params, url=detail_url(entry.suggestion))


def _unit_users(unit_ids):
    return list(
        get_user_model().objects.filter(role=Role.UNIT, handling_unit_id__in=unit_ids, is_active=True)
    )


def _staff_for(suggestion):
    """The staff of the suggestion's congress (its region's staff; staff without a region when it
    is the deployment's top congress) and of every region between it and the lead deputy's
    township."""
    regions = staff_between(suggestion.congress.region.path, suggestion.township)
    return list(get_user_model().objects.filter(role=Role.STAFF, is_active=True).filter(regions))


def _lead_user(suggestion):
    return get_user_model().objects.filter(deputy=suggestion.lead_deputy_id, is_active=True).first()


def _unit_ids(suggestion, role=None):
    assignments = suggestion.assignments.all()
    if role:
        assignments = assignments.filter(role=role)
    return list(assignments.values_list("unit_id", flat=True))


def _label(suggestion):
    return f"{suggestion.code}《{suggestion.title}》"


# --- 提: drafting, co-signing, submitting ---------------------------------------------------


def _attach(suggestion, files):
    if suggestion.attachments.count() + len(files) > MAX_ATTACHMENTS:
        raise DomainError(_("每件建议最多%(n)s个附件。") % {"n": MAX_ATTACHMENTS})
    for upload in files:
        Attachment.objects.create(
            suggestion=suggestion, file=upload, name=getattr(upload, "original_name", upload.name)[:200]
        )


def _invite(suggestion, deputies, by):
    """Invite deputies to co-sign; returns the newly invited ones."""
    existing = set(suggestion.cosigners.values_list("deputy_id", flat=True))
    new = []
    for deputy in deputies:
        if deputy.pk == suggestion.lead_deputy_id:
            raise DomainError(_("领衔代表不需要邀请自己附议。"))
        if not deputy.is_active:
            raise DomainError(_("%(name)s 已不是在任代表，不能附议。") % {"name": deputy.name})
        if deputy.pk not in existing:
            Cosigner.objects.create(suggestion=suggestion, deputy=deputy)
            existing.add(deputy.pk)
            new.append(deputy)
    if new:
        entry = _record(
            suggestion, Step.INVITE, by, from_state=suggestion.state,
            note=_("邀请附议：%(names)s") % {"names": "、".join(d.name for d in new)},
        )
        users = Deputy.objects.filter(pk__in=[d.pk for d in new], user__isnull=False)
        _tell(
            [d.user for d in users.select_related("user")], entry, notices.COSIGN_INVITED,
            {"lead": suggestion.lead_deputy.name, "title": suggestion.title},
        )
    return new


def create_draft(
    *, by, title, content, category, kind=Kind.SUGGESTION, cosigners=(), attachments=(),
    source_opinion=None, source_reception=None, congress=None,
):
    """A deputy starts a suggestion (草稿) to one of the congresses they sit in (`congress`; by
    default their own level's). `source_opinion` / `source_reception` link the public opinion or
    the station reception it came from (the opinions and stations apps call this)."""
    propose_suggestions.check(by)
    deputy = _deputy_of(by)
    if congress is None:
        congress = deputy.home_congress
    elif not deputy.congresses().filter(pk=congress.pk).exists():
        raise DomainError(_("您不是%(congress)s的代表，不能向其提出建议。") % {"congress": congress.name})
    with transaction.atomic():
        suggestion = Suggestion(
            kind=kind, title=_required(title, _("请填写标题。")),
            content=_required(content, _("请填写建议内容。")), category=category,
            lead_deputy=deputy, township_id=deputy.township_id, congress=congress,
        )
        if source_reception is not None:
            if source_reception.visit.deputy_id != deputy.pk:
                raise PermissionDenied(_("只能依据本人接待群众时听到的意见提出建议。"))
            suggestion.source_reception = source_reception
        if source_opinion is not None:
            suggestion.source_opinion = source_opinion
        suggestion.save()
        _record(suggestion, Step.CREATE, by, from_state="")
        if source_opinion is not None:
            # The opinion's own transition (adopting deputy only, from 代表已接单) guards the link.
            opinion_services.mark_converted(source_opinion, suggestion=suggestion, by=by)
        _attach(suggestion, list(attachments))
        _invite(suggestion, list(cosigners), by)
    return suggestion


@transaction.atomic
def update_draft(suggestion, *, by, title, content, category, kind, cosigners=(), attachments=()):
    """Change a draft; new co-signers are invited, new files added (nothing is removed)."""
    suggestion = _begin(suggestion, Step.EDIT, by)
    suggestion.title = _required(title, _("请填写标题。"))
    suggestion.content = _required(content, _("请填写建议内容。"))
    suggestion.category = category
    suggestion.kind = kind
    suggestion.save()
    _record(suggestion, Step.EDIT, by, from_state=State.DRAFT)
    _attach(suggestion, list(attachments))
    _invite(suggestion, list(cosigners), by)
    return suggestion


@transaction.atomic
def invite_cosigners(suggestion, *, by, deputies):
    """The lead deputy invites deputies to co-sign (附议); each confirms from their own account."""
    suggestion = _begin(suggestion, Step.INVITE, by)
    if not _invite(suggestion, list(deputies), by):
        raise DomainError(_("所选代表都已邀请过了。"))
    return suggestion


def _answer_invitation(suggestion, by, step, confirm):
    suggestion = _begin(suggestion, step, by)
    cosigner = suggestion.cosigners.select_related("deputy").get(deputy_id=deputy_id_of(by))
    if (cosigner.confirmed_at if confirm else cosigner.declined_at) is not None:
        raise TransitionNotAllowed(_("您已确认附议。") if confirm else _("您已谢绝附议。"))
    now = timezone.now()
    cosigner.confirmed_at, cosigner.declined_at = (now, None) if confirm else (None, now)
    cosigner.save(update_fields=["confirmed_at", "declined_at"])
    # The entry's actor is the co-signer: the timeline names them once, without a note repeating it.
    entry = _record(suggestion, step, by, from_state=suggestion.state)
    _tell([_lead_user(suggestion)], entry, notices.COSIGN_CONFIRMED if confirm else notices.COSIGN_DECLINED,
          {"name": cosigner.deputy.name, "title": suggestion.title})
    return suggestion


@transaction.atomic
def confirm_cosign(suggestion, *, by):
    """An invited deputy confirms co-signing (附议) from their own account."""
    return _answer_invitation(suggestion, by, Step.COSIGN, True)


@transaction.atomic
def decline_cosign(suggestion, *, by):
    """An invited deputy declines co-signing."""
    return _answer_invitation(suggestion, by, Step.DECLINE, False)


def session_in_progress(congress, day):
    """The session of `congress` open on `day` (suggestions raised then are the session's,
    numbered by it), or None (闭会期间)."""
    sessions = CongressSession.objects.filter(congress=congress, start_date__lte=day, end_date__gte=day)
    return sessions.order_by("start_date", "pk").first()


def next_number(key):
    """The next number in a scope. The UPDATE locks the counter row until commit, so concurrent
    submissions are serialised and never share a number."""
    sequence, _created = NumberSequence.objects.get_or_create(key=key)
    NumberSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    return NumberSequence.objects.values_list("last", flat=True).get(pk=sequence.pk)


@transaction.atomic
def submit_suggestion(suggestion, *, by):
    """The lead deputy submits: the suggestion gets its number (第N号 in the session open today,
    otherwise in the congress's recess sequence of the year). A motion needs its congress's
    number of deputies (the lead and confirmed co-signers: 10 at 县 level and above, 5 at 乡镇)."""
    suggestion = _begin(suggestion, Step.SUBMIT, by)
    if suggestion.kind == Kind.MOTION:
        signers = 1 + suggestion.cosigners.filter(confirmed_at__isnull=False).count()
        needed = rules_for(suggestion.congress).motion_min_deputies
        if signers < needed:
            raise DomainError(
                _("议案须由%(n)s名以上代表联名提出，目前连同领衔代表共%(m)s名代表确认，请等待附议代表确认或改为建议。")
                % {"n": needed, "m": signers}
            )
    today = timezone.localdate()
    session = session_in_progress(suggestion.congress, today)
    suggestion.session = session
    suggestion.year = session.start_date.year if session else today.year
    suggestion.number = next_number(
        f"session:{session.pk}" if session else f"recess:{suggestion.congress_id}:{suggestion.year}")
    suggestion.state = State.SUBMITTED
    suggestion.submitted_at = timezone.now()
    suggestion.save()
    entry = _record(
        suggestion, Step.SUBMIT, by, from_state=State.DRAFT,
        note=(session.name if session else _("闭会期间")) + " " + suggestion.code,
    )
    _tell(_staff_for(suggestion), entry, notices.SUBMITTED,
          {"suggestion": _label(suggestion), "lead": suggestion.lead_deputy.name})
    return suggestion


@transaction.atomic
def withdraw_suggestion(suggestion, *, by, reason=""):
    """The lead deputy withdraws a draft or a suggestion not yet reviewed (the record stays)."""
    suggestion = _begin(suggestion, Step.WITHDRAW, by)
    previous = suggestion.state
    suggestion.state = State.WITHDRAWN
    suggestion.save()
    entry = _record(suggestion, Step.WITHDRAW, by, from_state=previous, note=reason)
    if previous != State.DRAFT:
        _tell(_staff_for(suggestion), entry, notices.WITHDRAWN, {"suggestion": _label(suggestion), "note": reason})
    return suggestion


# --- 交: review and assignment by staff -------------------------------------------------------


@transaction.atomic
def accept_suggestion(suggestion, *, by, note=""):
    """Staff accept the suggestion for handling (立案)."""
    suggestion = _begin(suggestion, Step.ACCEPT, by)
    suggestion.state = State.ACCEPTED
    suggestion.save()
    entry = _record(suggestion, Step.ACCEPT, by, from_state=State.SUBMITTED, note=note)
    _tell([_lead_user(suggestion)], entry, notices.ACCEPTED, {"suggestion": _label(suggestion), "note": note})
    return suggestion


@transaction.atomic
def convert_to_reference(suggestion, *, by, reason):
    """Staff turn the suggestion into a reference letter (转为参阅件), with the reason."""
    reason = _required(reason, _("请写明转为参阅件的理由。"))
    suggestion = _begin(suggestion, Step.CONVERT, by)
    suggestion.state = State.REFERENCE
    suggestion.reference_reason = reason
    suggestion.save()
    entry = _record(suggestion, Step.CONVERT, by, from_state=State.SUBMITTED, note=reason)
    _tell([_lead_user(suggestion)], entry, notices.CONVERTED, {"suggestion": _label(suggestion), "note": reason})
    return suggestion


@transaction.atomic
def merge_suggestion(suggestion, *, by, into, note=""):
    """并案: staff merge a duplicate into another suggestion, which is handled for both. The
    merged suggestion's lead deputy becomes a co-signer of the other, and so sees its reply."""
    if into.pk == suggestion.pk:
        raise DomainError(_("不能把建议并入它自己。"))
    manage_suggestions.check(by)
    # Lock both rows in a fixed order so two opposite merges cannot deadlock.
    rows = {s.pk: s for s in Suggestion.objects.select_for_update().filter(pk__in=[suggestion.pk, into.pk]).order_by("pk")}
    suggestion = _begin(rows[suggestion.pk], Step.MERGE, by)
    target = rows[into.pk]
    check_party(target, Step.MERGE, by)
    if target.state not in {State.SUBMITTED, State.ACCEPTED, State.ASSIGNED}:
        raise TransitionNotAllowed(
            _("只能并入待审查、已立案或办理中的建议，%(label)s目前“%(state)s”。")
            % {"label": target.code, "state": target.get_state_display()}
        )
    previous = suggestion.state
    suggestion.state = State.MERGED
    suggestion.merged_into = target
    suggestion.save()
    if suggestion.lead_deputy_id != target.lead_deputy_id:
        Cosigner.objects.get_or_create(
            suggestion=target, deputy_id=suggestion.lead_deputy_id,
            defaults={"confirmed_at": timezone.now()},
        )
    text = _("并入%(label)s") % {"label": _label(target)}
    entry = _record(suggestion, Step.MERGE, by, from_state=previous, note=f"{text} {note}".strip())
    _record(target, Step.MERGE, by, from_state=target.state,
            note=_("%(label)s并入本件") % {"label": _label(suggestion)})
    _tell([_lead_user(suggestion)], entry, notices.MERGED, {"suggestion": _label(suggestion), "note": text})
    return suggestion


@transaction.atomic
def assign_suggestion(suggestion, *, by, lead_unit, co_units=(), note=""):
    """交办: one lead unit (主办) and any co-units (协办), units of the suggestion's congress. The
    reply is due the congress's reply months after today, extendable to its longest period."""
    co_units = [unit for unit in co_units]
    if lead_unit is None:
        raise DomainError(_("请选择主办单位。"))
    if any(unit.pk == lead_unit.pk for unit in co_units):
        raise DomainError(_("主办单位不能同时作为协办单位。"))
    if not all(unit.is_active for unit in [lead_unit, *co_units]):
        raise DomainError(_("所选承办单位已停用。"))
    if any(unit.congress_id != suggestion.congress_id for unit in [lead_unit, *co_units]):
        raise DomainError(_("只能交办给%(congress)s的承办单位。") % {"congress": suggestion.congress.name})
    suggestion = _begin(suggestion, Step.ASSIGN, by)
    today = timezone.localdate()
    Assignment.objects.create(suggestion=suggestion, unit=lead_unit, role=Assignment.Role.LEAD)
    for unit in co_units:
        Assignment.objects.create(suggestion=suggestion, unit=unit, role=Assignment.Role.CO)
    suggestion.state = State.ASSIGNED
    suggestion.lead_unit = lead_unit
    suggestion.assigned_at = timezone.now()
    suggestion.round = 1
    rules = rules_for(suggestion.congress)
    suggestion.deadline = add_months(today, rules.reply_months)
    suggestion.max_deadline = add_months(today, rules.max_months)
    suggestion.save()
    units = _("主办：%(lead)s") % {"lead": lead_unit.name}
    if co_units:
        units += _("；协办：%(co)s") % {"co": "、".join(u.name for u in co_units)}
    due = _("请于%(date)s前答复") % {"date": chinese_date(suggestion.deadline)}
    entry = _record(suggestion, Step.ASSIGN, by, from_state=State.ACCEPTED, note=f"{units}。{due}。{note}".strip())
    label = _label(suggestion)
    _tell(_unit_users([lead_unit.pk]), entry, notices.ASSIGNED_LEAD,
          {"suggestion": label, "deadline": suggestion.deadline})
    _tell(_unit_users([u.pk for u in co_units]), entry, notices.ASSIGNED_CO,
          {"suggestion": label, "lead_unit": lead_unit.name})
    _tell([_lead_user(suggestion)], entry, notices.ASSIGNED, {"suggestion": label, "units": units})
    return suggestion


# --- 办: handling by the units ----------------------------------------------------------------


@transaction.atomic
def send_co_unit_input(suggestion, *, by, text):
    """A co-unit sends its input (协办意见) to the lead unit."""
    text = _required(text, _("请填写协办意见。"))
    suggestion = _begin(suggestion, Step.INPUT, by)
    Assignment.objects.filter(suggestion=suggestion, unit_id=by.handling_unit_id).update(
        input=text, input_at=timezone.now()
    )
    entry = _record(suggestion, Step.INPUT, by, from_state=suggestion.state,
                    note=f"{by.handling_unit.name}：{text}")
    _tell(_unit_users([suggestion.lead_unit_id]), entry, notices.CO_INPUT,
          {"suggestion": _label(suggestion), "unit": by.handling_unit.name, "note": text})
    return suggestion


@transaction.atomic
def record_contact(suggestion, *, by, contacted_on, method, note=""):
    """The lead unit records its contact with the deputy before replying (办前沟通)."""
    if method not in Contact.Method.values:
        raise DomainError(_("请选择沟通方式。"))
    suggestion = _begin(suggestion, Step.CONTACT, by)
    if contacted_on > timezone.localdate():
        raise DomainError(_("沟通日期不能晚于今天。"))
    if contacted_on < timezone.localtime(suggestion.assigned_at).date():
        raise DomainError(_("沟通日期不能早于交办日期。"))
    contact = Contact.objects.create(
        suggestion=suggestion, round=suggestion.round, unit_id=suggestion.lead_unit_id,
        contacted_on=contacted_on, method=method, note=note, recorded_by=by,
    )
    _record(suggestion, Step.CONTACT, by, from_state=suggestion.state,
            note=f"{chinese_date(contacted_on)} {contact.get_method_display()} {note}".strip())
    return suggestion


@transaction.atomic
def request_extension(suggestion, *, by, until, reason):
    """The lead unit asks staff for more time, with a reason; never beyond the six-month limit.
    Only the first round can be extended: re-handling has a fixed month."""
    reason = _required(reason, _("请写明延期理由。"))
    suggestion = _begin(suggestion, Step.REQUEST_EXTENSION, by)
    if suggestion.extensions.filter(status=Extension.Status.PENDING).exists():
        raise Conflict(_("已有一份延期申请在等待审批。"))
    if until <= suggestion.deadline:
        raise DomainError(_("延期日期须晚于现在的答复期限%(date)s。") % {"date": chinese_date(suggestion.deadline)})
    if until > suggestion.max_deadline:
        raise DomainError(
            _("延期后的期限不能晚于交办之日起%(n)s个月，即%(date)s。")
            % {"n": rules_for(suggestion.congress).max_months, "date": chinese_date(suggestion.max_deadline)}
        )
    Extension.objects.create(
        suggestion=suggestion, unit_id=suggestion.lead_unit_id, until=until, reason=reason,
        previous_deadline=suggestion.deadline, requested_by=by,
    )
    entry = _record(suggestion, Step.REQUEST_EXTENSION, by, from_state=suggestion.state,
                    note=_("申请延期至%(date)s：%(reason)s") % {"date": chinese_date(until), "reason": reason})
    _tell(_staff_for(suggestion), entry, notices.EXTENSION_REQUESTED, {"suggestion": _label(suggestion), "note": reason})
    return suggestion


def _decide_extension(suggestion, by, step, note):
    suggestion = _begin(suggestion, step, by)
    extension = suggestion.extensions.select_for_update().filter(status=Extension.Status.PENDING).first()
    if extension is None:
        raise TransitionNotAllowed(_("这件建议没有待审批的延期申请。"))
    granted = step == Step.GRANT_EXTENSION
    extension.status = Extension.Status.GRANTED if granted else Extension.Status.REFUSED
    extension.decided_by, extension.decided_at, extension.decision_note = by, timezone.now(), note
    extension.save()
    if granted:
        suggestion.deadline = min(extension.until, suggestion.max_deadline)
        suggestion.save()
        title = _("延期申请已同意，答复期限延至%(date)s") % {"date": chinese_date(suggestion.deadline)}
    else:
        title = _("延期申请未获同意，答复期限仍为%(date)s") % {"date": chinese_date(suggestion.deadline)}
    entry = _record(suggestion, step, by, from_state=suggestion.state, note=f"{title}。{note}".strip("。 "))
    _tell(_unit_users([suggestion.lead_unit_id]), entry,
          notices.EXTENSION_GRANTED if granted else notices.EXTENSION_REFUSED,
          {"suggestion": _label(suggestion), "deadline": suggestion.deadline, "note": note})
    return suggestion


@transaction.atomic
def grant_extension(suggestion, *, by, note=""):
    """Staff grant the pending extension (capped at the six-month limit)."""
    return _decide_extension(suggestion, by, Step.GRANT_EXTENSION, note)


@transaction.atomic
def refuse_extension(suggestion, *, by, note):
    """Staff refuse the pending extension, saying why."""
    note = _required(note, _("请写明不同意延期的理由。"))
    return _decide_extension(suggestion, by, Step.REFUSE_EXTENSION, note)


CONTACT_FIRST = _("答复前请先记录与领衔代表的办前沟通情况。")


def contact_needed(suggestion):
    """True while the lead unit must still record its 办前沟通 with the deputy before it may reply
    (SUGGESTION_REQUIRE_CONTACT): the reply action says so up front and leads there."""
    return settings.SUGGESTION_REQUIRE_CONTACT and not suggestion.contacts.filter(round=suggestion.round).exists()


@transaction.atomic
def reply_suggestion(suggestion, *, by, result_class, text, attachment, contact_person, contact_phone):
    """The lead unit replies: class A/B/C, text, the signed PDF, a contact person. The pre-reply
    contact with the deputy must be recorded first (SUGGESTION_REQUIRE_CONTACT)."""
    text = _required(text, _("请填写答复内容。"))
    contact_person = _required(contact_person, _("请填写联系人。"))
    contact_phone = _required(contact_phone, _("请填写联系电话。"))
    if result_class not in ReplyClass.values:
        raise DomainError(_("请选择答复类别（A、B或C类）。"))
    if not attachment:
        raise DomainError(_("请上传盖章的答复件（PDF）。"))
    suggestion = _begin(suggestion, Step.REPLY, by)
    if contact_needed(suggestion):
        raise DomainError(CONTACT_FIRST)
    now = timezone.now()
    in_time = timezone.localdate() <= suggestion.deadline
    Reply.objects.create(
        suggestion=suggestion, round=suggestion.round, unit_id=suggestion.lead_unit_id,
        result_class=result_class, text=text, attachment=attachment, contact_person=contact_person,
        contact_phone=contact_phone, replied_by=by, replied_at=now, deadline=suggestion.deadline,
        in_time=in_time,
    )
    previous = suggestion.state
    suggestion.state = State.REPLIED
    suggestion.reply_class = result_class
    suggestion.replied_at = now
    suggestion.first_replied_at = suggestion.first_replied_at or now
    suggestion.replied_late = suggestion.replied_late or not in_time
    suggestion.save()
    entry = _record(suggestion, Step.REPLY, by, from_state=previous,
                    note=ReplyClass(result_class).label + ("" if in_time else _("（逾期答复）")))
    _tell([_lead_user(suggestion)], entry, notices.REPLIED, {"suggestion": _label(suggestion), "note": text[:100]})
    return suggestion


# --- 督: key supervision and progress ---------------------------------------------------------


@transaction.atomic
def mark_key_supervision(suggestion, *, by, supervisor, note=""):
    """Staff make the suggestion a key one (重点督办) with a named supervising leader; the lead
    unit then reports progress monthly until it replies."""
    supervisor = _required(supervisor, _("请填写督办领导。"))
    suggestion = _begin(suggestion, Step.SUPERVISE, by)
    suggestion.is_key = True
    suggestion.supervisor = supervisor
    suggestion.save()
    entry = _record(suggestion, Step.SUPERVISE, by, from_state=suggestion.state,
                    note=_("督办领导：%(name)s。%(note)s") % {"name": supervisor, "note": note})
    if suggestion.lead_unit_id:
        _tell(_unit_users([suggestion.lead_unit_id]), entry, notices.SUPERVISED,
              {"suggestion": _label(suggestion), "supervisor": supervisor})
    return suggestion


@transaction.atomic
def post_progress(suggestion, *, by, text):
    """The lead unit reports handling progress (monthly for key suggestions)."""
    text = _required(text, _("请填写办理进展。"))
    suggestion = _begin(suggestion, Step.PROGRESS, by)
    Progress.objects.create(
        suggestion=suggestion, unit_id=suggestion.lead_unit_id,
        month=timezone.localdate().replace(day=1), text=text, reported_by=by,
    )
    _record(suggestion, Step.PROGRESS, by, from_state=suggestion.state, note=text)
    return suggestion


# --- 评: evaluation, closing, hearing ---------------------------------------------------------


@transaction.atomic
def evaluate_suggestion(suggestion, *, by, rating, comment=""):
    """The lead deputy rates the reply. 满意/基本满意 → 已测评. 不满意 re-opens: the first time the
    unit re-handles it within SUGGESTION_REHANDLE_MONTHS; after re-handling it goes to a public
    hearing or democratic review (听证评议)."""
    if rating not in Rating.values:
        raise DomainError(_("请选择满意、基本满意或不满意。"))
    if rating == Rating.UNSATISFIED:
        comment = _required(comment, _("选择“不满意”时，请写明不满意的理由。"))
    suggestion = _begin(suggestion, Step.EVALUATE, by)
    reply = suggestion.replies.get(round=suggestion.round)
    Evaluation.objects.create(
        suggestion=suggestion, round=suggestion.round, reply=reply, rating=rating, comment=comment,
        evaluated_by=by, evaluated_at=timezone.now(),
    )
    suggestion.rating = rating
    if rating in SATISFIED_RATINGS:
        suggestion.state = State.EVALUATED
    elif suggestion.round == 1:
        suggestion.state = State.REHANDLING
        suggestion.round = 2
        suggestion.deadline = add_months(timezone.localdate(), rules_for(suggestion.congress).rehandle_months)
        suggestion.max_deadline = suggestion.deadline
    else:
        suggestion.state = State.HEARING
    suggestion.save()
    entry = _record(suggestion, Step.EVALUATE, by, from_state=State.REPLIED,
                    note=f"{Rating(rating).label}。{comment}".strip("。"))
    if suggestion.state == State.REHANDLING:
        _tell(_unit_users(_unit_ids(suggestion)), entry, notices.REHANDLE,
              {"suggestion": _label(suggestion), "deadline": suggestion.deadline, "note": comment})
        _tell(_staff_for(suggestion), entry, notices.REHANDLE_STAFF, {"suggestion": _label(suggestion), "note": comment})
    elif suggestion.state == State.HEARING:
        _tell(_staff_for(suggestion), entry, notices.HEARING_NEEDED, {"suggestion": _label(suggestion), "note": comment})
    return suggestion


@transaction.atomic
def close_suggestion(suggestion, *, by, note=""):
    """Staff close (办结) an evaluated suggestion."""
    suggestion = _begin(suggestion, Step.CLOSE, by)
    suggestion.state = State.CLOSED
    suggestion.closed_at = timezone.now()
    suggestion.save()
    entry = _record(suggestion, Step.CLOSE, by, from_state=State.EVALUATED, note=note)
    _tell([_lead_user(suggestion)], entry, notices.CLOSED, {"suggestion": _label(suggestion), "note": note})
    return suggestion


@transaction.atomic
def record_hearing(suggestion, *, by, kind, held_on, conclusion):
    """Staff record the public hearing or democratic review (公开听证 / 民主评议), which closes it."""
    conclusion = _required(conclusion, _("请填写听证或评议的结论。"))
    if kind not in Hearing.Kind.values:
        raise DomainError(_("请选择公开听证或民主评议。"))
    if held_on > timezone.localdate():
        raise DomainError(_("举行日期不能晚于今天。"))
    suggestion = _begin(suggestion, Step.HEARING, by)
    hearing = Hearing.objects.create(
        suggestion=suggestion, kind=kind, held_on=held_on, conclusion=conclusion, recorded_by=by
    )
    suggestion.state = State.CLOSED
    suggestion.closed_at = timezone.now()
    suggestion.save()
    entry = _record(suggestion, Step.HEARING, by, from_state=State.HEARING,
                    note=f"{hearing.get_kind_display()}（{chinese_date(held_on)}）：{conclusion}")
    _tell([_lead_user(suggestion), *_unit_users([suggestion.lead_unit_id])], entry, notices.HEARING_CONCLUDED,
          {"suggestion": _label(suggestion), "hearing": str(hearing.get_kind_display()), "note": conclusion})
    return suggestion


# --- Public disclosure ------------------------------------------------------------------------


def _set_public(suggestion, by, step, public):
    suggestion = _begin(suggestion, step, by)
    reply = suggestion.replies.select_for_update().order_by("-round").first()
    if reply.is_public == public:
        raise Conflict(_("该答复已经公开。") if public else _("该答复尚未公开。"))
    reply.is_public = public
    reply.published_at = timezone.now() if public else None
    reply.save(update_fields=["is_public", "published_at"])
    _record(suggestion, step, by, from_state=suggestion.state)
    return suggestion


@transaction.atomic
def publish_reply(suggestion, *, by):
    """Staff publish the latest reply on the public page (title, unit, class and reply text only)."""
    return _set_public(suggestion, by, Step.PUBLISH, True)


@transaction.atomic
def unpublish_reply(suggestion, *, by):
    """Staff take the latest reply off the public page."""
    return _set_public(suggestion, by, Step.UNPUBLISH, False)


# --- Scheduled work ---------------------------------------------------------------------------


def _existing_keys(keys):
    return set(Notification.objects.filter(key__in=keys).values_list("key", flat=True))


def _users_by_unit(unit_ids):
    users = {}
    for user in _unit_users(unit_ids):
        users.setdefault(user.handling_unit_id, []).append(user)
    return users


def send_deadline_reminders(today=None):
    """Daily: remind the units SUGGESTION_REMINDER_DAYS (30, 7, 1) days before a deadline and flag
    overdue suggestions. Each notice is keyed by suggestion, round, deadline and threshold, so it
    goes out exactly once however often this runs; a missed day is caught up the next day.
    Returns (reminders sent, suggestions flagged overdue)."""
    today = today or timezone.localdate()
    thresholds = sorted(settings.SUGGESTION_REMINDER_DAYS)
    rows = list(
        Suggestion.objects.filter(state__in=HANDLING, deadline__lte=today + timedelta(days=thresholds[-1]))
        .prefetch_related("assignments")
    )
    users = _users_by_unit({a.unit_id for s in rows for a in s.assignments.all()})
    planned = []
    flagged = 0
    for suggestion in rows:
        left = (suggestion.deadline - today).days
        if left < 0:
            if suggestion.overdue_flagged_for != suggestion.deadline:
                flagged += _flag_overdue(suggestion, users)
            continue
        threshold = next(t for t in thresholds if left <= t)
        for assignment in suggestion.assignments.all():
            for user in users.get(assignment.unit_id, []):
                key = f"suggestion-due:{suggestion.pk}:r{suggestion.round}:{suggestion.deadline}:{threshold}:{user.pk}"
                planned.append((key, user, suggestion, left))
    existing = _existing_keys([key for key, *_rest in planned])
    sent = 0
    for key, user, suggestion, left in planned:
        if key in existing:
            continue
        params = {"suggestion": _label(suggestion), "deadline": suggestion.deadline}
        if not left:
            kind = notices.DUE_TODAY
        else:
            # The last reminder before the deadline also goes by SMS and WeChat.
            kind = notices.DUE_SOON if left <= thresholds[0] else notices.DUE
            params["days"] = left
        if notify(user, key=key, kind=kind, params=params, url=detail_url(suggestion)):
            sent += 1
    return sent, flagged


def _flag_overdue(suggestion, users):
    """Mark a suggestion overdue for its current deadline once (a conditional UPDATE decides who
    flags it when two workers run), with a timeline entry and a notice to the units and staff."""
    with transaction.atomic():
        won = (
            Suggestion.objects.filter(pk=suggestion.pk, state__in=HANDLING, deadline=suggestion.deadline)
            .exclude(overdue_flagged_for=suggestion.deadline)
            .update(overdue_flagged_for=suggestion.deadline)
        )
        if not won:
            return 0
        entry = _record(suggestion, Step.OVERDUE, None, from_state=suggestion.state,
                        note=_("答复期限%(date)s已过，尚未答复。") % {"date": chinese_date(suggestion.deadline)})
        unit_users = [u for a in suggestion.assignments.all() for u in users.get(a.unit_id, [])]
        params = {"suggestion": _label(suggestion), "deadline": suggestion.deadline}
        _tell(unit_users, entry, notices.OVERDUE, params)
        _tell(_staff_for(suggestion), entry, notices.OVERDUE_STAFF, params)
    return 1


def send_progress_reminders(today=None):
    """Monthly: ask the lead unit of every key suggestion still being handled for this month's
    progress report (once per suggestion, month and user). Returns how many were sent."""
    today = today or timezone.localdate()
    month = today.replace(day=1)
    rows = list(
        Suggestion.objects.filter(state__in=HANDLING, is_key=True)
        .exclude(progress_reports__month=month)
        .order_by("pk")
    )
    users = _users_by_unit({s.lead_unit_id for s in rows})
    sent = 0
    for suggestion in rows:
        for user in users.get(suggestion.lead_unit_id, []):
            if notify(
                user, key=f"suggestion-progress:{suggestion.pk}:{month:%Y-%m}:{user.pk}",
                kind=notices.PROGRESS_DUE,
                params={"suggestion": _label(suggestion), "month": month.month, "supervisor": suggestion.supervisor},
                url=detail_url(suggestion),
            ):
                sent += 1
    return sent
