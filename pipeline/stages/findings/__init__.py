"""Themes -> ranked findings per open question: title, one-sentence summary, n and %, quotes, members.

Every count is in distinct respondents; every title is a span of member text, and every summary and quote is
verbatim text of a member statement. Ranking: respondents (desc), then statements (desc), then the smallest member
statement id, so ties are stable. A finding lists the fine groups it was merged from as sub-points (a reviewer splits
one back out with `split_out`), flags itself `mixed` when its coherence (mean cosine of members to their centroid) is
below `findings.coherence_floor`, and the question lists the pairs of findings that probably say the same thing
(`suggested_merges`, with the `merge_into` line that applies each).
"""

from pipeline.stages.findings.build import (
    QuestionInput,
    finding_id,
    merge_hints,
    question_findings,
    run_findings,
)
from pipeline.stages.findings.text import trim_summary

__all__ = ["QuestionInput", "finding_id", "merge_hints", "question_findings", "run_findings", "trim_summary"]
