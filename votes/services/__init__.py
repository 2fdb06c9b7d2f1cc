"""Every state change of a livelihood-projects vote, one function each (guard, permission,
transaction, timeline, notifications). Views, the API, the admin, commands and tasks call these.

- cycle: creating a vote and moving it through its statuses;
- collection: proposals, merging, feasibility requests, the candidate list;
- ballots: casting, paper ballots by double entry, mixing, counting;
- projects: implementation plans, monthly progress, inspections, reminders, evaluation."""

from votes.services.ballots import (  # noqa: F401
    ballot_lines,
    cast_ballot,
    enter_paper_ballot,
    mark_paper_voters,
    mix_ballots,
    mix_pending_ballots,
    results_visible_to,
    seats_ended_meanwhile,
    turnout,
    vote_result,
)
from votes.services.collection import (  # noqa: F401
    add_candidate,
    answer_feasibility,
    merge_proposals,
    reject_proposal,
    remove_candidate,
    request_feasibility,
    submit_proposal,
    submit_public_proposal,
    update_candidate,
)
from votes.services.common import deputy_of, voter_record  # noqa: F401
from votes.services.cycle import (  # noqa: F401
    close_voting,
    create_runoff,
    create_vote,
    finish_evaluation,
    open_evaluation,
    open_voting,
    publish_results,
    reopen_collection,
    send_closing_reminders,
    start_implementation,
    start_screening,
    update_vote,
)
from votes.services.projects import (  # noqa: F401
    add_inspection,
    add_milestone,
    complete_milestone,
    evaluate_project,
    evaluation_summary,
    report_progress,
    send_progress_reminders,
    update_project_plan,
)
