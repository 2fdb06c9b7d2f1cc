"""Every list page, dashboard and API list of the portal, found from the URLconf, requested as
every role on a synthetic data set (demo/synthetic.py), with the SQL queries each one issues.

Each URL pattern is either walked (PAGES: without parameters, or with parameters picked from the
data set by PARAMETERS) or listed in NOT_PAGES with the reason; `unclassified()` names any pattern
in neither, so a new page cannot be forgotten."""

import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.urlconf import ADMIN, url_patterns

ROLES = ("anon", "deputy", "manager", "unit", "staff", "admin", "voter")
# "voter": a deputy of the electorate of the vote that is open, who has not voted yet; only the
# voting pages are walked as them.
VOTER_PAGES = {"votes:ballot", "votes:overview", "vote-detail", "votes:home", "vote-list"}

# Patterns that are not pages to measure here, with why. Forms that only write, files that
# grow with the data by design (exports, posters' images, feeds: their own benchmarks), and
# Django's admin site.
NOT_PAGES = {
    "healthz": "health check", "admin/login/": "redirect to the portal's sign-in",
    "points:home": "redirect to the ranking or the deputy's points", "public-opinion-list": "POST only (create)", "core:ping": "health check", "core:care": "sets the 长辈模式 cookie and redirects back", "api-token": "POST only",
    "api-schema": "the schema document", "api-docs": "the schema viewer", "media": "uploaded files",
    "accounts:login": "form", "accounts:login_code": "form", "accounts:logout": "POST", "accounts:two_factor": "form",
    "accounts:password_change": "form", "accounts:password_change_done": "static page",
    "notifications:mark_all_read": "POST", "notifications:settings": "form",
    "notifications:wechat_bind": "POST", "notifications:wechat_callback": "the OAuth return",
    "notifications:wechat_unbind": "POST", "deputies:create": "form", "deputies:import": "form",
    "deputies:import_template": "file",
    "deputy-import": "POST only (an upload)", "station-import": "POST only (an upload)", "imports:upload": "form", "imports:template": "file",
    "imports:preview": "form (the preview of one upload: its own query test in tests/imports)", "imports:undo": "POST", "deputies:export": "export (grows with rows by design)",
    "deputies:update": "form", "stations:create": "form", "stations:category_update": "form",
    "stations:update": "form", "stations:member_remove": "POST", "stations:qr_svg": "image",
    "stations:qr_png": "image", "stations:poster": "one poster", "stations:visit_create": "form",
    "stations:reception_update": "form", "stations:schedule_run": "POST", "stations:assignment_swap": "form",
    "stations:swap_decide": "POST", "stations:rule_create": "form", "stations:rule_update": "form",
    "stations:holiday_remove": "POST", "stations:duty_feed": "calendar file", "stations:duty_feed_reset": "POST", "stations:my_duty_ics": "calendar file",
    "stations:my_swap_request": "form", "stations:my_swap_cancel": "POST", "stations:my_unavailability_add": "POST",
    "stations:activity_create": "form", "stations:activity_update": "form", "stations:activity_cancel": "POST",
    "stations:activity_sign_up": "POST", "stations:activity_withdraw": "POST", "stations:activity_attendance": "form",
    "stations:material_create": "form", "stations:material_update": "form",
    "opinions:submit": "form", "opinions:submitted": "confirmation", "opinions:rate": "form",
    "opinions:export": "export", "opinions:bulk_refer": "POST", "opinions:step": "form",
    "opinion-reveal": "POST only (one opinion's contact, with a reason)",
    "suggestions:create": "form", "suggestions:figures_export": "export", "suggestions:export": "export",
    "suggestions:attachment": "file", "suggestions:reply_file": "file", "suggestions:step": "form",
    "votes:public_propose": "form", "votes:public_thanks": "confirmation", "votes:ballot_list": "the ballot file",
    "votes:create": "form", "votes:update": "form", "votes:transition": "POST", "votes:staff_propose": "form",
    "votes:proposal": "form", "votes:proposal_merge": "form", "votes:proposal_reject": "form",
    "votes:proposal_feasibility": "form", "votes:proposal_adopt": "POST", "votes:candidate_create": "form",
    "votes:candidate_update": "form", "votes:candidate_remove": "POST", "votes:propose": "form",
    "votes:feasibility": "form", "votes:project_plan": "form", "votes:milestone_add": "form",
    "votes:milestone_done": "POST", "votes:progress": "form", "votes:inspection": "form",
    "points:ranking_export": "export", "points:dossier_docx": "file",
    "reports:award_record": "form", "reports:annual_status": "progress poll",
    "reports:annual_retry": "form (POST)", "reports:annual_file": "file",
    "reports:annual_detail": "a generated report (none in synthetic data)",
    "annual-report-detail": "a generated report (none in synthetic data)",
    "annual-report-latest": "a generated report (none in synthetic data)",
    "privacy:person": "a search by phone number", "privacy:erase": "POST",
    "visit-photos": "POST", "activity-attendance": "POST", "activity-cancel": "POST", "activity-sign-up": "POST",
    "activity-withdraw": "POST", "public-opinion-rating": "POST", "vote-ballots": "POST",
    "point-rule-detail": "one rule", "membership-detail": "one row", "shift-detail": "one row",
    "signup-detail": "one row", "activity-detail": "one row", "region-detail": "one row",
}
# API step actions (POST) of opinions and suggestions.
NOT_PAGE_SUFFIXES = ("-accept", "-adopt", "-answer", "-refer", "-reply", "-return-referral", "-assign", "-close",
                     "-contact", "-convert", "-cosign", "-decline", "-edit", "-evaluate", "-grant-extension",
                     "-hearing", "-input", "-invite", "-merge", "-progress", "-publish", "-refuse-extension",
                     "-request-extension", "-submit", "-supervise", "-transfer", "-unpublish", "-withdraw")
# Query strings for pages that need one.
QUERIES = {"stations:township_posters": "township={township}"}


def all_routes():
    """(name, route, has_parameters) for every URL pattern outside the admin site."""
    return [
        (name, route, bool(pattern.pattern.regex.groupindex))
        for name, route, pattern in url_patterns()
        if name != ADMIN
    ]


def is_page(name):
    return name not in NOT_PAGES and not (name.startswith(("opinion-", "suggestion-")) and name.endswith(NOT_PAGE_SUFFIXES))


def unclassified():
    """Patterns with parameters that are neither in PARAMETERS nor in NOT_PAGES."""
    return sorted(name for name, _route, params in all_routes() if params and is_page(name) and name not in PARAMETERS)


# --- Parameters from the data set -------------------------------------------------------------


def _users():
    User = get_user_model()
    return {u.username: u for u in User.objects.filter(username__in=["deputy", "manager", "unit", "staff", "admin"])}


def _busiest(queryset, related):
    """The row with the most related rows: where an N+1 would show most."""
    return queryset.annotate(n=Count(related)).order_by("-n", "pk").first()


def _with_every_kind_this_year(deputies):
    """The deputies with a record of every kind the points pages list this year (the demo
    deputy has them: demo/synthetic.py), or all of them early on 1 January."""
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from stations.models import ActivitySignup, Visit
    from suggestions.models import Cosigner, Suggestion

    year = timezone.localdate().year
    complete = deputies.filter(
        Exists(Visit.objects.filter(deputy=OuterRef("pk"), date__year=year)),
        Exists(ActivitySignup.objects.filter(deputy=OuterRef("pk"), activity__starts_at__year=year,
                                             attendance="attended")),
        Exists(Suggestion.objects.filter(lead_deputy=OuterRef("pk"), year=year)),
        Exists(Cosigner.objects.filter(deputy=OuterRef("pk"), suggestion__year=year, confirmed_at__isnull=False)),
    )
    return complete if complete.exists() else deputies


class Picks:
    """Objects from the data set for the URL parameters, the same rules at every size."""

    def __init__(self):
        from deputies.models import CongressSession, Deputy
        from opinions.models import Opinion
        from stations.models import Activity, LearningMaterial, Station, Visit
        from suggestions.models import Reply, Suggestion
        from votes.models import Candidate, ProjectVote, VoteStatus

        users = _users()
        deputy = Deputy.objects.get(user=users["deputy"])
        own_station = _busiest(Station.objects.filter(memberships__deputy=deputy), "memberships")
        managed = Station.objects.get(manager=users["manager"])
        own_received = Opinion.objects.filter(
            station=own_station, reception__isnull=False, timeline__step="refer").distinct()
        self.values = {
            "deputy": deputy.pk,
            # Of the deputies with every kind of record the points pages list this year, the one
            # with the most visits.
            "busy_deputy": _busiest(_with_every_kind_this_year(Deputy.objects.all()), "visits").pk,
            "session": CongressSession.objects.filter(congress__region__level="county", attendance__isnull=False).first().pk,
            "group": deputy.group_id,
            "station": own_station.pk,
            "managed_station": managed.pk,
            "busy_station": _busiest(Station.objects.all(), "memberships").pk,
            "code": own_station.code,
            "township": own_station.township_id,
            "visit": _busiest(Visit.objects.filter(deputy=deputy), "receptions").pk,
            "busy_visit": _busiest(Visit.objects.all(), "receptions").pk,
            "activity": _busiest(Activity.objects.filter(station__isnull=True), "signups").pk,
            "material": _busiest(LearningMaterial.objects.all(), "reads").pk,
            # One the deputy has read: opening an unread one records the read (a write).
            "read_material": _busiest(LearningMaterial.objects.filter(reads__deputy=deputy), "reads").pk,
            # Received at a reception of the deputy's station and referred to a unit (the
            # page shows both): the same kind of opinion at every size, whatever the random draws.
            "opinion": _busiest(own_received, "timeline").pk,
            # One that left a phone number (staff see it, and the read is audited) at every size.
            "busy_opinion": _busiest(Opinion.objects.filter(
                Q(phone__gt="") | Q(reception__visitor_phone__gt="")), "timeline").pk,
            "managed_opinion": _busiest(Opinion.objects.filter(station=managed), "timeline").pk,
            "unit_opinion": _busiest(Opinion.objects.filter(
                timeline__step="refer", timeline__unit=users["unit"].handling_unit_id).distinct(), "timeline").pk,
            "tracking_code": _busiest(own_received, "timeline").tracking_code,
            "suggestion": _busiest(Suggestion.objects.filter(lead_deputy=deputy).exclude(state="draft"), "timeline").pk,
            # Being handled again after 不满意: a page with every section (replies, evaluation,
            # contacts, the units' actions), in the same state on both data sets.
            "busy_suggestion": _busiest(Suggestion.objects.filter(state="rehandling"), "timeline").pk,
            # As the lead unit (a co-unit sees fewer sections).
            "unit_suggestion": _busiest(Suggestion.objects.filter(lead_unit=users["unit"].handling_unit_id),
                                        "timeline").pk,
            "public_reply": Reply.objects.filter(is_public=True).order_by("pk").first().pk,
            "vote": ProjectVote.objects.filter(congress__region__level="county", status=VoteStatus.IMPLEMENTING).first().pk,
            "evaluated_vote": ProjectVote.objects.filter(congress__region__level="county", status=VoteStatus.EVALUATED).first().pk,
            "collecting_vote": ProjectVote.objects.filter(status=VoteStatus.COLLECTING).first().pk,
            "voting_vote": ProjectVote.objects.filter(status=VoteStatus.VOTING).first().pk,
            "project": Candidate.objects.filter(elected=True, vote__status=VoteStatus.IMPLEMENTING).first().pk,
        }


# name -> {role or "*": {kwarg: key in Picks.values}}; the first matching entry is used.
PARAMETERS = {
    "deputies:session_attendance": {"*": {"pk": "session"}},
    "deputies:detail": {"*": {"pk": "busy_deputy"}},
    "stations:public": {"*": {"code": "code"}},
    "stations:detail": {"manager": {"pk": "managed_station"}, "deputy": {"pk": "station"}, "*": {"pk": "busy_station"}},
    "stations:members": {"manager": {"pk": "managed_station"}, "*": {"pk": "busy_station"}},
    "stations:visit_detail": {"deputy": {"pk": "visit"}, "*": {"pk": "busy_visit"}},
    "stations:activity_detail": {"*": {"pk": "activity"}},
    "stations:material_detail": {"deputy": {"pk": "read_material"}, "*": {"pk": "material"}},
    "opinions:track": {"*": {"code": "tracking_code"}},
    "opinions:detail": {"deputy": {"pk": "opinion"}, "manager": {"pk": "managed_opinion"},
                        "unit": {"pk": "unit_opinion"}, "*": {"pk": "busy_opinion"}},
    "suggestions:detail": {"deputy": {"pk": "suggestion"}, "unit": {"pk": "unit_suggestion"},
                           "*": {"pk": "busy_suggestion"}},
    "suggestions:public_detail": {"*": {"reply_id": "public_reply"}},
    "votes:public_results": {"*": {"pk": "vote"}},
    "votes:public_project": {"*": {"pk": "project"}},
    "votes:overview": {"*": {"pk": "vote"}},
    "votes:manage": {"*": {"pk": "vote"}},
    "votes:proposals": {"*": {"pk": "collecting_vote"}},
    "votes:voters": {"*": {"pk": "voting_vote"}},
    "votes:paper": {"*": {"pk": "voting_vote"}},
    "votes:results": {"*": {"pk": "vote"}},
    "votes:evaluation_summary": {"*": {"pk": "evaluated_vote"}},
    "votes:ballot": {"*": {"pk": "voting_vote"}},
    "votes:evaluate": {"*": {"pk": "vote"}},
    "votes:project": {"*": {"pk": "project"}},
    "points:deputy": {"deputy": {"pk": "deputy"}, "*": {"pk": "busy_deputy"}},
    "points:dossier": {"deputy": {"pk": "deputy"}, "*": {"pk": "busy_deputy"}},
    "points:group": {"*": {"pk": "group"}},
    "deputy-detail": {"*": {"pk": "busy_deputy"}},
    "station-detail": {"manager": {"pk": "managed_station"}, "deputy": {"pk": "station"}, "*": {"pk": "busy_station"}},
    "visit-detail": {"deputy": {"pk": "visit"}, "*": {"pk": "busy_visit"}},
    "opinion-detail": {"deputy": {"pk": "opinion"}, "manager": {"pk": "managed_opinion"},
                        "unit": {"pk": "unit_opinion"}, "*": {"pk": "busy_opinion"}},
    "public-opinion-detail": {"*": {"tracking_code": "tracking_code"}},
    "suggestion-detail": {"deputy": {"pk": "suggestion"}, "unit": {"pk": "unit_suggestion"},
                          "*": {"pk": "busy_suggestion"}},
    "vote-detail": {"*": {"pk": "vote"}},
    "vote-results": {"*": {"pk": "vote"}},
    "point-deputy": {"deputy": {"pk": "deputy"}, "*": {"pk": "busy_deputy"}},
}


def urls_for(role, picks):
    """(name, url) of every page to walk as `role`."""
    result = []
    for name, route, params in all_routes():
        if not is_page(name) or (role == "voter" and name not in VOTER_PAGES):
            continue
        if params:
            spec = PARAMETERS[name]
            keys = spec.get(role, spec.get("*"))
            url = reverse(name, kwargs={kwarg: picks.values[key] for kwarg, key in keys.items()})
        else:
            url = "/" + route.replace("^", "").replace("$", "")
        if name in QUERIES:
            url += "?" + QUERIES[name].format(**picks.values)
        result.append((name, url))
    return result


def own_queries(queries):
    """The queries a page issues for itself: not the session's (the idle timeout rewrites the
    session every few minutes, in a transaction or savepoint), which would make counts depend
    on the time a walk takes; transaction control statements are not counted either."""
    return [
        query["sql"] for query in queries.captured_queries
        if "django_session" not in query["sql"]
        and not query["sql"].startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))
    ]


LITERALS = [
    (re.compile(r"_django_curs_\d+_sync_\d+"), "cursor"),
    (re.compile(r"'(?:[^']|'')*'"), "?"),
    (re.compile(r"\b\d+(?:\.\d+)?\b"), "?"),
    (re.compile(r"\((?:\?|%s)(?:, ?(?:\?|%s))*\)"), "(…)"),
    (re.compile(r"\(\((?:…)\)(?:, \((?:…)\))*\)"), "(…)"),
]


def shape(sql):
    """A query without its literals: the same statement for other ids, dates or list lengths."""
    for pattern, replacement in LITERALS:
        sql = pattern.sub(replacement, sql)
    return sql


@dataclass
class Measure:
    name: str
    url: str
    role: str
    status: int
    queries: int
    shapes: frozenset = field(default=frozenset(), repr=False)


def clients():
    from votes.models import VoterRecord, VoteStatus

    users = _users()
    record = VoterRecord.objects.filter(vote__status=VoteStatus.VOTING, voted=False).select_related(
        "deputy__user").order_by("pk").first()
    users["voter"] = record.deputy.user
    result = {"anon": Client()}
    for role in ROLES[1:]:
        client = Client()
        client.force_login(users[role])
        result[role] = client
    return result


def walk(only=None):
    """Every page as every role (or only the (name, role) pairs in `only`); the measures of the
    answers that were 200, by (name, role)."""
    picks = Picks()
    measures = {}
    by_role = clients()
    for role in ROLES:
        client = by_role[role]
        for name, url in urls_for(role, picks):
            if only is not None and (name, role) not in only:
                continue
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            if response.status_code == 200:
                sql = own_queries(queries)
                measures[name, role] = Measure(name, url, role, response.status_code, len(sql),
                                               frozenset(shape(statement) for statement in sql))
    return measures
