"""One person's data, found by mobile number: what is held, an export, and erasure.

A member of the public may ask what the portal holds about them and that it be erased
(《个人信息保护法》第四十五条、第四十七条). Staff look the person up by the mobile number they
gave; the name alone is not enough to identify someone. Erasure blanks the name and number and
keeps the rest (what was raised, how it was handled) for the county's statistics."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.registry import log
from core.excel import Column, write_sheet
from core.privacy import mask_phone
from opinions.models import Opinion
from privacy.permissions import manage_personal_data
from stations.models import Reception, Visit
from votes.models import ProjectVote, Proposal

ERASED_NAME = "（已清除）"


@dataclass
class PersonRecords:
    phone: str
    opinions: list
    receptions: list
    proposals: list

    @property
    def total(self):
        return len(self.opinions) + len(self.receptions) + len(self.proposals)


def held_by(phone, user):
    """The records holding this mobile number that `user` may see, as querysets: the same
    scope as every list (`visible_to`), so township staff find, export and erase only their
    township's records, and a number held only elsewhere is not found at all."""
    return {
        "opinions": Opinion.objects.visible_to(user).filter(phone=phone),
        "receptions": Reception.objects.filter(
            visitor_phone=phone, visit__in=Visit.objects.visible_to(user).values("pk")
        ),
        "proposals": Proposal.objects.filter(
            contact_phone=phone, vote__in=ProjectVote.objects.visible_to(user).values("pk")
        ),
    }


def find_person(phone, *, by):
    """Every record holding this mobile number that `by` may see (opinions submitted online,
    receptions at a station, livelihood-project proposals)."""
    manage_personal_data.check(by)
    phone = (phone or "").strip()
    held = held_by(phone, by)
    return PersonRecords(
        phone=phone,
        # An opinion raised at a reception is listed once, as the reception.
        opinions=list(
            held["opinions"].filter(reception__isnull=True).select_related("station", "category").order_by("created_at")
        ),
        receptions=list(held["receptions"].select_related("visit__station", "category").order_by("created_at")),
        proposals=list(held["proposals"].select_related("vote").order_by("created_at")),
    )


EXPORT_COLUMNS = [
    Column("kind", _("记录类型"), 12),
    Column("date", _("日期"), 12),
    Column("place", _("站点/项目"), 24),
    Column("name", _("姓名"), 10),
    Column("phone", _("手机号"), 14),
    Column("content", _("内容"), 60),
]


def export_rows(records):
    for opinion in records.opinions:
        yield [
            _("群众意见"), timezone.localtime(opinion.created_at).date().isoformat(), opinion.station.name,
            opinion.name, opinion.phone, opinion.content,
        ]
    for reception in records.receptions:
        yield [
            _("接待群众"), reception.visit.date.isoformat(), reception.visit.station.name,
            reception.visitor_name, reception.visitor_phone, reception.content,
        ]
    for proposal in records.proposals:
        yield [
            _("民生实事项目建议"), timezone.localtime(proposal.created_at).date().isoformat(), str(proposal.vote),
            proposal.contact_name, proposal.contact_phone, f"{proposal.title}：{proposal.description}",
        ]


def write_export(workbook, records, *, by):
    """Add the person's records to `workbook`; the export itself is logged (number masked)."""
    manage_personal_data.check(by)
    write_sheet(workbook, _("个人信息"), EXPORT_COLUMNS, export_rows(records))
    log(
        AuditEntry.Action.EXPORT,
        object_repr=_("导出个人信息 %(phone)s") % {"phone": mask_phone(records.phone)},
        changes={"records": records.total},
    )


@transaction.atomic
def erase_person(phone, *, by):
    """Blank the name and number wherever this mobile number is held within what `by` may see
    (nothing outside it is touched). Returns the counts."""
    manage_personal_data.check(by)
    phone = (phone or "").strip()
    if not phone:
        return {"opinions": 0, "receptions": 0, "proposals": 0}
    now = timezone.now()
    held = held_by(phone, by)
    counts = {
        "opinions": held["opinions"].update(name="", phone="", erased_at=now, updated_at=now),
        "receptions": held["receptions"].update(visitor_name=ERASED_NAME, visitor_phone=""),
        "proposals": held["proposals"].update(contact_name="", contact_phone=""),
    }
    log(
        AuditEntry.Action.DELETE,
        object_repr=_("删除个人信息 %(phone)s") % {"phone": mask_phone(phone)},
        changes=counts,
    )
    return counts
