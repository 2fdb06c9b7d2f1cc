"""What changes deputies: create, update, end a mandate. The Excel import is `deputies.importers`."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from audit.models import AuditEntry
from audit.registry import log
from deputies.models import Deputy, Seat
from deputies.permissions import manage_deputies
from divisions.scope import covers, scope_label


def check_can_manage(by, township):
    """Staff manage deputies; a staff member limited to a region manages only its deputies."""
    manage_deputies.check(by)
    if not covers(by, township):
        raise PermissionDenied(_("您只能管理%(scope)s的代表。") % {"scope": scope_label(by)})


def ensure_account(deputy):
    """Give a deputy a sign-in account (username: the mobile number when free, else deputy<id>).
    The password stays unusable until staff set one."""
    if deputy.user_id:
        return deputy.user
    User = get_user_model()
    username = deputy.phone if deputy.phone and not User.objects.filter(username=deputy.phone).exists() else f"deputy{deputy.pk}"
    user = User(username=username, name=deputy.name, phone=deputy.phone, email=deputy.email, role=Role.DEPUTY)
    user.set_unusable_password()
    user.save()
    deputy.user = user
    deputy.save(update_fields=["user"])
    return user


@transaction.atomic
def create_deputy(*, by, **fields):
    """Register a deputy and their account."""
    township = fields.get("township")
    check_can_manage(by, township)
    deputy = Deputy(**fields)
    deputy.full_clean()
    deputy.save()
    ensure_account(deputy)
    return deputy


@transaction.atomic
def update_deputy(deputy, *, by, **fields):
    """Change a deputy's record; ending the mandate also disables the account."""
    check_can_manage(by, deputy.township)
    for name, value in fields.items():
        setattr(deputy, name, value)
    check_can_manage(by, deputy.township)
    deputy.full_clean()
    deputy.save()
    if deputy.user_id:
        user = deputy.user
        user.name, user.phone, user.email = deputy.name, deputy.phone, deputy.email
        user.is_active = deputy.status == Deputy.Status.ACTIVE
        user.save(update_fields=["name", "phone", "email", "is_active"])
    return deputy


_CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def parse_term(text):
    """"18", "第18届" or "第十八届" -> 18; None when it is not a term."""
    text = (text or "").strip().removeprefix("第").removesuffix("届")
    if text.isdigit():
        return int(text)
    if text and all(ch in _CHINESE_DIGITS or ch == "十" for ch in text):
        if "十" in text:
            tens, _sep, units = text.partition("十")
            return (_CHINESE_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CHINESE_DIGITS.get(units, 0) if units else 0)
        return _CHINESE_DIGITS.get(text) if len(text) == 1 else None
    return None


def _choice_value(choices, text):
    """Accept a choice's Chinese label ("县", "县级") or its code ("county")."""
    text = (text or "").strip()
    for value, label in choices:
        if text in (str(label), f"{label}级", value):
            return value
    return text


# --- Session attendance (出席代表大会) ----------------------------------------------------------


def session_deputies(session):
    """The deputies expected at a session: those with an active seat in its congress and term."""
    return Deputy.objects.active().filter(
        pk__in=Seat.objects.active().filter(congress_id=session.congress_id, term=session.term).values("deputy_id")
    )


@transaction.atomic
def record_session_attendance(session, *, by, statuses, notes=None):
    """Record (or correct) who attended a session, who was excused (请假) and who was absent.

    `statuses` maps deputy ids to a SessionAttendance.Status; deputies outside the session's
    congress or outside a township staff member's scope are refused. Returns the rows written."""
    from deputies.models import SessionAttendance

    manage_deputies.check(by)
    notes = notes or {}
    allowed = set(
        session_deputies(session).visible_to(by).filter(pk__in=list(statuses)).values_list("pk", flat=True)
    )
    unknown = set(statuses) - allowed
    if unknown:
        raise PermissionDenied(_("有代表不属于本次会议或不在您的管理范围内。"))
    valid = set(SessionAttendance.Status.values)
    if any(status not in valid for status in statuses.values()):
        raise ValidationError(_("出席情况只能是出席、请假或缺席。"))
    existing = {
        row.deputy_id: row for row in SessionAttendance.objects.filter(session=session, deputy_id__in=allowed)
    }
    new, changed = [], []
    for deputy_id, status in statuses.items():
        note = (notes.get(deputy_id) or "").strip()[:200]
        row = existing.get(deputy_id)
        if row is None:
            new.append(SessionAttendance(session=session, deputy_id=deputy_id, status=status, note=note, recorded_by=by))
        elif row.status != status or row.note != note:
            row.status, row.note, row.recorded_by, row.recorded_at = status, note, by, timezone.now()
            changed.append(row)
    SessionAttendance.objects.bulk_create(new)
    SessionAttendance.objects.bulk_update(changed, ["status", "note", "recorded_by", "recorded_at"])
    if new or changed:
        log(
            AuditEntry.Action.UPDATE,
            session,
            changes={"attendance": {str(r.deputy_id): r.status for r in [*new, *changed]}},
        )
    return new + changed


SERVING_ATTRIBUTE = "_deputy_serving"


def is_serving(user):
    """Does this deputy account still hold a seat (席位) in force? A deputy whose every seat has
    ended (届满, 辞职, 罢免, 调离: `Seat.status` 终止) loses every deputy function and cannot sign
    in; one who still sits in another congress keeps their account, and each congress's own
    functions check that congress's seat (`votes.services.ballots._check_seat`). An account with
    no deputy record is left to the pages' own message. One query, which also loads the user's
    deputy record for the page (so a deputy's request costs no extra query)."""
    cached = getattr(user, SERVING_ATTRIBUTE, None)
    if cached is not None:
        return cached
    deputy = (
        Deputy.objects.filter(user=user)
        .annotate(serving=Exists(Seat.objects.filter(deputy=OuterRef("pk"), status=Seat.Status.ACTIVE)))
        .first()
    )
    if deputy is not None:
        user.deputy = deputy  # kept on the user: the page's own `user.deputy` needs no query
    serving = deputy is None or deputy.serving
    setattr(user, SERVING_ATTRIBUTE, serving)
    return serving
