"""Implementation: plans, monthly progress with a once-a-month reminder, inspections, the late
list and the year-end evaluation."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from core.exceptions import TransitionNotAllowed
from notifications.models import Notification
from tests.factories import DeputyFactory, HandlingUnitFactory, UserFactory
from tests.votes.factories import deputy_account, voting_vote
from votes import services
from votes.models import Candidate, ProgressReport, ProjectPhoto, VoteStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def implementing(staff):
    """A published, implementing vote whose 2 elected projects are run by one unit."""
    unit = HandlingUnitFactory(name="县住房和城乡建设局")
    unit_user = UserFactory(role="unit", username="zhujian", handling_unit=unit)
    vote, candidates, deputies = voting_vote(deputies=3, candidates=3, seats=2)
    Candidate.objects.filter(vote=vote).update(responsible_unit=unit)
    users = [deputy_account(d) for d in deputies]
    for user in users:
        services.cast_ballot(vote, by=user, approve=[candidates[0].pk, candidates[1].pk])
    services.close_voting(vote, by=staff)
    services.publish_results(vote, by=staff)
    services.start_implementation(vote, by=staff)
    projects = list(Candidate.objects.filter(vote=vote, elected=True).order_by("number"))
    return vote, projects, unit_user, users


def photo(name="site.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_the_unit_reports_once_a_month_revising_the_same_report(implementing):
    vote, (project, _other), unit_user, _users = implementing
    services.report_progress(project, by=unit_user, text="完成设计招标", percent=20, today=date(2026, 3, 5))
    services.report_progress(project, by=unit_user, text="完成设计招标，开始施工", percent=30, today=date(2026, 3, 20))
    services.report_progress(project, by=unit_user, text="主体完工", percent=100, today=date(2026, 4, 2))
    reports = list(ProgressReport.objects.filter(candidate=project).order_by("month"))
    assert [(r.month, r.percent) for r in reports] == [(date(2026, 3, 1), 30), (date(2026, 4, 1), 100)]
    project.refresh_from_db()
    assert project.progress_percent == 100 and project.completed_on == date(2026, 4, 2)


def test_only_the_responsible_unit_reports(implementing):
    _vote, (project, _o), _unit_user, users = implementing
    stranger = UserFactory(role="unit", handling_unit=HandlingUnitFactory(name="县教育局"))
    with pytest.raises(PermissionDenied):
        services.report_progress(project, by=stranger, text="x", percent=10)
    with pytest.raises(PermissionDenied):
        services.report_progress(project, by=users[0], text="x", percent=10)


def test_progress_page_with_photos(implementing, login, client):
    _vote, (project, _o), unit_user, _u = implementing
    response = login(unit_user).post(f"/votes/projects/{project.pk}/progress/",
                                     {"percent": 40, "text": "路基完成", "photos": [photo(), photo("b.png")]})
    assert response.status_code == 302
    assert ProjectPhoto.objects.filter(report__candidate=project).count() == 2
    bad = login(unit_user).post(f"/votes/projects/{project.pk}/progress/", {
        "percent": 140, "text": "x", "photos": [SimpleUploadedFile("a.jpg", b"not an image")]})
    assert bad.status_code == 400 and "不是有效的图片" in bad.content.decode()
    public = client.get(f"/projects/{project.pk}/").content.decode()
    assert "路基完成" in public and "40%" in public and "/media/votes/" in public


def test_reminders_go_once_per_project_month_and_user(implementing, settings):
    _vote, (project, other), unit_user, _u = implementing
    today = timezone.localdate()
    services.report_progress(other, by=unit_user, text="按计划推进", percent=50, today=today)
    assert services.send_progress_reminders(today=today) == 1
    assert services.send_progress_reminders(today=today) == 0
    call_command("votes_progress_reminders", day=today.isoformat(), stdout=io.StringIO())
    notes = Notification.objects.filter(recipient=unit_user, kind="vote_progress_due")
    assert notes.count() == 1 and project.title in notes.get().body
    next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=25)
    assert services.send_progress_reminders(today=next_month) == 2


def test_reminder_task_is_scheduled_monthly_by_name():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["votes-progress-reminders-monthly"]
    assert entry["task"] == "votes.tasks.send_progress_reminders"
    assert entry["schedule"].day_of_month == {25}
    from votes import tasks

    assert tasks.send_progress_reminders.acks_late


def test_late_projects_list(implementing, staff, login):
    vote, (project, other), unit_user, _u = implementing
    today = timezone.localdate()
    services.add_milestone(project, by=staff, title="开工", due_date=today - timedelta(days=3))
    services.add_milestone(other, by=staff, title="开工", due_date=today + timedelta(days=30))
    services.report_progress(other, by=unit_user, text="按计划", percent=10, today=today)
    late = Candidate.objects.late(today)
    assert list(late) == [project]
    html = login(staff).get("/votes/late/").content.decode()
    assert project.title in html and "1 个节点逾期" in html
    milestone = project.milestones.get()
    login(unit_user).post(f"/votes/projects/{project.pk}/milestones/{milestone.pk}/done/")
    assert list(Candidate.objects.late(today)) == []
    # A project whose unit has not reported since before last month is late too.
    Candidate.objects.filter(pk=other.pk).update(implementation_started_on=today - timedelta(days=120))
    ProgressReport.objects.filter(candidate=other).update(month=(today - timedelta(days=93)).replace(day=1))
    assert other.pk in set(Candidate.objects.late(today).values_list("pk", flat=True))


def test_deputies_of_the_vote_inspect(implementing, login):
    vote, (project, _o), _unit_user, users = implementing
    response = login(users[0]).post(f"/votes/projects/{project.pk}/inspections/", {
        "visited_on": timezone.localdate().isoformat(), "note": "施工现场安全措施到位，建议加快进度。"})
    assert response.status_code == 302
    assert project.inspections.get().deputy.user == users[0]
    outsider = deputy_account(DeputyFactory())
    assert login(outsider).post(f"/votes/projects/{project.pk}/inspections/", {
        "visited_on": timezone.localdate().isoformat(), "note": "x"}).status_code == 404
    with pytest.raises(Exception):
        services.add_inspection(project, by=outsider, visited_on=timezone.localdate(), note="x")


def test_year_end_evaluation_and_summary(implementing, staff, login):
    vote, (project, other), _unit_user, users = implementing
    with pytest.raises(TransitionNotAllowed):
        services.evaluate_project(project, by=users[0], rating="satisfied")
    services.open_evaluation(vote, by=staff)
    client = login(users[0])
    page = client.get(f"/votes/{vote.pk}/evaluate/")
    assert project.title in page.content.decode()
    assert client.post(f"/votes/{vote.pk}/evaluate/", {f"r{project.pk}": "satisfied"}).status_code == 400
    assert client.post(f"/votes/{vote.pk}/evaluate/", {
        f"r{project.pk}": "satisfied", f"r{other.pk}": "unsatisfied", f"m{other.pk}": "进度太慢"}).status_code == 302
    services.evaluate_project(project, by=users[1], rating="basic")
    services.evaluate_project(project, by=users[2], rating="unsatisfied")
    services.evaluate_project(project, by=users[2], rating="satisfied")  # changed before closing
    summary = {row.pk: row for row in services.evaluation_summary(vote)}
    assert (summary[project.pk].satisfied, summary[project.pk].basic, summary[project.pk].rated) == (2, 1, 3)
    assert summary[project.pk].satisfaction == 100.0
    assert summary[other.pk].satisfaction == 0.0
    html = login(staff).get(f"/votes/{vote.pk}/evaluation/").content.decode()
    assert "100.0%" in html
    services.finish_evaluation(vote, by=staff)
    with pytest.raises(TransitionNotAllowed):
        services.evaluate_project(project, by=users[0], rating="basic")
    vote.refresh_from_db()
    assert vote.status == VoteStatus.EVALUATED


def test_staff_set_the_plan_and_milestones_through_the_page(implementing, staff, login):
    _vote, (project, _o), _unit_user, _u = implementing
    unit = HandlingUnitFactory(name="县交通运输局")
    client = login(staff)
    response = client.post(f"/votes/projects/{project.pk}/plan/", {
        "responsible_unit": unit.pk, "budget": "850.5", "planned_completion": "2026-12-31"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.responsible_unit == unit and str(project.budget) == "850.50"
    assert client.post(f"/votes/projects/{project.pk}/milestones/", {"title": "完成招标", "due_date": "2026-05-01"}).status_code == 302
    assert client.post(f"/votes/projects/{project.pk}/plan/", {"responsible_unit": "", "budget": ""}).status_code == 400
