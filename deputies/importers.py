"""The deputies' roster import (issue 19): rows matched on the 身份证号 where the sheet has one,
else on the mobile number (name, township and birth date for a deputy without either), checked,
shown as 新增 / 更新 / 不变 / 错误, written by `imports.engine` when staff confirm. A 身份证号 is
kept only as a keyed hash and its last four characters (`Deputy.set_id_number`)."""

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from core.privacy import mask_id_number
from deputies.models import REGION_LEVEL_OF, Deputy, DeputyGroup, Level, Seat
from deputies.permissions import manage_deputies
from deputies.services import _choice_value, ensure_account, parse_term
from deputies.spreadsheets import IMPORT_COLUMNS, INSTRUCTIONS, primary_seat
from divisions.models import Region, Township
from divisions.scope import scope_label, within
from imports.engine import CREATE, UNCHANGED, UPDATE, Change, Importer, text_of

FIELDS = ["name", "gender", "ethnicity", "birth_date", "party", "level", "term", "constituency",
          "township", "group", "occupation", "sector", "phone", "email", "status"]
# Kept, and put back by undo, beside FIELDS; shown as one change of the 身份证号 column.
ID_FIELDS = ["id_number_digest", "id_number_tail"]
SEAT_FIELDS = ["status", "ended_on", "end_reason"]
USER_FIELDS = ["name", "phone", "email", "is_active"]
MOBILE = re.compile(r"1[3-9]\d{9}")
ADULT_AGE = 18
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def parse_date(text):
    """"1975-03-08", "1975/3/8", "1975.3.8" or "1975年3月8日" -> a date; None when empty;
    ValueError when it is not a date."""
    text = (text or "").strip()
    if not text:
        return None
    match = _DATE.fullmatch(text)
    if not match:
        raise ValueError(text)
    return date(*(int(part) for part in match.groups()))


def id_number_error(text, birth_date):
    """Why a 身份证号 is wrong (None when it is right): 18 characters, its check digit, and the
    birth date it holds."""
    text = text.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", text):
        return _("身份证号应为18位（最后一位可为X）。")
    total = sum(int(digit) * weight for digit, weight in zip(text, _ID_WEIGHTS, strict=False))
    if "10X98765432"[total % 11] != text[-1]:
        return _("身份证号校验位不正确，请核对。")
    if birth_date is not None and text[6:14] != f"{birth_date:%Y%m%d}":
        return _("身份证号中的出生日期与“出生日期”列不一致。")
    return None


def age_on(birth_date, day):
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


@dataclass
class Context:
    today: date
    townships: dict  # name -> [Township]
    allowed: set  # township ids the user may import into
    levels_of: dict  # township id -> the region levels at and above it
    deployment_levels: set  # the region levels the tree has
    groups: dict  # name -> DeputyGroup
    by_phone: dict  # phone -> [Deputy]
    by_id_number: dict  # 身份证号 digest -> Deputy
    by_identity: dict  # (name, township id, birth date) -> [Deputy] for deputies without a phone
    scope: str = ""


@dataclass
class Target:
    deputy: Deputy
    old: dict = field(default_factory=dict)  # field name -> value (id for a foreign key) before
    old_text: dict = field(default_factory=dict)  # field name -> as shown before
    seat: Seat = None
    seat_old: dict = field(default_factory=dict)
    end_reason: str = ""
    ended_on: date = None


class DeputyImporter(Importer):
    kind = "deputies"
    title = _("代表")
    columns = IMPORT_COLUMNS
    permission = manage_deputies
    key_column = "phone"
    instructions = INSTRUCTIONS
    list_url = "deputies:list"
    template_url = "deputies:import_template"

    def key(self, texts):
        return texts.get("phone") or None

    def keys(self, texts):
        # One row per mobile number, and per 身份证号 where the sheet has one.
        return [("phone", self.key(texts)), ("id_number", (texts.get("id_number") or "").upper() or None)]

    def load(self, rows, by):
        townships = {}
        for township in Township.objects.all():
            townships.setdefault(township.name, []).append(township)
        allowed = set(Township.objects.filter(within(by, "")).values_list("pk", flat=True))
        levels = dict(Region.objects.values_list("path", "level"))
        levels_of = {
            t.pk: {levels.get(path) for path in t.ancestor_paths()} for ts in townships.values() for t in ts
        }
        phones = {texts.get("phone") for _number, texts in rows if texts.get("phone")}
        digests = {Deputy.id_number_digest_of(texts["id_number"]) for _number, texts in rows if texts.get("id_number")}
        names = {texts.get("name") for _number, texts in rows if not texts.get("phone")}
        found = Deputy.objects.select_related("township", "group", "user").prefetch_related("seats")
        by_phone, by_identity = {}, {}
        for deputy in found.filter(phone__in=phones) if phones else []:
            by_phone.setdefault(deputy.phone, []).append(deputy)
        by_id_number = {d.id_number_digest: d for d in found.filter(id_number_digest__in=digests)} if digests else {}
        for deputy in found.filter(phone="", name__in=names) if names else []:
            by_identity.setdefault((deputy.name, deputy.township_id, deputy.birth_date), []).append(deputy)
        return Context(
            today=timezone.localdate(), townships=townships, allowed=allowed, levels_of=levels_of,
            deployment_levels=set(levels.values()),
            groups={g.name: g for g in DeputyGroup.objects.all()}, by_phone=by_phone, by_id_number=by_id_number,
            by_identity=by_identity,
            scope=scope_label(by),
        )

    def check(self, result, texts, context, by):
        h = self.header
        result.label = texts.get("name", "")
        errors = result.error
        # Values that need a lookup or a parse; a column missing from the sheet keeps its value.
        values = {}
        for key in ("name", "ethnicity", "party", "constituency", "occupation", "phone", "email"):
            if key in texts:
                values[key] = texts[key]
        if "ethnicity" in values and not values["ethnicity"]:
            values["ethnicity"] = "汉族"
        if not texts.get("name"):
            errors(h("name"), _("请填写姓名。"))
        if texts.get("phone") and not MOBILE.fullmatch(texts["phone"]):
            errors(h("phone"), _("手机号应为11位，以13至19开头，例如 13812345678。"))
        values["gender"] = _choice_value(Deputy.Gender.choices, texts.get("gender"))
        values["level"] = _choice_value(Level.choices, texts.get("level"))
        if "sector" in texts:
            values["sector"] = _choice_value(Deputy.Sector.choices, texts["sector"]) or Deputy.Sector.OTHER
        term = parse_term(texts.get("term"))
        if term is None or term < 1:
            errors(h("term"), _("届次应为数字，如第十八届填 18。"))
        else:
            values["term"] = term
        birth_date = None
        if "birth_date" in texts:
            try:
                birth_date = parse_date(texts["birth_date"])
            except ValueError:
                errors(h("birth_date"), _("日期格式应为 1975-03-08。"))
                birth_date = False
            else:
                if birth_date and birth_date >= context.today:
                    errors(h("birth_date"), _("出生日期应早于今天。"))
                elif birth_date and age_on(birth_date, context.today) < ADULT_AGE:
                    errors(h("birth_date"), _("代表应年满%(age)s周岁。") % {"age": ADULT_AGE})
                values["birth_date"] = birth_date
        if texts.get("id_number"):
            message = id_number_error(texts["id_number"], birth_date or None)
            if message:
                errors(h("id_number"), message)
            else:
                values["id_number"] = texts["id_number"]

        township = self._township(result, texts, context)
        if township is not None:
            values["township"] = township
            level = values["level"]
            region_level = REGION_LEVEL_OF.get(level)
            # A level of a congress in the deployment (市/县/乡镇 where the tree has such regions)
            # must be one above or at the row's township; 全国 and 省 (and 市 in a county alone)
            # are congresses outside the deployment, kept as they are.
            if (region_level in context.deployment_levels
                    and region_level not in context.levels_of.get(township.pk, ())):
                errors(h("level"), _("%(township)s所在地区没有%(level)s级人大。") % {
                    "township": township.name, "level": Level(level).label})
        group_name = texts.get("group", "")
        if group_name:
            group = context.groups.get(group_name)
            if group is None:
                errors(h("group"), _("没有名为“%s”的代表小组。") % group_name)
            elif township is not None and group.township_id not in (None, township.pk):
                errors(h("group"), _("代表小组“%(group)s”属于%(other)s，不属于%(township)s。") % {
                    "group": group_name, "other": group.township, "township": township.name})
            else:
                values["group"] = group
        elif "group" in texts:
            values["group"] = None

        deputy = self._match(result, texts, values, context)
        if deputy is not None and deputy.township_id not in context.allowed:
            errors(h("phone"), _("该手机号已登记为%(scope)s以外的代表，请联系上级人大工作人员。") % {
                "scope": context.scope})
            deputy = None
        target = Target(deputy=deputy or Deputy(status=Deputy.Status.ACTIVE))
        target.old = {f: getattr(target.deputy, Deputy._meta.get_field(f).attname) for f in FIELDS + ID_FIELDS}
        target.old_text = {f: self._display(target.deputy, f) for f in FIELDS} if deputy else {}
        self._leaving(result, texts, values, target, context)

        # An empty 身份证号 cell (the export has none: it is not kept) leaves the stored one as it is.
        if "id_number" in values:
            target.deputy.set_id_number(values.pop("id_number"))
        for name, value in values.items():
            setattr(target.deputy, name, value)
        self._validate(result, target.deputy)
        if result.errors:
            return
        result.target = target
        if deputy is None:
            result.action = CREATE
            return
        result.changes = self._changes(target)
        result.action = UPDATE if result.changes else UNCHANGED

    def _township(self, result, texts, context):
        name = texts.get("township", "")
        candidates = context.townships.get(name, [])
        if not name:
            result.error(self.header("township"), _("请填写所在乡镇。"))
            return None
        if not candidates:
            result.error(self.header("township"), _("没有名为“%s”的乡镇，请按模板中的乡镇名称填写。") % name)
            return None
        mine = [t for t in candidates if t.pk in context.allowed]
        if not mine:
            result.error(self.header("township"), _("您只能导入%(scope)s的代表。") % {"scope": context.scope})
            return None
        if len(mine) > 1:
            result.error(self.header("township"), _("有多个名为“%s”的乡镇，请联系管理员区分名称。") % name)
            return None
        return mine[0]

    def _match(self, result, texts, values, context):
        deputy = self._match_contact(result, texts, values, context)
        if result.errors or "id_number" not in values:
            return deputy
        digest = Deputy.id_number_digest_of(values["id_number"])
        holder = context.by_id_number.get(digest)
        if holder is not None and deputy is not None and holder.pk != deputy.pk:
            result.error(self.header("id_number"), _(
                "该身份证号已登记为代表%(holder)s，而手机号属于代表%(other)s，请核对。"
            ) % {"holder": holder.name, "other": deputy.name})
            return None
        if holder is None and deputy is not None and deputy.id_number_digest not in ("", digest):
            result.error(self.header("id_number"), _(
                "系统中该代表登记的身份证号（%(stored)s）与表中的不一致，请核对。"
            ) % {"stored": deputy.masked_id_number})
            return None
        return holder or deputy

    def _match_contact(self, result, texts, values, context):
        if texts.get("phone"):
            found = context.by_phone.get(texts["phone"], [])
        elif "township" in values:
            found = context.by_identity.get((texts.get("name"), values["township"].pk, values.get("birth_date")), [])
        else:
            found = []
        if len(found) > 1:
            message = (_("系统中有%(n)s名代表使用该手机号，请先在名册中更正。") if texts.get("phone") else
                       _("系统中有%(n)s名同名、同乡镇、同出生日期且没有手机号的代表，请先在名册中补上手机号。"))
            result.error(self.header("phone"), message % {"n": len(found)})
            return None
        return found[0] if found else None

    def _leaving(self, result, texts, values, target, context):
        """状态 / 离任原因 / 离任日期: leaving is a status with a reason and a date."""
        h = self.header
        deputy = target.deputy
        status_text = texts.get("status", "")
        reason_text = texts.get("end_reason", "")
        status = _choice_value(Deputy.Status.choices, status_text) if status_text else None
        if status_text and status not in Deputy.Status.values:
            result.error(h("status"), _("状态只能是“在任”或“终止”。"))
            return
        reason = _choice_value(Seat.EndReason.choices, reason_text) if reason_text else ""
        if reason_text and reason not in Seat.EndReason.values:
            result.error(h("end_reason"), _("离任原因只能是：%s。") % "、".join(map(str, Seat.EndReason.labels)))
            return
        try:
            ended_on = parse_date(texts.get("ended_on"))
        except ValueError:
            result.error(h("ended_on"), _("日期格式应为 2026-06-30。"))
            return
        if reason and status == Deputy.Status.ACTIVE:
            result.error(h("end_reason"), _("在任代表不应填写离任原因；代表离任请把状态改为“终止”。"))
            return
        if status is None and "status" not in texts and not reason:
            return  # the sheet says nothing about leaving: the status stays as it is
        ending = status == Deputy.Status.TERMINATED or bool(reason)
        values["status"] = Deputy.Status.TERMINATED if ending else Deputy.Status.ACTIVE
        if not ending:
            return
        seat = primary_seat(deputy) if deputy.pk else None
        already_ended = deputy.pk and deputy.status == Deputy.Status.TERMINATED
        if not reason and not (already_ended and seat and seat.end_reason):
            result.error(h("end_reason"), _("代表离任请填写离任原因（届满、辞职、罢免、调离）。"))
        if ended_on is None and not (already_ended and seat and seat.ended_on):
            result.error(h("ended_on"), _("代表离任请填写离任日期。"))
        if ended_on and ended_on > context.today:
            result.error(h("ended_on"), _("离任日期不能晚于今天。"))
        target.seat = seat
        target.seat_old = {f: getattr(seat, f) for f in SEAT_FIELDS} if seat else {}
        target.end_reason = reason or (seat.end_reason if seat else "")
        target.ended_on = ended_on or (seat.ended_on if seat else None)

    def _validate(self, result, deputy):
        self.validate_model(result, deputy, ["township", "group", "user", "photo", "birth_date", "term"],
                            validate_constraints=False)

    def _changes(self, target):
        deputy, changes = target.deputy, []
        for name in FIELDS:
            attname = Deputy._meta.get_field(name).attname
            if target.old[name] != getattr(deputy, attname):
                changes.append(Change(self.header(name), target.old_text[name], self._display(deputy, name)))
        if target.old["id_number_digest"] != deputy.id_number_digest:
            changes.append(Change(self.header("id_number"), mask_id_number(target.old["id_number_tail"]),
                                  deputy.masked_id_number))
        if deputy.status == Deputy.Status.TERMINATED:
            seat_old = target.seat_old
            if seat_old.get("end_reason", "") != target.end_reason:
                changes.append(Change(self.header("end_reason"), _label(Seat.EndReason, seat_old.get("end_reason")),
                                      _label(Seat.EndReason, target.end_reason)))
            if seat_old.get("ended_on") != target.ended_on:
                changes.append(Change(self.header("ended_on"), text_of(seat_old.get("ended_on")),
                                      text_of(target.ended_on)))
        return changes

    @staticmethod
    def _display(deputy, name):
        if name in ("township", "group"):
            return str(getattr(deputy, name) or "") if getattr(deputy, f"{name}_id") else ""
        choices = Deputy._meta.get_field(name).choices
        value = getattr(deputy, name)
        if choices:
            return str(dict(choices).get(value, value or ""))
        return text_of(value)

    def write(self, result, context, journal, by):
        target = result.target
        deputy = target.deputy
        created = deputy.pk is None
        if not created:
            # Newest last: undo restores the deputy first (which puts its seat back in step),
            # then its account and its seat's own end reason and date.
            seat = next((s for s in deputy.seats.all() if s.level == target.old["level"]), None)
            if seat is not None:
                journal.before(seat, SEAT_FIELDS)
            if deputy.user_id:
                journal.before(deputy.user, USER_FIELDS)
            journal.record(deputy, {Deputy._meta.get_field(f).attname: v for f, v in target.old.items()})
        deputy.save()
        if created:
            journal.created(deputy)
            journal.created(ensure_account(deputy))
        elif deputy.user_id:
            user = deputy.user
            user.name, user.phone, user.email = deputy.name, deputy.phone, deputy.email
            user.is_active = deputy.status == Deputy.Status.ACTIVE
            user.save(update_fields=USER_FIELDS)
        if deputy.status == Deputy.Status.TERMINATED:
            seat = deputy.seats.filter(level=deputy.level).first()
            reason = target.end_reason or Seat.EndReason.OTHER
            if seat is not None and (seat.status, seat.end_reason, seat.ended_on) != (
                    Seat.Status.ENDED, reason, target.ended_on):
                seat.status, seat.end_reason, seat.ended_on = Seat.Status.ENDED, reason, target.ended_on
                seat.save(update_fields=SEAT_FIELDS)
        return deputy


def _label(choices, value):
    return str(choices(value).label) if value else ""
