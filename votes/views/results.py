"""The result of a vote as template context, shared by the staff and the public pages."""

from core.caching import get_or_build
from votes import services, tally

PUBLIC_CACHE_SECONDS = 600


def result_context(vote, *, cached=False):
    """Counts per candidate (ranked), turnout, threshold, elected, a tie for a run-off, and the
    digest of the canonical ballot list checked against the one stored at publication.

    With `cached` (the public page), a published vote's counts are kept for ten minutes: they
    cannot change, and a large vote's ballot list is tens of thousands of rows. Staff pages
    always recount, so a mismatch with the stored digest shows at once there."""
    if not (cached and vote.is_public):
        return _compute(vote)
    key = f"votes:result:{vote.pk}:{vote.result_digest}"
    return get_or_build(key, lambda: _compute(vote), PUBLIC_CACHE_SECONDS)


def _compute(vote):
    result, lines = services.vote_result(vote, with_lines=True)
    candidates = {c.pk: c for c in vote.candidates.select_related("responsible_unit")}
    rows = [{"row": row, "candidate": candidates[row.candidate_id]} for row in result.rows]
    digest = tally.digest(lines)
    return {
        "result": result,
        "rows": rows,
        "digest": digest,
        "digest_matches": not vote.result_digest or vote.result_digest == digest,
        "runoff_candidates": [candidates[pk] for pk in result.runoff_ids],
        "seats_ended": services.seats_ended_meanwhile(vote),
    }
