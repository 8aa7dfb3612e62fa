"""The report's own words in English: the source of every catalogue under `pipeline/messages/locale/`.

One entry per message key: `N_(key, text)` for a text, `NP_(key, singular, plural)` for a count, whose `{n}` is
the number (`Messages.count`). The key is the gettext context (msgctxt) and the English text the msgid, so
`python -m pipeline.messages.tool extract` (Babel's extraction, `make messages`) finds every entry here. To add a
message: add its entry below, use the key through `Messages`, run `make messages` and translate the new entries in
each `locale/<lang>/LC_MESSAGES/consolidate.po` until `make messages` reports nothing untranslated.

Placeholders (`{name}`) are filled by `Messages`; a translation keeps every placeholder of its English text.
Answers, titles, summaries and question texts are never translated: they are the respondents' and reviewers' words.
"""

from __future__ import annotations

from typing import NamedTuple


class Source(NamedTuple):
    """One message: its key (msgctxt), English text (msgid) and, for counts, English plural (msgid_plural)."""

    key: str
    text: str
    plural: str | None = None


def N_(key: str, text: str) -> Source:
    """Mark a text for extraction (keyword `N_:1c,2`)."""
    return Source(key, text)


def NP_(key: str, singular: str, plural: str) -> Source:
    """Mark a count for extraction (keyword `NP_:1c,2,3`); `{n}` is the number."""
    return Source(key, singular, plural)


# TRANSLATORS: the comment above an entry is shown to translators; keep every {placeholder}.
_ENTRIES = (
    # TRANSLATORS: punctuation that differs per language: the list separator (", ", "، ", "、"), the
    # separator of clauses in a sentence ("; ", "؛ ", "；"), the end of a sentence (".", "。"), the colon after a
    # bold label (": ", " : ", "："), quotation marks (“…”, « … », 「…」) and parentheses ("(…)", "（…）")
    N_("p.list", ", "),
    N_("p.clauses", "; "),
    N_("p.sentence_end", "."),
    N_("p.colon", ": "),
    N_("p.quote", '"{text}"'),
    N_("p.parenthesis", "{text} ({inner})"),
    N_("p.not_available", "n/a"),
    # nouns counted with `Messages.count`
    NP_("n.respondent", "{n} respondent", "{n} respondents"),
    NP_("n.non_answer", "{n} non-answer", "{n} non-answers"),
    # kinds of non-answers (`pipeline.detect.noise`), counted with `Messages.count`
    NP_("noise.reference", "{n} pointed to another document or answer", "{n} pointed to another document or answer"),
    NP_("noise.link", "{n} only gave a link", "{n} only gave a link"),
    NP_("noise.non_answer", "{n} answered none, nothing or N/A", "{n} answered none, nothing or N/A"),
    NP_("noise.mash", "{n} typed no words (keyboard mash)", "{n} typed no words (keyboard mash)"),
    NP_("noise.courtesy", "{n} only thanked or greeted", "{n} only thanked or greeted"),
    NP_("n.closed_question", "{n} closed question", "{n} closed questions"),
    NP_("n.open_question", "{n} open question", "{n} open questions"),
    NP_("n.finding", "{n} finding", "{n} findings"),
    NP_("n.row", "{n} row", "{n} rows"),
    NP_("n.response_received", "{n} response received.", "{n} responses received."),
    # TRANSLATORS: a Polis conversation, where each comment is one response (never its author)
    NP_("n.comment_received", "{n} comment received.", "{n} comments received."),
    # headings and the purpose
    N_("h.contents", "Contents"),
    N_("h.purpose", "Purpose"),
    N_("h.action_required", "Action required"),
    N_("h.responses", "Responses"),
    N_("h.part", "Part {n}: {title}"),
    N_("h.part_untitled", "Part {n}"),
    N_("h.results", "Results"),
    N_("h.method", "Method"),
    N_("h.provenance", "Annex: provenance"),
    N_("h.warnings", "Annex: warnings"),
    N_(
        "warnings.lead",
        "The run went on despite these problems; figures that depend on them may be incomplete or wrong. Fix them (see issues.csv in the run folder) and run again.",
    ),
    N_("h.annex", "Annex: answers per question"),
    N_("h.top_findings", "{question} (Top {n} findings)"),
    N_(
        "purpose",
        "This report presents the responses received. Answers to closed questions were analysed with descriptive statistics; answers to open questions were consolidated into ranked findings by grouping similar statements and summarising each group.",
    ),
    N_("purpose.method", " The Method section describes both."),
    N_("review.all", " Reviewers checked and accepted every finding shown ({n})."),
    N_("review.none", " None of the {findings} shown has been reviewed yet: they are drafts."),
    N_(
        "review.some",
        " Reviewers accepted {accepted} of the {n} findings shown; the others are drafts, marked as such.",
    ),
    NP_("n.polis_participant", "{n} Polis participant", "{n} Polis participants"),
    NP_("n.comment", "{n} comment", "{n} comments"),
    N_(
        "polis.line",
        "{participants} wrote {comments}. Each comment is a statement put to the participants, counted once whoever wrote it: findings count comments, every share is of comments, and each finding lists the votes participants cast on its comments.",
    ),
    N_(
        "attachment.line",
        "{respondents} attached a document (“{question}”); attachments are counted, not analysed, and their file names are not reproduced.",
    ),
    N_("survey_had", "The survey had {closed} (likert statements counted one by one) and {open}."),
    # open questions
    N_("open.no_draft", "No findings draft exists for this question yet; run the draft stage, then the report again."),
    N_("open.base", "{respondents} answered; {non_answers}"),
    # TRANSLATORS: the base line of a Polis conversation's findings: "50 comments submitted; 0 non-answers"
    NP_("open.base_comments", "{n} comment submitted; {non_answers}", "{n} comments submitted; {non_answers}"),
    N_("open.not_grouped", "; {n} not grouped into any finding."),
    N_("open.nobody", "No one answered this question."),
    N_("open.all_rejected", "All findings of this question were rejected in review; none are shown."),
    N_("open.no_groups", "The answers did not form groups of similar statements, so no findings are reported."),
    N_("open.count", "{respondents} ({pct})"),
    N_("open.response", "response {id}"),
    N_("open.comment", "; comment {n}: {votes}"),
    # TRANSLATORS: a quote's source in a Polis conversation: the comment's id (then its votes, open.comment_votes)
    N_("open.comment_source", "comment {n}"),
    N_("open.comment_votes", "comment {n}: {votes}"),
    N_("open.most_voted", "The {comments} with the most votes:"),
    N_("open.polis_heading", "What participants said"),
    N_("open.votes_header", "Comment|Finding|Agree|Disagree|Pass"),
    N_("open.draft_note", "These findings are drafts, not yet reviewed."),
    N_(
        "open.linked_lead",
        "This question explains the answers to “{question}”: under each finding, how its respondents answered that question.",
    ),
    N_("open.linked", "Of these {respondents}: {answers}"),
    N_("open.linked_none", "no answers"),
    N_("open.linked_missing", "; {n} did not answer it"),
    N_(
        "open.groups_lead",
        "Who said what: the share of each group's respondents (of those who answered this question) in each finding.",
    ),
    N_("open.groups_header", "Attribute|Group|Answered"),
    N_("open.not_stated", "(not stated)"),
    N_(
        "open.groups_caption",
        "▲ / ▼: the group is over- / under-represented in the finding (Fisher's exact test against the other respondents, Benjamini-Hochberg q ≤ {q}); groups or rests under {min} respondents are not tested.",
    ),
    N_(
        "open.groups_caption_none",
        "No group stands out: in no finding is a group's share clearly above or below the other respondents' (Fisher's exact test, Benjamini-Hochberg q ≤ {q}; groups or rests under {min} respondents are not tested).",
    ),
    N_(
        "open.group_flag",
        "{group} ({attribute}): {pct} said “{title}” ({n} of {size}), against {rest} of the other respondents.",
    ),
    N_("open.draft_mark", "(draft, not yet reviewed)"),
    # closed questions
    N_("closed.header", "Statement|Agree|{conf}% interval|Base|N/A|Skipped"),
    N_("closed.agree_cell", "{pct} ({agree} of {base})"),
    N_("closed.no_answers", "no answers"),
    N_("closed.caption", "Agree = {agree}; base = respondents who answered, N/A per the closed settings."),
    N_("closed.options_header", "Option|Respondents|Share"),
    N_("closed.options_header_multi", "Option|Respondents|Share of respondents"),
    N_("closed.not_in_base", "not in base"),
    N_("closed.no_chart", "Chart not available; rerun the closed stage to draw it."),
    N_("closed.alt_likert", "Stacked bar chart: {title}"),
    N_("closed.alt_bar", "Bar chart: {title}"),
    N_("closed.or", " or "),
    N_("closed.top_box", "{pct} ({agree} of {base}; {conf}% interval {low}–{high})."),
    N_("closed.base", "{answered} of {respondents} respondents answered ({skipped} skipped)"),
    N_("closed.na_kept_out", "{na} answered only N/A or similar, kept out of the base"),
    N_("closed.na_included", "{na} answered only N/A or similar, included in the base"),
    N_("closed.multi", "several answers were possible, so shares add up to more than 100%"),
    # the closed-question charts (`pipeline.stages.closed.charts`): the note under each chart and the words drawn in it
    # TRANSLATORS: "n" is the statistical symbol for the base, drawn as "n=12" at the right of each bar (chart.n)
    N_("chart.note_block", "Share of respondents who answered each statement (n on the right)."),
    N_("chart.note_single", "Share of respondents who answered (n on the right)."),
    # TRANSLATORS: {options}: the non-substantive options of the scale as the export names them ("N/A / Don't know")
    N_("chart.na_apart", " {options} answers are not counted in the base ({n} across the statements)."),
    NP_("chart.base", "Base: {n} respondent.", "Base: {n} respondents."),
    NP_(
        "chart.base_multi",
        "Base: {n} respondent; several answers possible, so shares add up to more than 100%.",
        "Base: {n} respondents; several answers possible, so shares add up to more than 100%.",
    ),
    # TRANSLATORS: {options}: options kept out of the base with their counts ("N/A 3, Don't know 2")
    N_("chart.not_in_base", " Not in the base: {options}."),
    N_("chart.no_answers", "No answers"),
    N_("chart.n", "n={n}"),
    N_("threshold.nobody", "No one answered these statements, so no agreement level can be reported."),
    N_("threshold.none", "No statement reached more than {limit} agreement; the highest was {item}."),
    N_("threshold.lead", "More than {limit} of responses agree that {lead}:"),
    N_("threshold.with", "More than {limit} of responses agree with:"),
    N_("threshold.answered", "More than {limit} of responses answered {options} for:"),
    N_("threshold.item", "{label} ({pct}, {agree} of {base})"),
    # the method section and the annex
    N_("m.closed", "Closed questions. "),
    N_("m.open", "Open questions. "),
    N_(
        "m.closed_text",
        'Shares are of respondents who answered each question; non-substantive answers ({na}) are {base}, while "Other" counts as an answer. Agreement is the share choosing {agree}, with {conf}% Wilson score intervals. Statements with agreement above {threshold} are listed under each chart. Per-question settings in the configuration may differ.',
    ),
    N_("m.na_nonsubstantive", '"No opinion", "Don\'t know", N/A and the like'),
    N_("m.na_none", "none"),
    N_("m.base_excluded", "kept out of the base"),
    N_("m.base_included", "counted in the base"),
    N_("m.agree_default", "the top two options of the scale (the top one on shorter scales)"),
    N_("m.split.none", "kept whole"),
    N_("m.split.bullets", "split at bullets"),
    N_("m.split.sentences", "split into sentences"),
    N_("m.no_reduction", "without dimension reduction"),
    N_("m.reduced", "reduced with {method} to {dims}"),
    N_("m.dims_auto", "5 dimensions (10 from 1,000 statements)"),
    N_("m.dims", "{n} dimensions"),
    N_("m.smooth", ", averaged over their {k} nearest neighbours ({steps} rounds)"),
    N_("m.up_to_15", "up to 15"),
    N_("m.assign", " Answers not grouped were then assigned to the nearest finding at cosine ≥ {threshold}."),
    N_(
        "m.nothing",
        " Answers and sentences that say nothing about the question (non-answers such as {shown}, pointers to another document or answer, bare links, thanks, keyboard mash) join no finding; answers made only of them are counted by kind as non-answers.",
    ),
    N_(
        "m.context",
        " Where answers ran to several sentences, each sentence was read together with the rest of its answer{auto}.",
    ),
    N_("m.context_auto", " (in questions where at least 40% of the answers have two or more)"),
    N_(
        "m.themes",
        " Groups that say the same thing in other words were merged into themes (modularity of their nearest-neighbour links, resolution {resolution}), and a theme holding more than {share} of a question's respondents whose parts were loosely linked was split again; each finding lists the groups it merged as sub-points.",
    ),
    N_(
        "m.unusable",
        "{rows} of the export could not be used and were left out of every count; the run's 01_ingest/issues.csv lists each with the reason.",
    ),
    N_(
        "m.open_text",
        "Answers were {split}, embedded with the model {model}{smooth}, {reduce} and grouped with HDBSCAN (min_cluster_size {mcs}, min_samples {ms}, selection {selection}, epsilon {epsilon}; seed {seed}).{assign} Groups are ranked by the number of respondents; each question shows its top {top}, with a drafted title and summary that reviewers edit, accept or reject. Rejected findings are left out; findings not yet reviewed are marked as drafts.",
    ),
    N_(
        "m.multilingual",
        " Some answers to {questions} were in languages that model does not cover, so those questions were also (or, where most answers were in such languages, only) embedded with the multilingual model {model}, which places the same idea in different languages close together.",
    ),
    N_(
        "m.finding_counts",
        "{open}; findings drafts exist for {found} ({reviewed} read from the review folder). {shown} shown: {accepted} accepted in review, {pending} not yet reviewed; {rejected} rejected in review and left out.",
    ),
    # the writer (`writer.backend: openai`): a language model wrote titles and summaries
    N_(
        "m.writer",
        "The titles and one-sentence summaries of {written} of the {asked} findings were written by the language model {model} ({url}): the answers of each finding (up to {sample}, with email addresses and phone numbers masked) were sent to it, and each reply was checked against them (a title of two to eight words, one sentence, quotes from those answers, their language).",
    ),
    N_(
        "m.writer_fallback",
        " For the other {n}, whose replies failed these checks or did not come, the title and summary are taken from the answers' own words.",
    ),
    N_("m.writer_model", "Language model (titles and summaries): {value}"),
    N_("m.as_configured", "as configured"),
    N_("m.identity", "identity"),
    N_("m.model", "Embedding model: {value}"),
    N_("m.statements", "Statements embedded: {value}"),
    N_("m.sha", "Input file SHA-256: {value}"),
    N_("m.version", "Consolidate version: {value}"),
    N_("m.date", "Report date: {value}"),
    N_("annex.header", "Question|Kind|Answers|Non-answers|Blank|Not grouped|Languages|ID"),
    N_(
        "annex.caption",
        "Answers = respondents with a usable answer; not grouped = open answers that joined no finding; languages = languages detected in open answers (ISO 639-1 codes; und = too short or mixed to tell).",
    ),
    # TRANSLATORS: appended to the method's open-question text and to the annex caption in a Polis conversation
    N_(
        "m.comments",
        " In this Polis conversation each comment is one response: answers, findings and shares count comments, not the participants who wrote them.",
    ),
    N_("annex.no_draft", "no draft"),
    NP_("n.campaign", "{n} campaign", "{n} campaigns"),
    N_("campaigns.heading", "Campaigns"),
    N_(
        "campaigns.line",
        "{campaigns}, {respondents} ({pct}): each campaign is one text, or near copies of it, sent by many, summarised once below. The findings are those of the other respondents; every percentage is of all {answered} who answered.",
    ),
    N_(
        "campaigns.method",
        " Campaigns (one text of 15 words or more sent, word for word or nearly, by at least {least} of a question's respondents) are reported apart, each once, and the findings are those of the other respondents.",
    ),
    N_("campaigns.least_auto", "5 or 0.1%, whichever is more,"),
)

TEXTS: dict[str, Source] = {entry.key: entry for entry in _ENTRIES}
