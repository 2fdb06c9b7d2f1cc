"""Admin: look-ups for the county office. Every change of state goes through the pages (and so
through votes.services); ballots, their contents and who-voted records are not shown at all."""

from django.contrib import admin

from votes.models import Candidate, FeasibilityRequest, ProgressReport, ProjectVote, Proposal, VoteEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VoteEventInline(admin.TabularInline):
    model = VoteEvent
    fields = ["at", "action", "from_status", "to_status", "by", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ProjectVote)
class ProjectVoteAdmin(ReadOnlyAdmin):
    list_display = ["title", "year", "congress", "status", "seats", "secret", "published_at"]
    list_filter = ["status", "congress", "year"]
    list_select_related = ["congress"]
    inlines = [VoteEventInline]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["title", "vote", "source", "status", "created_at"]
    list_filter = ["source", "status"]
    search_fields = ["title", "description"]
    list_select_related = ["vote"]


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    list_display = ["title", "vote", "number", "responsible_unit", "budget", "elected", "progress_percent"]
    list_filter = ["elected"]
    list_select_related = ["vote", "responsible_unit"]


@admin.register(FeasibilityRequest)
class FeasibilityRequestAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "unit", "due_date", "feasible", "answered_at"]
    list_select_related = ["proposal", "unit"]


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ["candidate", "month", "percent", "reported_by"]
    list_select_related = ["candidate", "reported_by"]
