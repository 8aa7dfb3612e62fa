"""Findings stage: statements + vectors + themes -> ranked findings per open question (`05_findings/`).

Takes, per open question, the statements (embed), their vectors and embedded candidate phrases (embed), and the
theme and fine group of each statement (cluster). Gives one `QuestionDraft` per question
(`pipeline.stages.shared.sidecar`): findings with a title, a one-sentence summary, n and %, quotes, members,
sub-points and suggested merges. `question_votes` sums the Polis votes behind each finding (draft and report use
it). Touches no files (`pipeline.steps.findings` writes `findings.json`).

Every count is in distinct respondents; every title is a span of member text, and every summary and quote is
verbatim text of a member statement. Ranking: respondents (desc), then statements (desc), then the smallest member
statement id, so ties are stable; campaigns (one text sent by many, set apart by the cluster stage) are findings
flagged `campaign`, ranked after the others and never among the top ones, summarised by the text most of their
senders sent. A finding lists the fine groups it was merged from as sub-points (a reviewer splits one back out with
`split_out`), flags itself `mixed` when its coherence (mean cosine of members to their centroid) is below
`findings.coherence_floor`, and the question lists the pairs of findings that probably say the same thing
(`suggested_merges`, with the `merge_into` line that applies each).

Who said it: `breakdowns` (each finding's respondents per group of a respondent attribute, with Fisher / BH flags)
and `linked` (how a finding's respondents answered the closed question its open question `explains`); the draft,
review page and report show both.

Modules: `stage` (run_findings), `keyphrases` (class-based TF-IDF key phrases), `titles` (a title per finding)
and `wording` (its casing, stance and clean end), `text` (summaries and quotes), `votes` (Polis votes behind
findings), `campaigns` (the campaigns table).
"""

from pipeline.stages.findings.breakdowns import (
    NOT_STATED,
    OVER,
    UNDER,
    QuestionGroups,
    breakdown_attributes,
    breakdown_table,
    flagged,
    question_groups,
)
from pipeline.stages.findings.campaigns import campaign_table
from pipeline.stages.findings.linked import (
    LinkedQuestion,
    answer_counts,
    closed_label,
    linked_questions,
    linked_sentence,
)
from pipeline.stages.findings.stage import (
    QuestionInput,
    finding_id,
    merge_hints,
    question_findings,
    run_findings,
)
from pipeline.stages.findings.text import trim_summary
from pipeline.stages.findings.votes import QuestionVotes, question_votes
from pipeline.stages.findings.who import MARKS, WhoSaid
from pipeline.stages.shared.phrases import PhraseVectors

__all__ = [
    "MARKS",
    "NOT_STATED",
    "OVER",
    "UNDER",
    "LinkedQuestion",
    "QuestionGroups",
    "WhoSaid",
    "answer_counts",
    "breakdown_attributes",
    "breakdown_table",
    "campaign_table",
    "closed_label",
    "flagged",
    "linked_questions",
    "linked_sentence",
    "question_groups",
    "PhraseVectors",
    "QuestionInput",
    "QuestionVotes",
    "finding_id",
    "merge_hints",
    "question_findings",
    "question_votes",
    "run_findings",
    "trim_summary",
]
