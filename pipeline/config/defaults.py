"""The config's value types (question kinds, formats) and its default lists of replies that say nothing."""

from __future__ import annotations

from typing import Literal

Kind = Literal["open", "likert", "single", "multi", "meta", "personal", "attachment", "ignore"]


ExportFormat = Literal[
    "auto", "msforms", "google", "qualtrics", "surveymonkey", "limesurvey", "eusurvey", "polis", "generic"
]


ReportFormat = Literal["md", "html", "docx", "pdf"]


# pdf is not a default: it needs a Chromium browser (pipeline/steps/pdf.py), which a plain install may lack.
REPORT_FORMATS: tuple[ReportFormat, ...] = ("md", "html", "docx")


CLOSED_KINDS: frozenset[str] = frozenset({"likert", "single", "multi"})


MaskKind = Literal["email", "phone"]


MASK_KINDS: tuple[MaskKind, ...] = ("email", "phone")


# Replies that say nothing about the question, matched whole (case, spacing and surrounding punctuation ignored).
# Non-answers in words ("None at this time", "Nothing to add at this stage", "Rien à ajouter"), pointers elsewhere,
# links, courtesy and keyboard mash are recognised by their shape besides (`pipeline.detect.noise`).
DEFAULT_NON_ANSWERS: list[str] = [
    "",
    "-",
    "--",
    ".",
    "..",
    "...",
    "n/a",
    "na",
    "n.a.",
    "no comment",
    "no comments",
    "no answer",
    "nothing to add",
    "not applicable",
    "see written response",
    "see attached",
    "sans objet",
    "sans commentaire",
    "sin comentarios",
]


# Replies that only say "no", "none" or "nothing" (alone, combined or with fillers: "No, nothing at all, thanks."):
# non-answers, counted as such. To "What could be improved?" they mean "nothing to improve": the report's base line
# says how many respondents answered so (NHS Friends and Family Test data: 734 of 2,395 answers to one question).
DEFAULT_NOTHING_REPLIES: list[str] = [
    "no",
    "none",
    "nothing",
    "nil",
    "nope",
    "not a thing",
    "not really",
    "nothing to improve",
    "nothing comes to mind",
    "nothing springs to mind",
    "can't think of anything",
    "cannot think of anything",
    "i can't think of anything",
    "i cannot think of anything",
    "non",
    "rien",
    "aucun",
    "aucune",
    "nada",
    "ninguno",
    "ninguna",
    "nein",
    "nichts",
]


# Statements that only thank, greet or sign off ("Thank you.", "Kind regards", "Saludos"): they say nothing about the
# question, so they join no finding (the respondent's other statements still do); see cluster/replies.py.
DEFAULT_COURTESY_REPLIES: list[str] = [
    "thank you", "thanks", "thank you very much", "many thanks", "thanks a lot", "regards", "best regards",
    "kind regards", "warm regards", "best wishes", "cheers", "greetings", "sincerely", "yours sincerely",
    "merci", "merci beaucoup", "cordialement", "bien cordialement", "salutations", "bien à vous",
    "gracias", "muchas gracias", "saludos", "un saludo", "un cordial saludo", "atentamente", "cordiales saludos",
    "danke", "vielen dank", "mit freundlichen grüßen", "viele grüße", "grazie", "cordiali saluti", "obrigado",
]  # fmt: skip
