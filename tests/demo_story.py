"""What must hold of the demo's data for it to tell a true story (issue 23, part 5): a county's
staff see the demo first, and a job title for an address or a woman called 建军 is the end of
their trust. `check_story()` runs on what `seed_demo` built."""

import re

from django.db.models import F
from django.utils import timezone

from demo import names
from deputies.models import Deputy
from stations.models import Station
from suggestions.models import Suggestion
from votes.models import ProjectVote, Proposal

ADDRESS = re.compile(r"(路|街|大道|巷)\d+号|服务中心")
JOB_TITLE = re.compile(r"主任|书记|局长|校长|院长|经理|理事长|镇长|教师|医师|律师|记者|工人")


def station_addresses():
    """Every station's address is a place: a street and a number, or a service centre."""
    return [
        f"{station.name}: {station.address}"
        for station in Station.objects.all()
        if station.address and (not ADDRESS.search(station.address) or JOB_TITLE.search(station.address))
    ]


def vote_calendars():
    """Proposals are collected before the deadline, the deadline comes before voting opens, and
    voting opens before it closes."""
    wrong = []
    for vote in ProjectVote.objects.all():
        if vote.opens_at and vote.collection_deadline >= timezone.localtime(vote.opens_at).date():
            wrong.append(f"{vote.title}: 征集截止 {vote.collection_deadline}, 开始投票 {vote.opens_at:%Y-%m-%d}")
        if vote.opens_at and vote.closes_at and vote.closes_at <= vote.opens_at:
            wrong.append(f"{vote.title}: closes before it opens")
    late = Proposal.objects.filter(created_at__date__gt=F("vote__collection_deadline"))
    wrong += [f"{p.vote.title}: proposal “{p.title}” {p.created_at:%Y-%m-%d} after the deadline" for p in late]
    return wrong


def suggestion_numbers():
    """In each numbering (a session's, a congress's recess year) numbers run 1, 2, 3… in the
    order the suggestions were submitted."""
    wrong = []
    sequences = {}
    numbered = Suggestion.objects.filter(number__isnull=False).order_by("number")
    for s in numbered.values("session_id", "congress_id", "year", "number", "submitted_at"):
        key = ("session", s["session_id"]) if s["session_id"] else ("recess", s["congress_id"], s["year"])
        sequences.setdefault(key, []).append(s)
    for key, rows in sequences.items():
        numbers = [row["number"] for row in rows]
        if numbers != list(range(1, len(rows) + 1)):
            wrong.append(f"{key}: numbers {numbers[:10]}…")
        times = [row["submitted_at"] for row in rows]
        out_of_order = [(a["number"], b["number"]) for a, b in zip(rows, rows[1:]) if b["submitted_at"] < a["submitted_at"]]
        if None in times or out_of_order:
            wrong.append(f"{key}: numbered out of submission order at {out_of_order[:5]}")
    return wrong


def given_names():
    """A demo deputy's given name is one given to people of their gender."""
    given_to = {Deputy.Gender.MALE: set(names.GIVEN_MALE), Deputy.Gender.FEMALE: set(names.GIVEN_FEMALE)}
    return [
        f"{name} ({gender})"
        for name, gender in Deputy.objects.values_list("name", "gender")
        if name[1:] not in given_to[gender]
    ]


def nothing_in_the_future():
    now = timezone.now()
    wrong = []
    if Suggestion.objects.filter(submitted_at__gt=now).exists():
        wrong.append("a suggestion submitted in the future")
    if Proposal.objects.filter(created_at__gt=now).exists():
        wrong.append("a proposal made in the future")
    return wrong


def check_story():
    problems = {
        "station addresses": station_addresses(),
        "vote calendars": vote_calendars(),
        "suggestion numbers": suggestion_numbers(),
        "given names": given_names(),
        "the future": nothing_in_the_future(),
    }
    assert not any(problems.values()), {k: v for k, v in problems.items() if v}
