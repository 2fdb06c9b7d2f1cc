"""Who may open what: every URL pattern of the portal, requested as every role, against the
table below (issue 8, "bad input and attack").

Cells: 200 · "login" (a redirect to the sign-in page) · 302 (another redirect, e.g. staff sent
from the participants' page to the management page) · 401 (API without credentials) · 403 ·
404 (a record the user may not see, or one that is not there for them) · 405 (the route only
takes POST: its guard is checked by the CSRF test below and by each app's tests). A route
missing from the table fails the test: a new page must be added here, with its answers.

Rebuild after a deliberate change with `python -m tests.security.routes` on a seeded database,
and review every changed cell."""

from urllib.parse import urlsplit

from django.test import Client
from django.urls import resolve, reverse

from tests.security.routes import all_routes, observe
from tests.security.world import REGION_ROLES, ROLES


def parse(table, roles=ROLES):
    return {name: dict(zip(roles, cells.split(), strict=True)) for name, cells in table.items()}


EXPECTED = parse({
    # route                           anon   deputy mgr    unit   st_qs  staff  admin
    'healthz':                       "200    200    200    200    200    200    200",
    'healthz-deep':                  "403    403    403    403    403    403    200",
    'api-token':                     "405    405    405    405    405    405    405",
    'deputy-list':                   "401    403    403    403    200    200    200",
    'deputy-detail':                 "401    403    403    403    404    200    200",
    'deputy-import':                 "401    403    403    403    405    405    405",
    'region-list':                   "401    200    200    200    200    200    200",
    'region-detail':                 "401    200    200    200    404    200    200",
    'station-list':                  "401    403    200    403    200    200    200",
    'station-detail':                "401    403    200    403    404    200    200",
    'station-import':                "401    403    405    403    405    405    405",
    'membership-list':               "401    403    200    403    200    200    200",
    'membership-detail':             "401    403    200    403    404    200    200",
    'shift-list':                    "401    200    200    403    200    200    200",
    'shift-detail':                  "401    200    404    403    404    200    200",
    'visit-list':                    "401    200    200    403    200    200    200",
    'visit-detail':                  "401    200    404    403    404    200    200",
    'visit-photos':                  "401    405    405    403    405    405    405",
    'activity-list':                 "401    200    200    403    200    200    200",
    'activity-detail':               "401    200    200    403    200    200    200",
    'activity-attendance':           "401    403    405    403    405    405    405",
    'activity-cancel':               "401    403    405    403    405    405    405",
    'activity-sign-up':              "401    403    405    403    405    405    405",
    'activity-withdraw':             "401    403    405    403    405    405    405",
    'signup-list':                   "401    200    200    403    200    200    200",
    'signup-detail':                 "401    404    200    403    200    200    200",
    'public-opinion-list':           "405    405    405    405    405    405    405",
    'public-opinion-detail':         "200    200    200    200    200    200    200",
    'public-opinion-rating':         "405    405    405    405    405    405    405",
    'opinion-list':                  "401    200    200    200    200    200    200",
    'opinion-detail':                "401    200    200    404    404    200    200",
    'opinion-accept':                "401    405    405    405    405    405    405",
    'opinion-adopt':                 "401    405    405    405    405    405    405",
    'opinion-answer':                "401    405    405    405    405    405    405",
    'opinion-refer':                 "401    405    405    405    405    405    405",
    'opinion-reply':                 "401    405    405    405    405    405    405",
    'opinion-return-referral':       "401    405    405    405    405    405    405",
    'opinion-reveal':                "401    405    405    405    405    405    405",
    'opinion-transfer':              "401    405    405    405    405    405    405",
    'suggestion-list':               "401    200    403    200    200    200    200",
    'suggestion-figures':            "401    403    403    403    200    200    200",
    'suggestion-detail':             "401    200    403    200    404    200    200",
    'suggestion-accept':             "401    405    403    405    405    405    405",
    'suggestion-assign':             "401    405    403    405    405    405    405",
    'suggestion-close':              "401    405    403    405    405    405    405",
    'suggestion-contact':            "401    405    403    405    405    405    405",
    'suggestion-convert':            "401    405    403    405    405    405    405",
    'suggestion-cosign':             "401    405    403    405    405    405    405",
    'suggestion-decline':            "401    405    403    405    405    405    405",
    'suggestion-edit':               "401    405    403    405    405    405    405",
    'suggestion-evaluate':           "401    405    403    405    405    405    405",
    'suggestion-grant-extension':    "401    405    403    405    405    405    405",
    'suggestion-hearing':            "401    405    403    405    405    405    405",
    'suggestion-input':              "401    405    403    405    405    405    405",
    'suggestion-invite':             "401    405    403    405    405    405    405",
    'suggestion-merge':              "401    405    403    405    405    405    405",
    'suggestion-progress':           "401    405    403    405    405    405    405",
    'suggestion-publish':            "401    405    403    405    405    405    405",
    'suggestion-refuse-extension':   "401    405    403    405    405    405    405",
    'suggestion-reply':              "401    405    403    405    405    405    405",
    'suggestion-request-extension':  "401    405    403    405    405    405    405",
    'suggestion-submit':             "401    405    403    405    405    405    405",
    'suggestion-supervise':          "401    405    403    405    405    405    405",
    'suggestion-transfer':           "401    405    403    405    405    405    405",
    'suggestion-unpublish':          "401    405    403    405    405    405    405",
    'suggestion-withdraw':           "401    405    403    405    405    405    405",
    'vote-list':                     "200    200    200    200    200    200    200",
    'vote-detail':                   "404    200    404    404    404    200    200",
    'vote-ballots':                  "401    405    403    403    403    403    403",
    'vote-results':                  "404    404    404    404    404    200    200",
    'point-standings':               "401    403    403    403    200    200    200",
    'point-deputy':                  "401    200    403    403    404    200    200",
    'point-rule-list':               "401    403    403    403    200    200    200",
    'point-rule-detail':             "401    403    403    403    200    200    200",
    'api-dashboard':                 "401    403    403    403    200    200    200",
    'api-award-shortlist':           "401    403    403    403    200    200    200",
    'annual-report-list':            "401    403    403    403    403    403    200",
    'annual-report-latest':          "401    403    403    403    403    403    200",
    'annual-report-detail':          "401    403    403    403    403    403    200",
    'api-schema':                    "200    200    200    200    200    200    200",
    'api-docs':                      "200    200    200    200    200    200    200",
    'accounts:login':                "200    302    302    302    302    302    302",
    'accounts:login_code':           "login  login  login  login  login  login  login",
    'accounts:logout':               "405    405    405    405    405    405    405",
    'accounts:two_factor':           "login  403    403    403    200    200    200",
    'accounts:password_change':      "login  200    200    200    200    200    200",
    'accounts:password_change_done': "login  200    200    200    200    200    200",
    'notifications:inbox':           "login  200    200    200    200    200    200",
    'notifications:mark_all_read':   "login  405    405    405    405    405    405",
    'notifications:settings':        "login  200    200    200    200    200    200",
    'notifications:wechat_bind':     "login  405    405    405    405    405    405",
    'notifications:wechat_callback': "login  400    400    400    400    400    400",
    'notifications:wechat_unbind':   "login  405    405    405    405    405    405",
    'notifications:sms_cost':        "login  403    403    403    403    403    200",
    'deputies:list':                 "login  403    403    403    200    200    200",
    'deputies:create':               "login  403    403    403    200    200    200",
    'deputies:import':               "login  403    403    403    200    200    200",
    'deputies:import_template':      "login  403    403    403    200    200    200",
    'imports:upload':                "login  403    403    403    200    200    200",
    'imports:template':              "login  403    403    403    200    200    200",
    'imports:preview':               "login  403    403    403    404    200    200",
    'imports:undo':                  "login  405    405    405    405    405    405",
    'deputies:export':               "login  403    403    403    200    200    200",
    'deputies:sessions':             "login  403    403    403    200    200    200",
    'deputies:session_attendance':   "login  403    403    403    200    200    200",
    'deputies:detail':               "login  403    403    403    404    200    200",
    'deputies:update':               "login  403    403    403    404    200    200",
    'stations:public':               "200    200    200    200    200    200    200",
    'stations:list':                 "login  403    200    403    200    200    200",
    'stations:create':               "login  403    403    403    200    200    200",
    'stations:unassigned':           "login  403    403    403    200    200    200",
    'stations:township_posters':     "login  403    404    403    404    404    404",
    'stations:categories':           "login  403    403    403    200    200    200",
    # Configuration belongs to the county's congress: township staff read it, change nothing (item 9).
    'stations:category_update':      "login  403    403    403    403    200    200",
    'stations:detail':               "login  403    200    403    404    200    200",
    'stations:update':               "login  403    200    403    404    200    200",
    'stations:members':              "login  403    200    403    404    200    200",
    'stations:member_remove':        "login  403    405    403    405    405    405",
    'stations:qr_svg':               "login  403    200    403    404    200    200",
    'stations:qr_png':               "login  403    200    403    404    200    200",
    'stations:poster':               "login  403    200    403    404    200    200",
    'stations:visits':               "login  200    200    403    200    200    200",
    'stations:visit_create':         "login  200    403    403    403    403    403",
    'stations:visit_detail':         "login  200    404    403    404    200    200",
    'stations:reception_update':     "login  405    405    403    405    405    405",
    'stations:roster':               "login  403    200    403    200    200    200",
    'stations:schedule_run':         "login  403    403    403    403    405    405",
    'stations:assignment_swap':      "login  403    404    403    404    200    200",
    'stations:swap_requests':        "login  403    200    403    200    200    200",
    'stations:swap_decide':          "login  403    405    403    405    405    405",
    'stations:missed_report':        "login  403    403    403    200    200    200",
    'stations:rules':                "login  403    403    403    200    200    200",
    'stations:rule_create':          "login  403    403    403    403    200    200",
    'stations:rule_update':          "login  403    403    403    403    200    200",
    'stations:holidays':             "login  403    403    403    200    200    200",
    'stations:holiday_remove':       "login  403    403    403    403    405    405",
    'stations:unavailability':       "login  403    403    403    200    200    200",
    'stations:duty_feed':            "200    200    200    200    200    200    200",
    'stations:duty_feed_reset':      "login  405    405    405    405    405    405",
    'stations:my_duty':              "login  200    403    403    403    403    403",
    'stations:my_duty_ics':          "login  200    403    403    403    403    403",
    'stations:my_swap_request':      "login  200    403    403    403    403    403",
    'stations:my_swap_cancel':       "login  405    403    403    403    403    403",
    'stations:my_unavailability_add':"login  405    403    403    403    403    403",
    'stations:activities':           "login  200    200    403    200    200    200",
    'stations:activity_create':      "login  403    200    403    200    200    200",
    'stations:activity_detail':      "login  200    200    403    200    200    200",
    # The demo's first activity is county-wide: staff of one township see it, may not change it.
    'stations:activity_update':      "login  403    403    403    403    200    200",
    'stations:activity_cancel':      "login  403    405    403    405    405    405",
    'stations:activity_sign_up':     "login  405    403    403    403    403    403",
    'stations:activity_withdraw':    "login  405    403    403    403    403    403",
    'stations:activity_attendance':  "login  403    405    403    405    405    405",
    'stations:materials':            "login  200    200    403    200    200    200",
    'stations:material_create':      "login  403    403    403    403    200    200",
    'stations:material_detail':      "login  200    200    403    200    200    200",
    'stations:material_update':      "login  403    403    403    403    200    200",
    'opinions:submit':               "405    405    405    405    405    405    405",
    'opinions:track_form':           "200    200    200    200    200    200    200",
    'opinions:track':                "200    200    200    200    200    200    200",
    'opinions:submitted':            "200    200    200    200    200    200    200",
    'opinions:rate':                 "405    405    405    405    405    405    405",
    'opinions:list':                 "login  200    200    200    200    200    200",
    'opinions:export':               "login  403    403    403    200    200    200",
    'opinions:bulk_refer':           "405    405    405    405    405    405    405",
    'opinions:detail':               "login  200    200    404    404    200    200",
    'opinions:step':                 "405    405    405    405    405    405    405",
    'suggestions:list':              "login  200    403    200    200    200    200",
    'suggestions:create':            "login  200    403    403    403    403    403",
    'suggestions:review':            "login  403    403    403    200    200    200",
    'suggestions:figures':           "login  403    403    403    200    200    200",
    'suggestions:figures_export':    "login  403    403    403    200    200    200",
    'suggestions:export':            "login  200    403    200    200    200    200",
    'suggestions:public_list':       "200    200    200    200    200    200    200",
    'suggestions:public_detail':     "200    200    200    200    200    200    200",
    'suggestions:detail':            "login  200    403    200    404    200    200",
    'suggestions:attachment':        "login  200    403    200    404    200    200",
    'suggestions:reply_file':        "login  200    403    200    404    200    200",
    'suggestions:step':              "login  409    403    403    403    403    403",
    'votes:public_index':            "200    200    200    200    200    200    200",
    'votes:public_propose':          "200    200    200    200    200    200    200",
    'votes:public_thanks':           "200    200    200    200    200    200    200",
    'votes:public_results':          "404    404    404    404    404    404    404",
    'votes:ballot_list':             "404    404    404    404    404    404    404",
    'votes:public_project':          "200    200    200    200    200    200    200",
    'votes:home':                    "login  200    403    200    200    200    200",
    'votes:create':                  "login  403    403    403    200    200    200",
    'votes:late':                    "login  403    403    403    200    200    200",
    'votes:overview':                "login  200    403    404    302    302    302",
    'votes:manage':                  "login  403    403    403    404    200    200",
    'votes:update':                  "login  403    403    403    404    200    200",
    'votes:transition':              "login  403    403    403    404    200    200",
    'votes:proposals':               "login  403    403    403    404    200    200",
    'votes:staff_propose':           "login  403    403    403    404    200    200",
    'votes:proposal':                "login  403    403    403    404    200    200",
    'votes:proposal_merge':          "login  403    403    403    405    405    405",
    'votes:proposal_reject':         "login  403    403    403    405    405    405",
    'votes:proposal_feasibility':    "login  403    403    403    405    405    405",
    'votes:proposal_adopt':          "login  403    403    403    405    405    405",
    'votes:candidate_create':        "login  403    403    403    404    200    200",
    'votes:candidate_update':        "login  403    403    403    404    200    200",
    'votes:candidate_remove':        "login  403    403    403    405    405    405",
    'votes:voters':                  "login  403    403    403    404    200    200",
    'votes:paper':                   "login  403    403    403    404    200    200",
    'votes:results':                 "login  403    403    403    404    200    200",
    'votes:evaluation_summary':      "login  403    403    403    404    404    404",
    'votes:propose':                 "login  200    403    404    403    403    403",
    'votes:ballot':                  "login  200    403    403    403    403    403",
    'votes:evaluate':                "login  200    403    403    403    403    403",
    'votes:feasibility':             "login  403    403    200    403    403    403",
    'votes:project':                 "login  200    403    200    200    200    200",
    'votes:project_plan':            "login  405    403    405    405    405    405",
    'votes:milestone_add':           "login  405    403    405    405    405    405",
    'votes:milestone_done':          "login  405    403    405    405    405    405",
    'votes:progress':                "login  405    403    405    405    405    405",
    'votes:inspection':              "login  405    403    405    405    405    405",
    'points:home':                   "login  302    403    403    302    302    302",
    'points:ranking':                "login  403    403    403    200    200    200",
    'points:ranking_export':         "login  403    403    403    200    200    200",
    'points:rules':                  "login  403    403    403    200    200    200",
    'points:deputy':                 "login  200    403    403    404    200    200",
    'points:dossier':                "login  200    403    403    404    200    200",
    'points:dossier_docx':           "login  200    403    403    404    200    200",
    'points:group':                  "login  200    403    403    404    200    200",
    'reports:dashboard':             "login  403    403    403    200    200    200",
    'reports:awards':                "login  403    403    403    200    200    200",
    'reports:award_record':          "405    405    405    405    405    405    405",
    'reports:annual':                "login  403    403    403    403    403    200",
    'reports:annual_detail':         "login  403    403    403    403    403    200",
    'reports:annual_status':         "login  403    403    403    403    403    200",
    'reports:annual_retry':          "405    405    405    405    405    405    405",
    'reports:annual_file':           "login  403    403    403    403    403    404",
    'privacy:person':                "login  403    403    403    200    200    200",
    'privacy:erase':                 "login  403    403    403    405    405    405",
    'admin/login/':                  "login  login  login  login  login  login  login",
    'admin:index':                   "302    302    302    302    302    302    200",
    'media':                         "404    200    404    404    404    200    200",
    'core:home':                     "200    200    200    200    200    200    200",
    'core:ping':                     "200    200    200    200    200    200    200",
    'core:care':                     "302    302    302    302    302    302    302",
})

# Object-level checks (IDOR): the same detail routes, with somebody else's record in the URL:
# another deputy's visit, duty, swap request, points and group; another township's station,
# members and opinion (neither 城关镇 nor staff_qs's 青山镇); another deputy's draft suggestion.
# Staff and admin answer 200 (or 403/405 where the route is not theirs): the record exists.
IDOR_EXPECTED = parse({
    # route                           anon   deputy mgr    unit   st_qs  staff  admin
    'deputy-detail':           "401    403    403    403    404    200    200",
    'station-detail':          "401    403    404    403    404    200    200",
    'membership-detail':       "401    403    404    403    404    200    200",
    'shift-detail':            "401    404    404    403    404    200    200",
    'visit-detail':            "401    404    404    403    404    200    200",
    'opinion-detail':          "401    404    404    404    404    200    200",
    'suggestion-detail':       "401    404    403    404    404    404    404",
    'point-deputy':            "401    404    403    403    404    200    200",
    'deputies:detail':         "login  403    403    403    404    200    200",
    'deputies:update':         "login  403    403    403    404    200    200",
    'stations:detail':         "login  403    404    403    404    200    200",
    'stations:update':         "login  403    404    403    404    200    200",
    'stations:members':        "login  403    404    403    404    200    200",
    'stations:qr_svg':         "login  403    404    403    404    200    200",
    'stations:poster':         "login  403    404    403    404    200    200",
    'stations:visit_detail':   "login  404    404    403    404    200    200",
    'stations:assignment_swap':"login  403    404    403    404    200    200",
    'stations:my_swap_request':"login  404    403    403    403    403    403",
    'opinions:detail':         "login  404    404    404    404    200    200",
    'suggestions:detail':      "login  404    403    404    404    404    404",
    'suggestions:attachment':  "login  404    403    404    404    404    404",
    'suggestions:step':        "login  404    403    403    403    403    403",
    'points:deputy':           "login  404    403    403    404    200    200",
    'points:dossier':          "login  404    403    403    404    200    200",
    'points:dossier_docx':     "login  404    403    403    404    200    200",
    'points:group':            "login  404    403    403    404    200    200",
})
IDOR_ROUTES = [
    "deputy-detail", "deputies:detail", "deputies:update", "point-deputy", "points:deputy",
    "points:dossier", "points:dossier_docx", "points:group",
    "station-detail", "stations:detail", "stations:update", "stations:members", "stations:qr_svg",
    "stations:poster", "membership-detail", "shift-detail", "stations:assignment_swap",
    "stations:my_swap_request",
    "visit-detail", "stations:visit_detail",
    "opinion-detail", "opinions:detail",
    "suggestion-detail", "suggestions:detail", "suggestions:step", "suggestions:attachment",
]


# Region × role (issue 16): the same detail routes with a record of the second county (临江区) in
# the URL. Every role bound to 连心县 or under it (its deputy, station manager, unit, 青山镇's and
# the county's staff) gets 403/404; 临江区's staff, the city's and the admin see it. 0 leaks.
REGION_EXPECTED = parse({
    # route                    deputy mgr    unit   st_qs  staff  c2     city   admin
    'deputy-detail':           "403    403    403    404    404    200    200    200",
    'station-detail':          "403    404    403    404    404    200    200    200",
    'membership-detail':       "403    404    403    404    404    200    200    200",
    'shift-detail':            "404    404    403    404    404    200    200    200",
    'visit-detail':            "404    404    403    404    404    200    200    200",
    'opinion-detail':          "404    404    404    404    404    200    200    200",
    'suggestion-detail':       "404    403    404    404    404    200    200    200",
    'point-deputy':            "404    403    403    404    404    200    200    200",
    'deputies:detail':         "403    403    403    404    404    200    200    200",
    'deputies:update':         "403    403    403    404    404    200    200    200",
    'stations:detail':         "403    404    403    404    404    200    200    200",
    'stations:update':         "403    404    403    404    404    200    200    200",
    'stations:members':        "403    404    403    404    404    200    200    200",
    'stations:qr_svg':         "403    404    403    404    404    200    200    200",
    'stations:poster':         "403    404    403    404    404    200    200    200",
    'stations:visit_detail':   "404    404    403    404    404    200    200    200",
    'stations:assignment_swap':"403    404    403    404    404    200    200    200",
    'stations:my_swap_request':"404    403    403    403    403    403    403    403",
    'opinions:detail':         "404    404    404    404    404    200    200    200",
    'suggestions:detail':      "404    403    404    404    404    200    200    200",
    # The attachment in the URL is the demo county's: no suggestion of 临江区 has it.
    'suggestions:attachment':  "404    403    404    404    404    404    404    404",
    'suggestions:step':        "404    403    403    403    403    403    403    403",
    'points:deputy':           "404    403    403    404    404    200    200    200",
    'points:dossier':          "404    403    403    404    404    200    200    200",
    'points:dossier_docx':     "404    403    403    404    404    200    200    200",
    'points:group':            "404    403    403    404    404    200    200    200",
}, REGION_ROLES)
# The API lists of region-owned records, walked page by page: none may hold another county's row.
REGION_LISTS = {
    "deputy-list": ("deputies.Deputy", "township"),
    "station-list": ("stations.Station", "township"),
    "membership-list": ("stations.StationMembership", "station__township"),
    "shift-list": ("stations.DutyShift", "station__township"),
    "visit-list": ("stations.Visit", "station__township"),
    "opinion-list": ("opinions.Opinion", "station__township"),
    # A suggestion is its congress's and its lead deputy's township's: a city suggestion of a
    # 连心县 deputy is 连心县's too (suggestions.models.SuggestionQuerySet.in_scope).
    "suggestion-list": ("suggestions.Suggestion", "congress", "township"),
    "region-list": ("divisions.Region", ""),
}


def describe(differences):
    return "\n".join(
        f"{name:32} {role:9} expected {expected:6} got {got}" for name, role, expected, got in differences
    )


def compare(expected, observed, roles=ROLES):
    return [
        (name, role, expected[name][role], observed[name][role])
        for name in observed
        for role in roles
        if expected[name][role] != observed[name][role]
    ]


def test_every_route_is_in_the_table():
    names = {name for name, _route in all_routes()}
    missing = sorted(names - set(EXPECTED))
    assert not missing, f"routes missing from EXPECTED (add them with their answers): {missing}"
    assert not sorted(set(EXPECTED) - names), "routes in EXPECTED that no longer exist"


def test_every_role_gets_the_expected_answer_on_every_route(world):
    forms = {}
    observed = observe(world, forms=forms)
    differences = compare(EXPECTED, observed)
    assert not differences, "\n" + describe(differences)
    # Every POST form found on those pages refuses a request without its CSRF token.
    assert len(forms) > 40
    refused, seen = {}, set()
    for action, (role, page) in sorted(forms.items()):
        view = resolve(urlsplit(action).path).view_name
        if view in seen:  # one form per route (e.g. one of a list's "remove" buttons)
            continue
        seen.add(view)
        client = Client(enforce_csrf_checks=True)
        if role != "anon":
            client.force_login(world.users[role])
        status = client.post(action, {}).status_code
        if status != 403:
            refused[action] = (role, page, status)
    assert not refused, f"POST forms accepted without a CSRF token: {refused}"


def test_nobody_reaches_somebody_elses_records(world):
    observed = observe(world, "other", names=IDOR_ROUTES)
    differences = compare(IDOR_EXPECTED, observed)
    assert not differences, "\n" + describe(differences)


def test_a_unit_cannot_open_a_suggestion_assigned_to_another_unit(world):
    from suggestions.models import Suggestion

    unit = world.users["unit"].handling_unit
    elsewhere = Suggestion.objects.filter(assignments__isnull=False, replies__isnull=False).exclude(
        assignments__unit=unit).order_by("pk").first()
    assert elsewhere is not None
    round_ = elsewhere.replies.order_by("round").first().round
    urls = [reverse("suggestions:detail", args=[elsewhere.pk]), reverse("suggestion-detail", args=[elsewhere.pk]),
            reverse("suggestions:reply_file", args=[elsewhere.pk, round_])]
    unit_client, staff_client = Client(), Client()
    unit_client.force_login(world.users["unit"])
    staff_client.force_login(world.users["staff"])
    for url in urls:
        assert unit_client.get(url).status_code == 404, url
        assert staff_client.get(url).status_code == 200, url


def test_no_role_of_one_county_reaches_the_other_countys_records(world):
    observed = observe(world, "county2", names=IDOR_ROUTES, roles=REGION_ROLES)
    differences = compare(REGION_EXPECTED, observed, REGION_ROLES)
    assert not differences, "\n" + describe(differences)
    # And the other way round: 临江区's staff on the demo county's records.
    observed = observe(world, "own", names=IDOR_ROUTES, roles=("county2_staff",))
    leaks = {name: row["county2_staff"] for name, row in observed.items() if row["county2_staff"] not in ("403", "404")}
    assert not leaks, leaks


def ids_in_list(client, url):
    """Every id of an API list (all pages; regions are not paginated)."""
    ids, page = set(), f"{url}?page_size=100"
    while page:
        response = client.get(page)
        if response.status_code != 200:
            return ids
        body = response.json()
        rows = body if isinstance(body, list) else body["results"]
        ids |= {row["id"] for row in rows}
        page = None if isinstance(body, list) else body["next"]
    return ids


def test_no_list_holds_another_countys_records(world):
    from functools import reduce
    from operator import or_

    from django.apps import apps

    from divisions.scope import in_scope, scope_for

    county = world.users["staff"].region
    district = world.users["county2_staff"].region
    bound = {"deputy": county, "manager": county, "unit": county, "staff_qs": county, "staff": county,
             "county2_staff": district}
    clients = {}
    for role in bound:
        clients[role] = Client()
        clients[role].force_login(world.users[role])
    leaks = []
    for name, (label, *lookups) in REGION_LISTS.items():
        model = apps.get_model(label)
        url = reverse(name)
        for role, region in bound.items():
            if name == "region-list" and not role.endswith("staff") and role != "staff_qs":
                continue  # deputies, units and managers read the whole tree (region pickers)
            scope = scope_for(region)
            inside = [in_scope(scope, lookup) for lookup in lookups]
            outside = set(model.objects.exclude(reduce(or_, inside)).values_list("pk", flat=True))
            if name == "region-list":  # the regions above one's own are not records of another county
                outside -= {r.pk for r in region.ancestors(include_self=False)}
            assert outside, (name, role)
            found = ids_in_list(clients[role], url) & outside
            if found:
                leaks.append((name, role, sorted(found)[:5]))
    assert not leaks, leaks
