"""The result of a vote as template context, shared by the staff and the public pages."""

from votes import services, tally


def result_context(vote):
    """Counts per candidate (ranked), turnout, threshold, elected, a tie for a run-off, and the
    digest of the canonical ballot list checked against the one stored at publication."""
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
        "threshold_percent": float(vote.threshold_ratio) * 100,
    }
