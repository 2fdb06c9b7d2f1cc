"""The seeded world the security tests walk: the demo county (`seed_demo`), its accounts of every
role, and for each URL parameter an object one of those accounts owns ("own") and one that
belongs to somebody else ("other": another deputy, another unit, another township).

`ROLES` are the columns of every table in tests/security: anonymous, the demo deputy (城关镇),
the manager of 城关镇人大代表之家, the unit 县交通运输局, staff limited to 青山镇, county staff
and the admin."""

import importlib
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

ROLES = ("anon", "deputy", "manager", "unit", "staff_qs", "staff", "admin")
# The region matrix's columns: every signed-in role above, the second county's staff (临江区) and
# the city's (示范市). `staff` is 连心县's, `staff_qs` 青山镇's (in 连心县).
REGION_ROLES = ("deputy", "manager", "unit", "staff_qs", "staff", "county2_staff", "city_staff", "admin")
USERNAMES = {"deputy": "deputy", "manager": "manager", "unit": "unit", "staff_qs": "staff_qs",
             "staff": "staff", "admin": "admin", "county2_staff": "county2_staff", "city_staff": "city_staff"}

# Data migrations whose rows the demo needs; a TransactionTestCase flush earlier in the run
# removes them, so they are put back first (each is idempotent).
DATA_MIGRATIONS = [
    ("stations.migrations.0002_default_categories_and_duty_rule", "stations"),
    ("suggestions.migrations.0002_default_categories", "suggestions"),
]


def put_back_migration_data():
    for module_name, _app in DATA_MIGRATIONS:
        module = importlib.import_module(module_name)
        for operation in module.Migration.operations:
            if hasattr(operation, "code"):
                operation.code(apps, None)


def seed():
    # Seeded here, not copied from the run's shared snapshot (tests/demo_snapshot.py): after a
    # flush the migration data put back above has new ids, which the snapshot's rows do not know.
    put_back_migration_data()
    call_command("seed_demo", verbosity=0)


@dataclass
class World:
    users: dict = field(default_factory=dict)
    own: dict = field(default_factory=dict)
    other: dict = field(default_factory=dict)
    # Records of the second county (临江区): no role bound to 连心县 or under it may reach them.
    county2: dict = field(default_factory=dict)

    def kwargs(self, name, which="own"):
        """URL kwargs for the route `name` from the objects in `own`, `other` or `county2`."""
        values = {"own": self.own, "other": self.other, "county2": self.county2}[which]
        return {
            kwarg: key[1:] if key.startswith("=") else values[key]
            for kwarg, key in ROUTE_PARAMETERS.get(name, {}).items()
        }


def first(queryset, what):
    obj = queryset.first()
    assert obj is not None, f"the demo county has no {what}"
    return obj


def build():
    """Pick the objects of the world from the seeded demo county."""
    from django.core.files.base import ContentFile

    from deputies.models import CongressSession, Deputy
    from imports.models import ImportBatch
    from opinions.models import Opinion
    from points.models import PointRule
    from reports.models import GeneratedReport
    from stations import calendar
    from stations.models import (
        Activity, ActivitySignup, Category, DutyAssignment, DutyRule, Holiday, LearningMaterial,
        Reception, Station, StationMembership, SwapRequest, Visit, VisitPhoto,
    )
    from suggestions.models import Reply, Suggestion
    from tests.stations.conftest import jpeg_bytes
    from votes.models import Candidate, FeasibilityRequest, Milestone

    User = get_user_model()
    world = World(users={role: User.objects.get(username=name) for role, name in USERNAMES.items()})
    deputy = world.users["deputy"].deputy
    unit = world.users["unit"].handling_unit
    home = Station.objects.get(manager=world.users["manager"])
    # "Elsewhere": neither the home township (城关镇) nor staff_qs's (青山镇).
    mine = [home.township_id, world.users["staff_qs"].region_id]
    far = first(Station.objects.exclude(township__in=mine).order_by("pk"), "station in a third township")
    other_deputy = first(Deputy.objects.exclude(township__in=mine)
                         .filter(user__isnull=False).order_by("pk"), "deputy in a third township")

    own_suggestion = first(Suggestion.objects.filter(lead_deputy=deputy, assignments__unit=unit).order_by("pk"),
                           "suggestion of the demo deputy handled by the demo unit")
    other_draft = first(Suggestion.objects.filter(state="draft").exclude(lead_deputy=deputy).order_by("pk"),
                        "another deputy's draft")
    own_reply = Reply.objects.filter(suggestion=own_suggestion).order_by("round").first()
    public_reply = first(Reply.objects.filter(published_at__isnull=False).order_by("pk"), "published reply")
    own_opinion = first(Opinion.objects.filter(station=home).order_by("pk"), "opinion at the home station")
    other_opinion = first(Opinion.objects.exclude(station__township__in=mine).filter(unit__isnull=True)
                          .order_by("pk"), "opinion elsewhere")
    candidate = first(Candidate.objects.filter(proposal__isnull=False).order_by("-vote__year", "pk"),
                      "candidate from a proposal")
    project = first(Candidate.objects.filter(milestones__isnull=False).order_by("pk"), "project with milestones")
    own_visit = first(Visit.objects.filter(deputy=deputy, receptions__isnull=False).order_by("pk"),
                      "visit with receptions by the demo deputy")
    other_visit = first(Visit.objects.exclude(station__township__in=mine).filter(receptions__isnull=False)
                        .filter(station__township__path__startswith=world.users["staff"].region.path)
                        .order_by("pk"), "visit with receptions elsewhere")
    assignment = first(DutyAssignment.objects.filter(deputy=deputy).order_by("-shift__date"), "duty assignment")
    # Elsewhere in the demo county (临江区's records are world.county2's, for the region matrix).
    county = world.users["staff"].region
    other_assignment = first(DutyAssignment.objects.exclude(deputy=deputy).exclude(shift__station__township__in=mine)
                             .filter(shift__station__township__path__startswith=county.path)
                             .order_by("-shift__date"), "another deputy's duty")
    photo = VisitPhoto.objects.filter(visit=own_visit).first() or VisitPhoto.objects.create(
        visit=own_visit, image=ContentFile(jpeg_bytes(), name="security-world.jpg"))
    common = {
        "session": first(CongressSession.objects.order_by("pk"), "session").pk,
        "category": first(Category.objects.order_by("pk"), "category").pk,
        "rule": first(DutyRule.objects.order_by("pk"), "duty rule").pk,
        "holiday": first(Holiday.objects.order_by("pk"), "holiday").pk,
        "activity": first(Activity.objects.order_by("pk"), "activity").pk,
        "signup": first(ActivitySignup.objects.order_by("pk"), "activity sign-up").pk,
        "material": first(LearningMaterial.objects.order_by("pk"), "material").pk,
        "vote": candidate.vote_id, "proposal": candidate.proposal_id, "candidate": candidate.pk,
        "project": project.pk,
        "milestone": first(Milestone.objects.filter(candidate=project).order_by("pk"), "milestone").pk,
        "feasibility": first(FeasibilityRequest.objects.order_by("pk"), "feasibility request").pk,
        "point_rule": first(PointRule.objects.order_by("pk"), "point rule").pk,
        # A report still queued: its file route answers 404 to everybody, its page to staff.
        "report": (GeneratedReport.objects.order_by("pk").first() or GeneratedReport.objects.create(
            year=2026, requested_by=world.users["staff"])).pk,
        "public_reply": public_reply.pk,
        # The demo deputy's pending swap request (their own; another deputy's is in `other`).
        "swap": (SwapRequest.objects.filter(requested_by=deputy).first() or SwapRequest.objects.create(
            assignment=assignment, requested_by=deputy, reason="家中有事")).pk,
        "media_path": photo.image.name,
        # A roster upload county staff are previewing (theirs: another staff member's is 404).
        "import_batch": ImportBatch.objects.get_or_create(
            kind="deputies", status=ImportBatch.Status.PENDING, uploaded_by=world.users["staff"])[0].pk,
    }
    world.own = {
        **common,
        "deputy": deputy.pk, "group": deputy.group_id, "region": home.township_id,
        "station": home.pk, "station_code": home.code,
        "membership": first(StationMembership.objects.filter(station=home).order_by("pk"), "membership").pk,
        "visit": own_visit.pk,
        "reception": first(Reception.objects.filter(visit=own_visit).order_by("pk"), "reception").pk,
        "assignment": assignment.pk, "shift": assignment.shift_id,
        "feed_token": calendar.feed_token(deputy),
        "opinion": own_opinion.pk, "tracking_code": own_opinion.tracking_code,
        "suggestion": own_suggestion.pk,
        "attachment": (own_suggestion.attachments.first() or own_suggestion.attachments.create(
            name="现场照片.jpg", file=ContentFile(jpeg_bytes(), name="security-world.jpg"))).pk,
        "round": own_reply.round if own_reply else 1,
    }
    world.other = {
        **world.own,
        "deputy": other_deputy.pk, "group": other_deputy.group_id, "region": far.township_id,
        "station": far.pk,
        "membership": first(StationMembership.objects.filter(station=far).order_by("pk"),
                            "membership elsewhere").pk,
        "visit": other_visit.pk,
        "reception": first(Reception.objects.filter(visit=other_visit), "reception elsewhere").pk,
        "assignment": other_assignment.pk, "shift": other_assignment.shift_id,
        "opinion": other_opinion.pk,
        "suggestion": other_draft.pk,
        "swap": SwapRequest.objects.get_or_create(
            assignment=other_assignment, requested_by=other_assignment.deputy, defaults={"reason": "外出学习"})[0].pk,
    }
    world.county2 = county2_records(world)
    return world


def county2_records(world):
    """The second county's records for each URL parameter that names a region-owned record: a
    deputy, township, station with its members, roster and visits, an opinion and a suggestion of
    临江区 (as `other`, the rest stays the demo county's)."""
    from deputies.models import Deputy
    from opinions.models import Opinion
    from stations.models import DutyAssignment, Reception, Station, StationMembership, Visit
    from suggestions.models import Suggestion

    district = world.users["county2_staff"].region
    inside = {"township__path__startswith": district.path}
    station = first(Station.objects.filter(**inside).order_by("pk"), "station in 临江区")
    visit = first(Visit.objects.filter(station=station, receptions__isnull=False).order_by("pk"),
                  "visit with receptions in 临江区")
    assignment = first(DutyAssignment.objects.filter(shift__station=station).order_by("-shift__date"),
                       "duty in 临江区")
    deputy = first(Deputy.objects.filter(**inside, user__isnull=False).order_by("pk"), "deputy in 临江区")
    opinion = first(Opinion.objects.filter(station__township__path__startswith=district.path, unit__isnull=True)
                    .order_by("pk"), "opinion in 临江区")
    suggestion = first(Suggestion.objects.filter(congress__region=district).exclude(state="draft").order_by("pk"),
                       "suggestion of 临江区's congress")
    return {
        **world.other,
        "deputy": deputy.pk, "group": deputy.group_id, "region": station.township_id,
        "station": station.pk,
        "membership": first(StationMembership.objects.filter(station=station).order_by("pk"), "membership").pk,
        "visit": visit.pk, "reception": first(Reception.objects.filter(visit=visit), "reception").pk,
        "assignment": assignment.pk, "shift": assignment.shift_id,
        "opinion": opinion.pk, "suggestion": suggestion.pk,
    }


# Which world object fills each URL parameter ("=value": that literal value).
ROUTE_PARAMETERS = {
    # API (DRF routers)
    "deputy-detail": {"pk": "deputy"},
    "region-detail": {"pk": "region"},
    "station-detail": {"pk": "station"},
    "membership-detail": {"pk": "membership"},
    "shift-detail": {"pk": "shift"},
    "visit-detail": {"pk": "visit"},
    "visit-photos": {"pk": "visit"},
    **{f"activity-{a}": {"pk": "activity"} for a in ("detail", "attendance", "cancel", "sign-up", "withdraw")},
    "signup-detail": {"pk": "signup"},
    "public-opinion-detail": {"tracking_code": "tracking_code"},
    "public-opinion-rating": {"tracking_code": "tracking_code"},
    **{f"opinion-{a}": {"pk": "opinion"}
       for a in ("detail", "accept", "adopt", "answer", "refer", "reply", "return-referral", "reveal", "transfer")},
    **{f"suggestion-{a}": {"pk": "suggestion"} for a in (
        "detail", "accept", "assign", "close", "contact", "convert", "cosign", "decline", "edit",
        "evaluate", "grant-extension", "hearing", "input", "invite", "merge", "progress", "publish",
        "refuse-extension", "reply", "request-extension", "submit", "supervise", "transfer", "unpublish",
        "withdraw")},
    "vote-detail": {"pk": "vote"},
    "vote-ballots": {"pk": "vote"},
    "vote-results": {"pk": "vote"},
    "point-deputy": {"pk": "deputy"},
    "point-rule-detail": {"pk": "point_rule"},
    "annual-report-detail": {"pk": "report"},
    # Pages
    "deputies:session_attendance": {"pk": "session"},
    "deputies:detail": {"pk": "deputy"},
    "deputies:update": {"pk": "deputy"},
    "imports:upload": {"kind": "=deputies"},
    "imports:template": {"kind": "=stations"},
    "imports:preview": {"pk": "import_batch"},
    "imports:undo": {"pk": "import_batch"},
    "stations:public": {"code": "station_code"},
    "stations:category_update": {"pk": "category"},
    **{f"stations:{n}": {"pk": "station"} for n in ("detail", "update", "members", "qr_svg", "qr_png", "poster")},
    "stations:member_remove": {"pk": "station", "membership_pk": "membership"},
    "stations:visit_detail": {"pk": "visit"},
    "stations:reception_update": {"pk": "reception"},
    "stations:assignment_swap": {"pk": "assignment"},
    "stations:swap_decide": {"pk": "swap"},
    "stations:rule_update": {"pk": "rule"},
    "stations:holiday_remove": {"pk": "holiday"},
    "stations:duty_feed": {"token": "feed_token"},
    "stations:duty_feed_reset": {"pk": "deputy"},
    "stations:my_swap_request": {"pk": "assignment"},
    "stations:my_swap_cancel": {"pk": "swap"},
    **{f"stations:activity_{n}": {"pk": "activity"}
       for n in ("detail", "update", "cancel", "sign_up", "withdraw", "attendance")},
    "stations:material_detail": {"pk": "material"},
    "stations:material_update": {"pk": "material"},
    "opinions:submit": {"code": "station_code"},
    "opinions:track": {"code": "tracking_code"},
    "opinions:submitted": {"code": "tracking_code"},
    "opinions:rate": {"code": "tracking_code"},
    "opinions:detail": {"pk": "opinion"},
    "opinions:step": {"pk": "opinion", "step": "=adopt"},
    "suggestions:public_detail": {"reply_id": "public_reply"},
    "suggestions:detail": {"pk": "suggestion"},
    "suggestions:attachment": {"pk": "suggestion", "attachment_id": "attachment"},
    "suggestions:reply_file": {"pk": "suggestion", "round": "round"},
    "suggestions:step": {"pk": "suggestion", "name": "=edit"},
    "votes:public_results": {"pk": "vote"},
    "votes:ballot_list": {"pk": "vote"},
    "votes:public_project": {"pk": "project"},
    **{f"votes:{n}": {"pk": "vote"} for n in (
        "overview", "manage", "update", "proposals", "staff_propose", "candidate_create", "voters",
        "paper", "results", "evaluation_summary", "propose", "ballot", "evaluate")},
    "votes:transition": {"pk": "vote", "action": "=screen"},
    **{f"votes:{n}": {"pk": "vote", "proposal_pk": "proposal"} for n in (
        "proposal", "proposal_merge", "proposal_reject", "proposal_feasibility", "proposal_adopt")},
    "votes:candidate_update": {"candidate_pk": "candidate"},
    "votes:candidate_remove": {"candidate_pk": "candidate"},
    "votes:feasibility": {"request_pk": "feasibility"},
    **{f"votes:{n}": {"pk": "project"} for n in ("project", "project_plan", "milestone_add", "progress", "inspection")},
    "votes:milestone_done": {"pk": "project", "milestone_pk": "milestone"},
    "points:deputy": {"pk": "deputy"},
    "points:dossier": {"pk": "deputy"},
    "points:dossier_docx": {"pk": "deputy"},
    "points:group": {"pk": "group"},
    "reports:annual_detail": {"pk": "report"},
    "reports:annual_status": {"pk": "report"},
    "reports:annual_retry": {"pk": "report"},
    "reports:annual_file": {"pk": "report", "kind": "=docx"},
    "media": {"path": "media_path"},
}
