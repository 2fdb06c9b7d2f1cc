"""A small county for the loop: a lead deputy and a co-signer in 城关镇, staff (county-wide and
青山镇-only), a lead unit, a co-unit, an unrelated unit, a station manager; and `loop.to(state)`,
which drives a fresh suggestion to any state through the services."""

from dataclasses import dataclass, field
import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Role
from suggestions import services
from suggestions.models import Category, Rating, State
from tests.factories import DeputyFactory, HandlingUnitFactory, TownshipFactory, UserFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf_file(name="答复.pdf"):
    return ContentFile(PDF_BYTES, name=name)


def reply_data(**overrides):
    data = {
        "result_class": "A", "text": "已安排资金，年内完成道路修复。", "attachment": pdf_file(),
        "contact_person": "李华", "contact_phone": "0510-1234567",
    }
    data.update(overrides)
    return data


@dataclass
class Loop:
    township: object
    category: object
    lead: object  # the lead deputy's user
    cosigner: object
    other_deputy: object
    staff: object
    township_staff: object  # limited to another township
    admin: object
    lead_unit_user: object
    co_unit_user: object
    other_unit_user: object
    manager: object
    lead_unit: object
    co_unit: object
    created: list = field(default_factory=list)

    def draft(self, **fields):
        values = {
            "title": "修复城关镇中心路坑洼路面", "content": "中心路多处坑洼，雨天积水，群众出行不便。",
            "category": self.category, "cosigners": [self.cosigner.deputy],
        }
        values.update(fields)
        suggestion = services.create_draft(by=self.lead, **values)
        self.created.append(suggestion)
        return suggestion

    def submit(self, suggestion):
        return services.submit_suggestion(suggestion, by=self.lead)

    def assign(self, suggestion):
        return services.assign_suggestion(
            suggestion, by=self.staff, lead_unit=self.lead_unit, co_units=[self.co_unit]
        )

    def reply(self, suggestion, **overrides):
        services.record_contact(
            suggestion, by=self.lead_unit_user, contacted_on=timezone.localdate(), method="phone",
            note="电话沟通",
        )
        return services.reply_suggestion(suggestion, by=self.lead_unit_user, **reply_data(**overrides))

    def evaluate(self, suggestion, rating, comment="仍未解决"):
        return services.evaluate_suggestion(suggestion, by=self.lead, rating=rating, comment=comment)

    def to(self, state, suggestion=None, **draft_fields):
        """A suggestion in `state`, reached through the services as people would."""
        s = suggestion or self.draft(**draft_fields)
        if state == State.DRAFT:
            return s
        if state == State.WITHDRAWN:
            return services.withdraw_suggestion(s, by=self.lead, reason="重复提出")
        s = self.submit(s)
        if state == State.SUBMITTED:
            return s
        if state == State.REFERENCE:
            return services.convert_to_reference(s, by=self.staff, reason="属于工作意见，作为参阅件")
        if state == State.MERGED:
            target = self.submit(self.draft(title="中心路路面修复"))
            return services.merge_suggestion(s, by=self.staff, into=target)
        s = services.accept_suggestion(s, by=self.staff)
        if state == State.ACCEPTED:
            return s
        s = self.assign(s)
        if state == State.ASSIGNED:
            return s
        s = self.reply(s)
        if state == State.REPLIED:
            return s
        if state in (State.EVALUATED, State.CLOSED):
            s = self.evaluate(s, Rating.SATISFIED, "")
            if state == State.EVALUATED:
                return s
            return services.close_suggestion(s, by=self.staff)
        s = self.evaluate(s, Rating.UNSATISFIED)
        if state == State.REHANDLING:
            return s
        s = self.reply(s, result_class="B")
        s = self.evaluate(s, Rating.UNSATISFIED, "重新办理后仍不满意")
        assert state == State.HEARING
        return s


def make_loop():
    township = TownshipFactory(name="城关镇")
    other_township = TownshipFactory(name="青山镇")
    category = Category.objects.get_or_create(name="交通运输")[0]

    def deputy_user(username, name):
        user = UserFactory(role=Role.DEPUTY, username=username, name=name)
        DeputyFactory(name=name, township=township, user=user)
        return user

    lead_unit = HandlingUnitFactory(name="县交通运输局")
    co_unit = HandlingUnitFactory(name="县教育局")
    other_unit = HandlingUnitFactory(name="县水利局")
    return Loop(
        township=township,
        category=category,
        lead=deputy_user("lead_deputy", "张三丽"),
        cosigner=deputy_user("cosigner", "李四"),
        other_deputy=deputy_user("other_deputy", "王五"),
        staff=UserFactory(role=Role.STAFF, username="staff1"),
        township_staff=UserFactory(role=Role.STAFF, username="staff_qs", region=other_township),
        admin=UserFactory(role=Role.ADMIN, username="admin1"),
        lead_unit_user=UserFactory(role=Role.UNIT, username="unit_lead", handling_unit=lead_unit),
        co_unit_user=UserFactory(role=Role.UNIT, username="unit_co", handling_unit=co_unit),
        other_unit_user=UserFactory(role=Role.UNIT, username="unit_other", handling_unit=other_unit),
        manager=UserFactory(role=Role.STATION_MANAGER, username="manager1"),
        lead_unit=lead_unit,
        co_unit=co_unit,
    )


@pytest.fixture
def loop(db):
    return make_loop()
