"""Review stage: a reviewer's edited copy + this run's generated findings -> the reconciled question.

Takes the previous review copy (a `QuestionDraft`, `pipeline.stages.shared.sidecar`), the freshly generated one
and, for old copies, the previous run's generated sidecar. Gives a `Reconciled`: the new review copy (analyst
fields kept verbatim, members and counts recomputed, edits that cannot be applied listed) and the `RerunReport`
(matched, new, vanished, changed); `render_rerun` and `render_status` write them as text. Touches no files: the
review copies are read, written and kept comment for comment by `pipeline.steps.review`.

Modules: `stage` (reconcile), `carry` (previous findings matched to the new groups, their edits kept), `edits`
(merges, pins, exclusions), `match` (Hungarian matching on Jaccard overlap), `model` (edits, outcomes, report),
`report` (the rerun report and the review status as text).
"""

from pipeline.stages.review.carry import MATCH_THRESHOLD
from pipeline.stages.review.match import jaccard, match_sets
from pipeline.stages.review.model import (
    EditOutcome,
    Reconciled,
    RerunReport,
    edits_of,
    respondent_of_statement,
)
from pipeline.stages.review.report import QuestionStatus, question_status, render_rerun, render_status, summary_line
from pipeline.stages.review.stage import reconcile

__all__ = [
    "MATCH_THRESHOLD",
    "EditOutcome",
    "QuestionStatus",
    "Reconciled",
    "RerunReport",
    "edits_of",
    "jaccard",
    "match_sets",
    "question_status",
    "reconcile",
    "render_rerun",
    "render_status",
    "respondent_of_statement",
    "summary_line",
]
