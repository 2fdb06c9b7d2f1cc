"""The stations' import (issue 19): each row a station (matched on its township and name) with
its member deputies (by mobile number) and leader; written by `imports.engine` when staff
confirm."""

import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.excel import Column
from deputies.models import Deputy
from divisions.models import Township
from divisions.scope import scope_label, within
from imports.engine import (
    CREATE, UNCHANGED, UPDATE, Change, Importer, changes_since, choice_value, parse_bool, snapshot,
)
from stations.models import Station, StationMembership
from stations.permissions import create_stations

FIELDS = ["name", "kind", "mode", "township", "address", "opening_hours", "is_active"]
_MOBILE = re.compile(r"1[3-9]\d{9}")
_SEPARATORS = re.compile(r"[、,，;；\n]+")

COLUMNS = [
    Column("name", gettext_lazy("站点名称"), 24, required=True),
    Column("township", gettext_lazy("所在乡镇"), 12, required=True, note=gettext_lazy("须与系统中的乡镇名称一致")),
    Column("kind", gettext_lazy("类型"), 12, choices=[c.label for c in Station.Kind]),
    Column("mode", gettext_lazy("形式"), 10, choices=[c.label for c in Station.Mode]),
    Column("address", gettext_lazy("地址"), 30),
    Column("opening_hours", gettext_lazy("开放时间"), 16),
    Column("is_active", gettext_lazy("启用"), 6, choices=["是", "否"], note=gettext_lazy("留空为是；停用请填“否”，不要删除")),
    Column("members", gettext_lazy("驻站代表手机号"), 40,
           note=gettext_lazy("用顿号或逗号分隔，可写成“王建国13912340001”；填写后驻站代表即为所列代表，留空则不改动")),
    Column("leader", gettext_lazy("站长手机号"), 14, note=gettext_lazy("须是驻站代表之一")),
]

INSTRUCTIONS = [
    [gettext_lazy("说明"), gettext_lazy("每行一个家室站点，按“所在乡镇 + 站点名称”找到已有站点并更新，找不到的新增。")],
    [gettext_lazy("说明"), gettext_lazy("上传后先预览，确认后才写入；只要有一行有误，整个文件都不会导入。")],
]


@dataclass
class Target:
    station: Station
    before: dict = field(default_factory=dict)
    members: list = None  # [Deputy] when the sheet lists them
    leader: Deputy = None
    memberships: list = field(default_factory=list)  # the station's memberships now


class StationImporter(Importer):
    kind = "stations"
    title = gettext_lazy("站点")
    columns = COLUMNS
    permission = create_stations
    key_column = "name"
    instructions = INSTRUCTIONS
    list_url = "stations:list"

    def key(self, texts):
        return (texts.get("township", ""), texts.get("name", "")) if texts.get("name") else None

    def load(self, rows, by):
        townships = {}
        for township in Township.objects.filter(within(by, "")):
            townships.setdefault(township.name, []).append(township)
        allowed = {t.pk for ts in townships.values() for t in ts}
        names = {texts.get("name") for _n, texts in rows}
        stations = {}
        for station in Station.objects.filter(name__in=names).select_related("township").prefetch_related(
                "memberships__deputy"):
            stations.setdefault((station.township_id, station.name), []).append(station)
        phones = set()
        for _n, texts in rows:
            phones.update(_MOBILE.findall(texts.get("members", "") + " " + texts.get("leader", "")))
        deputies = {}
        for deputy in Deputy.objects.filter(phone__in=phones):
            deputies.setdefault(deputy.phone, []).append(deputy)
        return {"townships": townships, "allowed": allowed, "stations": stations, "deputies": deputies,
                "scope": scope_label(by), "all_townships": set(Township.objects.values_list("name", flat=True))}

    def check(self, result, texts, context, by):
        h = self.header
        result.label = texts.get("name", "")
        if not texts.get("name"):
            result.error(h("name"), _("请填写站点名称。"))
        township = self._township(result, texts, context)
        found = context["stations"].get((township.pk, texts.get("name")), []) if township else []
        if len(found) > 1:
            result.error(h("name"), _("%(township)s有%(n)s个同名站点，请先在系统中区分名称。") % {
                "township": township.name, "n": len(found)})
        station = found[0] if len(found) == 1 else Station()
        target = Target(station=station, before=snapshot(station, FIELDS) if station.pk else {})
        values = {"name": texts.get("name", "")}
        if township:
            values["township"] = township
        for key, choices in (("kind", Station.Kind.choices), ("mode", Station.Mode.choices)):
            if texts.get(key):
                value = choice_value(choices, texts[key])
                if value is None:
                    result.error(h(key), _("只能填写：%s。") % "、".join(str(label) for _v, label in choices))
                else:
                    values[key] = value
        for key in ("address", "opening_hours"):
            if key in texts:
                values[key] = texts[key]
        if texts.get("is_active"):
            active = parse_bool(texts["is_active"])
            if active is None:
                result.error(h("is_active"), _("请填写“是”或“否”。"))
            else:
                values["is_active"] = active
        elif "is_active" in texts:
            values["is_active"] = True
        self._members(result, texts, context, target)
        for name, value in values.items():
            setattr(station, name, value)
        self.validate_model(result, station, ["township", "named_after", "manager", "duty_rule", "photo", "code"])
        if result.errors:
            return
        result.target = target
        if not station.pk:
            result.action = CREATE
            return
        result.changes = changes_since(station, target.before, h) + self._member_changes(target)
        result.action = UPDATE if result.changes else UNCHANGED

    def _township(self, result, texts, context):
        name = texts.get("township", "")
        found = context["townships"].get(name, [])
        if not name:
            result.error(self.header("township"), _("请填写所在乡镇。"))
        elif not found:
            message = (_("您只能导入%(scope)s的站点。") % {"scope": context["scope"]}
                       if name in context["all_townships"] else _("没有名为“%s”的乡镇。") % name)
            result.error(self.header("township"), message)
        elif len(found) > 1:
            result.error(self.header("township"), _("有多个名为“%s”的乡镇，请联系管理员区分名称。") % name)
        else:
            return found[0]
        return None

    def _deputy(self, result, column, token, context):
        phones = _MOBILE.findall(token)
        if len(phones) != 1:
            result.error(self.header(column), _("“%s”不是手机号，请填写驻站代表的11位手机号。") % token)
            return None
        found = context["deputies"].get(phones[0], [])
        if len(found) != 1:
            result.error(self.header(column), _("没有手机号为%s的代表（或有多名），请先导入代表名册。") % phones[0])
            return None
        deputy = found[0]
        if deputy.township_id not in context["allowed"]:
            result.error(self.header(column), _("手机号%(phone)s的代表不在%(scope)s。") % {
                "phone": phones[0], "scope": context["scope"]})
            return None
        if deputy.status != Deputy.Status.ACTIVE:
            result.error(self.header(column), _("%s已离任，不能编入站点。") % deputy.name)
            return None
        return deputy

    def _members(self, result, texts, context, target):
        target.memberships = list(target.station.memberships.all()) if target.station.pk else []
        if texts.get("members"):
            tokens = [t.strip() for t in _SEPARATORS.split(texts["members"]) if t.strip()]
            members = [self._deputy(result, "members", token, context) for token in tokens]
            if all(members):
                target.members = list({m.pk: m for m in members}.values())
        if texts.get("leader"):
            leader = self._deputy(result, "leader", texts["leader"], context)
            listed = target.members if target.members is not None else [m.deputy for m in target.memberships]
            if leader and leader.pk not in {m.pk for m in listed}:
                result.error(self.header("leader"), _("站长须是本站驻站代表之一。"))
            target.leader = leader

    def _member_changes(self, target):
        now = {m.deputy_id: m for m in target.memberships}
        changes = []
        if target.members is not None:
            wanted = {d.pk: d for d in target.members}
            added = [d.name for pk, d in wanted.items() if pk not in now]
            removed = [m.deputy.name for pk, m in now.items() if pk not in wanted]
            if added or removed:
                changes.append(Change(self.header("members"), "、".join(removed) and _("移出：") + "、".join(removed),
                                      "、".join(added) and _("编入：") + "、".join(added)))
        if target.leader is not None:
            old = next((m.deputy.name for m in target.memberships if m.is_leader), "")
            if old != target.leader.name or not now.get(target.leader.pk, None) or not now[target.leader.pk].is_leader:
                if not (target.leader.pk in now and now[target.leader.pk].is_leader):
                    changes.append(Change(self.header("leader"), old, target.leader.name))
        return changes

    def write(self, result, context, journal, by):
        target = result.target
        station = target.station
        created = station.pk is None
        if not created:
            journal.record(station, {self._attname(n): v for n, (v, _t) in target.before.items()})
        station.save()
        if created:
            journal.created(station)
        now = {m.deputy_id: m for m in target.memberships}
        if target.members is not None:
            wanted = {d.pk for d in target.members}
            for deputy_id, membership in now.items():
                if deputy_id not in wanted:
                    journal.deleted(membership)
                    membership.delete()
            for deputy in target.members:
                if deputy.pk not in now:
                    membership = StationMembership.objects.create(
                        station=station, deputy=deputy, joined_on=timezone.localdate())
                    journal.created(membership)
                    now[deputy.pk] = membership
        if target.leader is not None:
            for deputy_id, membership in now.items():
                should = deputy_id == target.leader.pk
                if membership.pk and membership.is_leader != should and StationMembership.objects.filter(
                        pk=membership.pk).exists():
                    journal.before(membership, ["is_leader"])
                    membership.is_leader = should
                    membership.save(update_fields=["is_leader"])
        return station

    @staticmethod
    def _attname(name):
        return Station._meta.get_field(name).attname
