"""Write the "real export" fixtures: small files that reproduce what real exports do (issue 13).

Each file is written from scratch here (no real answers; names, emails and numbers are made up with example.org
and reserved phone ranges) and reproduces one export's layout and its traps:

- `eusurvey_ai.csv`: an EU Survey "Have your say" export: choice questions with six long options followed by
  "Other, please specify" / "Please specify" columns (the header repeated, so `.1`), a six-item importance block
  with "No opinion", a choice question where many chose "Other", an upload column whose file names carry
  surnames, and open answers quoting emails and phone numbers.
- `qualtrics_workshop.csv`: a Qualtrics export: "Which workshop?" with three long options, select-all
  questions split one column per option (labels or `1` in the cells, an "Other - Text" column), and a
  satisfaction scale with no table entry ("Very well" ... "Fairly poorly").
- `complaints.csv`: a citizen-complaint platform (no known tool): a unique `ID` column, an attachment column,
  keyboard mash among the complaints.
- `polis/`: a Polis conversation (`comments.csv` with the newer metadata columns, `summary.csv`,
  `participants-votes.csv` with two opinion groups): authors with several comments, moderated and unmoderated
  spam.

Run `python tests/data/exports/make_real_fixtures.py` to rewrite them; the output is deterministic.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent / "real"

EU_TRUST = (
    "In your opinion, what is the best way to ensure that AI is trustworthy, secure and in respect of European values?"
)
EU_TRUST_OPTIONS = (
    "Current EU legislation is fully sufficient",
    "Current EU legislation may have some gaps",
    "There is a need for a new legislation",
    "A voluntary labelling system for AI systems",
    "Codes of conduct developed by the industry itself",
    "Other",
)
EU_BIO = "What is your opinion on the use of remote biometric identification systems in publicly accessible spaces?"
EU_BIO_OPTIONS = (
    "Remote biometric identification should never be allowed in publicly accessible spaces",
    "It should only be allowed in certain cases or if certain conditions are fulfilled",
    "Other special requirements in addition to those mentioned should be imposed",
    "It should be allowed without any further guidelines or conditions",
    "Its use should be decided by each Member State separately",
    "Other",
)
EU_BLOCK = (
    "In your opinion, how important are the following mandatory requirements of a possible future regulatory "
    "framework for AI?"
)
EU_ITEMS = (
    "The quality of training data sets",
    "The keeping of records and data",
    "Information on the purpose and the nature of AI systems",
    "Robustness and accuracy of AI systems",
    "Human oversight",
    "Clear liability and safety rules",
)
EU_SCALE = ("5 - Very important", "4 - Important", "3 - Neutral", "2 - Not important", "1 - Not important at all")
EU_CONCERN = "Which of these is your main concern about AI?"
EU_CONCERNS = ("Safety", "Discrimination", "Privacy")
EU_OPEN = "Do you have any further comments?"
EU_UPLOAD = "You can upload a document here"
EU_SURNAMES = ("Moreau", "Lindqvist", "Okafor", "Novak", "Ruiz", "Weber", "Costa", "Jansen", "Kowalski", "Murphy")
EU_COMMENTS = (
    "Please contact me at claire.moreau@example.org for follow-up.",
    "See written response",
    "Human oversight must stay at the heart of the framework.",
    "",
    "Call our office on +32 2 555 01 23 if anything is unclear.",
    "Training data quality is the most important point for us.",
    "",
    "We support a risk-based approach with clear rules.",
    "Our helpline is 020 7946 0958 (weekdays).",
    "",
)


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def _importance(respondent: int, item: int) -> str:
    """Items 1 and 5 are nearly all important; every item has a "No opinion" now and then."""
    if (respondent + item) % 7 == 0:
        return "No opinion"
    return EU_SCALE[respondent % 2] if item in (0, 4) else EU_SCALE[(respondent + item) % 5]


def eusurvey_rows() -> list[list[str]]:
    header = [
        "Reference",
        "Feedback date",
        "Language",
        "User type",
        "First name",
        "Surname",
        "Organisation name",
        "Country",
        "Publication privacy settings",
        EU_TRUST,
        "Other, please specify",
        EU_BIO,
        "Please specify:",
        *(f"{EU_BLOCK}\n: {item}" for item in EU_ITEMS),
        EU_CONCERN,
        "Other, please specify",
        EU_OPEN,
        EU_UPLOAD,
    ]
    rows = [header]
    for i, surname in enumerate(EU_SURNAMES):
        trust = EU_TRUST_OPTIONS[[0, 1, 2, 2, 3, 5, 1, 2, 4, 2][i]]
        bio = EU_BIO_OPTIONS[[0, 1, 1, 0, 2, 1, 5, 3, 4, 1][i]]
        scale = [_importance(i, k) for k in range(len(EU_ITEMS))]
        concern = "Other" if i % 2 else EU_CONCERNS[i % 3]
        rows.append(
            [
                f"F{500 + i:06d}",
                f"{10 + i}/06/2020",
                "EN",
                ["Citizen", "Company", "Academic", "NGO", "Citizen"][i % 5],
                ["Claire", "Erik", "Ada", "Jan", "Lucia", "Hanna", "Rui", "Pieter", "Ola", "Sean"][i],
                surname,
                "" if i % 2 else f"Org {i}",
                ["France", "Sweden", "Nigeria", "Czechia", "Spain"][i % 5],
                "Public" if i % 3 else "Anonymous",
                trust,
                "A sandbox for start-ups" if trust == "Other" else "",
                bio,
                "Only with a court order" if bio == "Other" else "",
                *scale,
                concern,
                ["Energy use", "Jobs", "Misinformation", "Energy use", "Jobs"][i % 5] if concern == "Other" else "",
                EU_COMMENTS[i],
                f"Contribution_{surname}.pdf" if i % 3 == 0 else "",
            ]
        )
    return rows


QX_META = ["StartDate", "EndDate", "Status", "Progress", "Finished", "ResponseId", "RecipientEmail"]
QX_WORKSHOP = "Which workshop did you attend?"
QX_WORKSHOPS = (
    "Workshop A: Digital skills for rural schools (Tuesday morning session)",
    "Workshop B: Assessment without grades in the first years (Wednesday)",
    "Workshop C: Inclusive classrooms and special educational needs (Thursday)",
)
QX_ROLE = "What is your role? (Select all that apply)"
QX_ROLES = ("Teacher", "Head teacher", "Teaching assistant", "School counsellor", "Other")
QX_GRADE = "Which grade levels do you teach?"
QX_GRADES = tuple(f"Grade {g}" for g in ("K", *range(1, 13)))
QX_WELL = "How well did the workshop meet your needs?"
QX_WELL_SCALE = ("Very well", "Fairly well", "Neither well nor poorly", "Fairly poorly", "Very poorly")
QX_OPEN = "What would you change about the workshop?"
QX_CHANGES = (
    "More time for questions, please.",
    "Shorter breaks.",
    "Send the slides to tom.baker@example.com",
    "More examples from primary schools.",
    "",
    "Jsjdjdj",
    "A follow-up session online.",
    "Fewer slides, more practice.",
)


def qualtrics_rows() -> list[list[str]]:
    codes = [*QX_META, "Q1", *(f"Q2_{k}" for k in range(1, 6)), "Q2_5_TEXT", *(f"Q3_{k}" for k in range(1, 14))]
    codes += ["Q4", "Q5"]
    texts = [*QX_META, QX_WORKSHOP]
    texts += [f"{QX_ROLE} - Selected Choice - {r}" for r in QX_ROLES] + [f"{QX_ROLE} - Other - Text"]
    texts += [f"{QX_GRADE} - Selected Choice - {g}" for g in QX_GRADES] + [QX_WELL, QX_OPEN]
    imports = [json.dumps({"ImportId": c}) for c in codes]
    rows = [codes, texts, imports]
    for i in range(8):
        roles = [r if (i + k) % 3 == 0 or (k == 0 and i % 2) else "" for k, r in enumerate(QX_ROLES)]
        grades = ["1" if (i + k) % 4 == 0 else "" for k in range(len(QX_GRADES))]
        meta = [f"2024-05-0{i + 1} 09:00:00", f"2024-05-0{i + 1} 09:12:00", "IP Address", "100", "True"]
        rows.append(
            [
                *meta,
                f"R_{i + 1:02d}wKsHp",
                f"person{i}@example.net",
                QX_WORKSHOPS[[0, 1, 2, 0, 1, 2, 1, 0][i]],
                *roles,
                "Librarian" if roles[-1] else "",
                *grades,
                QX_WELL_SCALE[[0, 1, 2, 3, 1, 0, 4, 1][i]],
                QX_CHANGES[i],
            ]
        )
    return rows


def complaint_rows() -> list[list[str]]:
    rows = [["ID", "Submitted", "Category", "Complaint", "Attachment"]]
    complaints = (
        ("Roads", "Potholes on Station Road have not been fixed for months."),
        ("Noise", "Loud music every night from the bar opposite."),
        ("Roads", "Jsjdjdj"),
        ("Waste", "Bins were not collected this week. Call me on 07700 900123."),
        ("Noise", "Construction starts at 6am, far too early."),
        ("Waste", "asdfgh"),
        ("Roads", "Street lights are broken near the school."),
        ("Waste", "Overflowing recycling bins in the park."),
    )
    for i, (category, text) in enumerate(complaints):
        attachment = f"photo_{i + 1}.jpg" if i % 2 == 0 else ""
        rows.append([f"C-{2024100 + i}", f"2024-03-{i + 1:02d} 10:00", category, text, attachment])
    return rows


POLIS_TOPIC = "Library opening hours"
POLIS_DESCRIPTION = "How should the town library change its opening hours? Tell us why."
POLIS_COMMENTS = (  # author, moderated, agrees, disagrees, passes, text
    (1, 1, 30, 4, 2, "Open the library on Sunday afternoons."),
    (1, 1, 22, 9, 5, "Sunday opening would help families with young children."),
    (2, 1, 35, 2, 1, "Stay open until 8pm on weekdays for people who work."),
    (3, 1, 18, 12, 6, "Evening opening until 8pm would let students study after school."),
    (2, 1, 8, 25, 4, "Close on Mondays to save money."),
    (4, 0, 1, 0, 0, "Orange orange juice juice"),
    (5, 1, 12, 3, 9, "Longer hours need more staff, so fund them properly."),
    (6, -1, 0, 5, 0, "Visit my shop at www.example.com"),
    (3, 1, 15, 2, 3, "Open at 8am on Saturdays for early risers."),
    (7, 1, 26, 3, 2, "Sunday afternoon opening, even just two hours, would be great."),
    (8, 1, 1, 0, 0, "Jsjdjdj"),
    (6, 1, 19, 6, 4, "Late opening on Thursdays until 9pm."),
    (0, 1, 6, 4, 0, "I am a parent of school-age children."),  # a meta statement (is-meta true)
)


def polis_comments() -> list[list[str]]:
    header = ["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated", "comment-body"]
    header += ["is-seed", "is-meta", "passes", "group-informed-consensus"]
    rows = [header]
    for cid, (author, moderated, agrees, disagrees, passes, text) in enumerate(POLIS_COMMENTS):
        stamp = 1_700_000_000_000 + cid * 60_000
        consensus = f"0.{(agrees * 37) % 1000:03d}"
        seed = "true" if cid == 0 else "false"
        meta = "true" if author == 0 else "false"
        row = [str(stamp), f"Tue Nov 14 22:{13 + cid}:20 UTC 2023", str(cid), str(author), str(agrees)]
        rows.append([*row, str(disagrees), str(moderated), text, seed, meta, str(passes), consensus])
    return rows


def polis_votes() -> list[list[str]]:
    """Ten participants in two opinion groups; 1 agree, -1 disagree, 0 pass, blank unseen."""
    ids = [str(cid) for cid in range(len(POLIS_COMMENTS))]
    rows = [["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree", *ids]]
    for p in range(10):
        group = "0" if p < 6 else "1"
        votes = []
        for cid in range(len(POLIS_COMMENTS)):
            if POLIS_COMMENTS[cid][1] != 1:
                votes.append("")
            elif group == "0":
                votes.append("1" if cid in (0, 1, 9) or (p + cid) % 3 else "-1")
            else:
                votes.append("1" if cid in (2, 3, 11) else ("0" if (p + cid) % 2 else "-1"))
        agree, disagree = votes.count("1"), votes.count("-1")
        n_votes = sum(v != "" for v in votes)
        rows.append([str(p), group, "1" if p < 8 else "0", str(n_votes), str(agree), str(disagree), *votes])
    return rows


def polis_summary() -> list[list[str]]:
    return [
        ["topic", POLIS_TOPIC],
        ["url", "https://pol.is/example"],
        ["voters", "10"],
        ["commenters", "8"],
        ["comments", str(len(POLIS_COMMENTS))],
        ["groups", "2"],
        ["conversation-description", POLIS_DESCRIPTION],
    ]


def fixtures() -> dict[str, bytes]:
    """File name (relative to `real/`) -> bytes of every fixture."""
    return {
        "eusurvey_ai.csv": _csv(eusurvey_rows(), ";").encode("utf-8-sig"),
        "qualtrics_workshop.csv": _csv(qualtrics_rows()).encode("utf-8-sig"),
        "complaints.csv": _csv(complaint_rows()).encode("utf-8"),
        "polis/comments.csv": _csv(polis_comments()).replace("\r\n", "\n").encode("utf-8"),
        "polis/participants-votes.csv": _csv(polis_votes()).replace("\r\n", "\n").encode("utf-8"),
        "polis/summary.csv": _csv(polis_summary()).replace("\r\n", "\n").encode("utf-8"),
    }


def main(target: Path = HERE) -> None:
    """Write every fixture into `target`."""
    for name, data in fixtures().items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_bytes(data)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
