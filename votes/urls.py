from django.urls import path

from votes.views import participants, projects, public, staff

app_name = "votes"

urlpatterns = [
    # Public pages (no account).
    path("projects/", public.index, name="public_index"),
    path("projects/propose/", public.propose, name="public_propose"),
    path("projects/propose/thanks/", public.thanks, name="public_thanks"),
    path("projects/votes/<int:pk>/", public.results, name="public_results"),
    path("projects/votes/<int:pk>/ballots.txt", public.ballot_list, name="ballot_list"),
    path("projects/<int:pk>/", public.project, name="public_project"),
    # Signed-in: staff, deputies, departments.
    path("votes/", participants.home, name="home"),
    path("votes/new/", staff.vote_create, name="create"),
    path("votes/late/", staff.late_projects, name="late"),
    path("votes/<int:pk>/", participants.vote_overview, name="overview"),
    path("votes/<int:pk>/manage/", staff.vote_manage, name="manage"),
    path("votes/<int:pk>/edit/", staff.vote_update, name="update"),
    path("votes/<int:pk>/do/<slug:action>/", staff.vote_transition, name="transition"),
    path("votes/<int:pk>/proposals/", staff.proposal_list, name="proposals"),
    path("votes/<int:pk>/proposals/enter/", participants.staff_propose, name="staff_propose"),
    path("votes/<int:pk>/proposals/<int:proposal_pk>/", staff.proposal_detail, name="proposal"),
    path("votes/<int:pk>/proposals/<int:proposal_pk>/merge/", staff.proposal_merge, name="proposal_merge"),
    path("votes/<int:pk>/proposals/<int:proposal_pk>/reject/", staff.proposal_reject, name="proposal_reject"),
    path("votes/<int:pk>/proposals/<int:proposal_pk>/feasibility/", staff.proposal_feasibility,
         name="proposal_feasibility"),
    path("votes/<int:pk>/proposals/<int:proposal_pk>/adopt/", staff.proposal_adopt, name="proposal_adopt"),
    path("votes/<int:pk>/candidates/new/", staff.candidate_create, name="candidate_create"),
    path("votes/candidates/<int:candidate_pk>/edit/", staff.candidate_update, name="candidate_update"),
    path("votes/candidates/<int:candidate_pk>/remove/", staff.candidate_remove, name="candidate_remove"),
    path("votes/<int:pk>/voters/", staff.voters, name="voters"),
    path("votes/<int:pk>/paper/", staff.paper_ballots, name="paper"),
    path("votes/<int:pk>/results/", staff.results, name="results"),
    path("votes/<int:pk>/evaluation/", staff.evaluation_summary, name="evaluation_summary"),
    path("votes/<int:pk>/propose/", participants.propose, name="propose"),
    path("votes/<int:pk>/ballot/", participants.ballot, name="ballot"),
    path("votes/<int:pk>/evaluate/", participants.evaluate, name="evaluate"),
    path("votes/feasibility/<int:request_pk>/", participants.feasibility_answer, name="feasibility"),
    path("votes/projects/<int:pk>/", projects.project_page, name="project"),
    path("votes/projects/<int:pk>/plan/", projects.project_plan, name="project_plan"),
    path("votes/projects/<int:pk>/milestones/", projects.milestone_add, name="milestone_add"),
    path("votes/projects/<int:pk>/milestones/<int:milestone_pk>/done/", projects.milestone_done,
         name="milestone_done"),
    path("votes/projects/<int:pk>/progress/", projects.progress_report, name="progress"),
    path("votes/projects/<int:pk>/inspections/", projects.inspection_add, name="inspection"),
]
