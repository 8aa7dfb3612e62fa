"""The review stage's I/O side: the review copies on disk, in one place (`reviews/<run>/<question>.yaml`).

- `sidecar`: a `QuestionDraft` (schema: `pipeline.stages.shared.sidecar`) as YAML text, read and written
  atomically; a review copy with the reviewer's `# comments` is rewritten in place (`roundtrip`).
- `save`: reconcile a question's review copy with this run's generated draft (`pipeline.stages.review`) and save
  it, with a backup, never over an edit saved meanwhile (the draft step and `review serve` share its lock).
- `orphans`: review copies this run does not read although they hold edits (renamed question or config).
- `status`: the review status of every question (`consolidate review status`).

The web app (`pipeline.review_web`) edits the same files through these functions.
"""

from pipeline.steps.review.orphans import is_review_copy, orphan_warnings
from pipeline.steps.review.roundtrip import update_text
from pipeline.steps.review.save import SAVE_ATTEMPTS, display_path, reconcile_and_save, reconcile_question
from pipeline.steps.review.sidecar import (
    EDIT_HELP,
    dump_draft,
    has_reviewer_comments,
    header,
    parse_draft,
    read_draft,
    review_text,
    write_draft,
)
from pipeline.steps.review.status import review_status

__all__ = [
    "EDIT_HELP",
    "SAVE_ATTEMPTS",
    "display_path",
    "dump_draft",
    "has_reviewer_comments",
    "header",
    "is_review_copy",
    "orphan_warnings",
    "parse_draft",
    "read_draft",
    "reconcile_and_save",
    "reconcile_question",
    "review_status",
    "review_text",
    "update_text",
    "write_draft",
]
