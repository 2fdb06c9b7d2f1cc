"""The handling units' import (issue 19): each row a unit (matched on its name), in a congress
within the staff member's scope; written by `imports.engine` when staff confirm."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.excel import Column
from divisions.models import Congress, HandlingUnit
from divisions.scope import scope_label, within
from imports.engine import CREATE, UNCHANGED, UPDATE, Importer, changes_since, parse_bool, snapshot
from imports.permissions import import_units

FIELDS = ["name", "short_name", "congress", "contact_person", "contact_phone", "is_active"]

COLUMNS = [
    Column("name", gettext_lazy("单位名称"), 24, required=True),
    Column("short_name", gettext_lazy("简称"), 12),
    Column("congress", gettext_lazy("所属人大"), 22,
           note=gettext_lazy("人大名称（如“连心县人民代表大会”）或地区名称（如“连心县”）；留空为本级人大")),
    Column("contact_person", gettext_lazy("联系人"), 10),
    Column("contact_phone", gettext_lazy("联系电话"), 16),
    Column("is_active", gettext_lazy("启用"), 6, choices=["是", "否"], note=gettext_lazy("留空为是；撤并的单位填“否”，不要删除")),
]

INSTRUCTIONS = [
    [gettext_lazy("说明"), gettext_lazy("每行一个承办单位，按单位名称找到已有单位并更新，找不到的新增。")],
    [gettext_lazy("说明"), gettext_lazy("上传后先预览，确认后才写入；只要有一行有误，整个文件都不会导入。")],
]


class UnitImporter(Importer):
    kind = "units"
    title = gettext_lazy("承办单位")
    columns = COLUMNS
    permission = import_units
    key_column = "name"
    instructions = INSTRUCTIONS
    list_url = ""

    def key(self, texts):
        return texts.get("name") or None

    def load(self, rows, by):
        # The default county's congress is made on first use: before the list is read.
        default = Congress.objects.default()
        congresses = list(Congress.objects.filter(within(by, "region")).select_related("region"))
        names = {texts.get("name") for _n, texts in rows}
        own = by.region_id and next((c for c in congresses if c.region_id == by.region_id), None)
        return {
            "congresses": congresses,
            "by_name": {c.name: c for c in congresses} | {c.region.name: c for c in congresses},
            "units": {u.name: u for u in HandlingUnit.objects.filter(name__in=names).select_related("congress")},
            "allowed": {c.pk for c in congresses},
            "default": own or default,
            "scope": scope_label(by),
        }

    def check(self, result, texts, context, by):
        h = self.header
        result.label = texts.get("name", "")
        if not texts.get("name"):
            result.error(h("name"), _("请填写单位名称。"))
        unit = context["units"].get(texts.get("name")) or HandlingUnit()
        if unit.pk and unit.congress_id not in context["allowed"]:
            result.error(h("name"), _("该单位属于%(scope)s以外的人大，不能修改。") % {"scope": context["scope"]})
            return
        before = snapshot(unit, FIELDS) if unit.pk else {}
        values = {key: texts[key] for key in ("name", "short_name", "contact_person", "contact_phone") if key in texts}
        if texts.get("congress"):
            congress = context["by_name"].get(texts["congress"])
            if congress is None:
                result.error(h("congress"), _("%(scope)s没有名为“%(name)s”的人大。") % {
                    "scope": context["scope"], "name": texts["congress"]})
            else:
                values["congress"] = congress
        elif not unit.pk:
            if context["default"] is None or context["default"].pk not in context["allowed"]:
                result.error(h("congress"), _("请填写所属人大。"))
            else:
                values["congress"] = context["default"]
        if texts.get("is_active"):
            active = parse_bool(texts["is_active"])
            if active is None:
                result.error(h("is_active"), _("请填写“是”或“否”。"))
            else:
                values["is_active"] = active
        elif "is_active" in texts:
            values["is_active"] = True
        for name, value in values.items():
            setattr(unit, name, value)
        self.validate_model(result, unit, ["congress"])
        if result.errors:
            return
        result.target = (unit, before)
        if not unit.pk:
            result.action = CREATE
            return
        result.changes = changes_since(unit, before, h)
        result.action = UPDATE if result.changes else UNCHANGED

    def write(self, result, context, journal, by):
        unit, before = result.target
        created = unit.pk is None
        if not created:
            journal.record(unit, {HandlingUnit._meta.get_field(n).attname: v for n, (v, _t) in before.items()})
        unit.save()
        if created:
            journal.created(unit)
        return unit
