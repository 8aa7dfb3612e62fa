"""Draft stage: a question's reconciled findings -> its reviewable Markdown draft and the assignments table.

Takes the `QuestionDraft` of each open question after reconciliation with its review copy
(`pipeline.stages.review`), the Polis votes and the language facts. Gives `06_draft/<q>.md` as text
(`render_markdown`) and the statement -> finding assignments table (`assignments`). Touches no files: the draft
step (`pipeline.steps.draft`) reconciles, writes the drafts and saves the review copies (`pipeline.steps.review`).
"""

from pipeline.stages.draft.stage import NOT_GROUPED, assignments, render_markdown

__all__ = ["NOT_GROUPED", "assignments", "render_markdown"]
