"""Writer stage: findings -> findings whose titles and sentences a language model wrote (`writer.backend: openai`).

Takes the findings stage's drafts, the embed statements and vectors, and the writer settings. `build_requests`
gives one chat request per top finding: the question and a sample of the finding's members (most central first,
each with its statement id, contact details masked; no other column is sent). `write_one` reads a reply (code
fences and text around the JSON object tolerated), checks it is grounded (title of 2-8 words, one sentence, quote
ids among the statements sent, the members' language), retries once with what was wrong, and gives an `Outcome`.
`apply_outcomes` puts grounded text in the findings, with a `written` record (the model, the quotes it cited, the
extractive text replaced); a finding whose reply failed keeps its extractive text and records why. Touches no files
and no network: the caller's `ask` fetches replies (`pipeline.steps.writer`: the cache and `pipeline.llm`).

Modules: `prompt` (requests), `reply` (parsing and checks), `stage` (outcomes applied).
"""

from pipeline.stages.writer.prompt import Request, build_requests, language_name, masked, retry_request
from pipeline.stages.writer.reply import Reply, check_reply, parse_reply
from pipeline.stages.writer.stage import Ask, NoReply, Outcome, apply_outcomes, write_one

__all__ = [
    "Ask",
    "NoReply",
    "Outcome",
    "Reply",
    "Request",
    "apply_outcomes",
    "build_requests",
    "check_reply",
    "language_name",
    "masked",
    "parse_reply",
    "retry_request",
    "write_one",
]
