"""Public pages (no account, no JavaScript needed): propose a project, see published results
with the ballot list to recount, follow each elected project's progress."""

from itertools import groupby

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from core.exceptions import DomainError
from votes import selectors, services, tally
from votes.forms import PublicProposalForm
from votes.models import Candidate, ProjectVote
from votes.views.results import result_context


def _station(code):
    """The active station a proposal comes from (its QR page), or None."""
    if not code:
        return None
    try:
        from stations.models import Station
    except ImportError:  # the stations app is optional for this page
        return None
    return Station.objects.filter(code=str(code).strip().lower(), is_active=True).select_related("township").first()


def index(request):
    """民生实事: votes collecting proposals, and the results and projects of published votes."""
    published = list(selectors.votes_for_list(ProjectVote.objects.public()).order_by("-year", "congress__region__path", "-id")[:20])
    projects = selectors.public_projects().filter(vote__in=published)
    by_vote = {key: list(group) for key, group in groupby(projects, key=lambda p: p.vote_id)}
    for vote in published:
        vote.projects = by_vote.get(vote.pk, [])
    return render(request, "votes/public/index.html", {
        "collecting": _all_collecting(), "published": published,
    })


def _all_collecting():
    return list(
        ProjectVote.objects.collecting().select_related("congress__region").order_by("congress__region__path")
    )


def _collecting_for(request, station):
    """The votes a proposal may go to: at a station, the county's and the township's; else all
    collecting ones, or the one named by ?vote=."""
    if station is not None:
        return list(selectors.collecting_votes(station.township_id))
    votes = _all_collecting()
    chosen = request.GET.get("vote", "")
    if chosen.isdigit():
        votes = [v for v in votes if v.pk == int(chosen)] or votes
    return votes


def propose(request):
    """The public proposal form (also reached from a station's QR page with ?station=<code>)."""
    station = _station(request.GET.get("station") or request.POST.get("station"))
    votes = _collecting_for(request, station)
    form = PublicProposalForm(request.POST or None, votes=votes)
    if request.method == "POST" and votes and form.is_valid():
        data = form.cleaned_data
        try:
            services.submit_public_proposal(
                request, data["vote"], data=data,
                station_code=station.code if station else "", station_name=station.name if station else "",
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            return _proposal_page(request, form, votes, station, status=exc.status_code)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return redirect("votes:public_thanks")
    status = 400 if form.is_bound and form.errors else 200
    return _proposal_page(request, form, votes, station, status=status)


def _proposal_page(request, form, votes, station, *, status):
    # The form has its own page, opened from the station page's link (issue 23): a refused
    # proposal comes back there, with the station it came from.
    return render(request, "votes/public/propose.html",
                  {"form": form, "votes": votes, "station": station}, status=status)


def thanks(request):
    return render(request, "votes/public/thanks.html")


def results(request, pk):
    vote = selectors.public_vote(pk)
    context = {"vote": vote, **result_context(vote, cached=True)}
    return render(request, "votes/public/results.html", context)


def ballot_list(request, pk):
    """The canonical ballot list as text: `sha256sum` of it is the published digest."""
    vote = ProjectVote.objects.filter(pk=pk).first()
    if vote is None or services.results_visible_to(vote, request.user) != "full":
        raise Http404("no ballot list")
    response = HttpResponse(tally.canonical_text(services.ballot_lines(vote)), content_type="text/plain; charset=us-ascii")
    response["Content-Disposition"] = f'inline; filename="vote-{vote.pk}-ballots.txt"'
    return response


def project(request, pk):
    item = selectors.project_detail(Candidate.objects.public(), pk)
    return render(request, "votes/public/project.html",
                  {"project": item, "vote": item.vote, "today": timezone.localdate()})


def station_panel(request, station, state):
    """The 推荐民生实事项目 panel of a station's public page, shown only while the county's or the
    station's township's vote is collecting."""
    from django.template.loader import render_to_string

    votes = list(selectors.collecting_votes(station.township_id))
    if not votes:
        return ""
    return render_to_string(
        "votes/_station_panel.html", {"votes": votes, "station": station}, request=request
    )

