"""Write the export fixtures: one tiny survey, encoded in the layout of every supported survey tool.

Every file holds the same 6 responses to the same questions (one respondent attribute, a likert block of two
statements, a single choice, a multi-select whose option contains a comma, an open question with a non-answer,
a blank and a formula-like cell, and personal columns), so every file must normalise to the same tables.
Run `python tests/data/exports/make_fixtures.py` to rewrite them; the output is deterministic.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pandas as pd

from pipeline.xlsx import deterministic_xlsx

HERE = Path(__file__).resolve().parent

TYPE_Q = "Respondent type"
LIKERT_Q = "How much do you agree with the following statements?"
STATEMENTS = ("The training was useful", "The materials were clear")
SINGLE_Q = "Would you recommend the course?"
MULTI_Q = "Which topics interest you?"
OPTIONS = ("Cybersecurity", "AI, data and analytics", "Spectrum management")
OPEN_Q = "What could be improved?"

# type, statement 1, statement 2, single, multi (indexes into OPTIONS), open, email, first, last
RESPONSES = [
    (
        "Government",
        "Strongly agree",
        "Agree",
        "Yes",
        (0, 1),
        "More hands-on exercises, please.",
        "ana.lima@example.org",
        "Ana",
        "Lima",
    ),
    ("Academia", "Agree", "Neutral", "Yes", (1,), "N/A", "ben.okafor@example.org", "Ben", "Okafor"),
    (
        "Private sector",
        "Disagree",
        "Strongly disagree",
        "No",
        (0, 2),
        "The sessions were too long.\nShorter modules would help.",
        "chen.wei@example.net",
        "Chen",
        "Wei",
    ),
    ("Government", "Strongly agree", "Strongly agree", "Not sure", (0,), "", "dana.ruiz@example.com", "Dana", "Ruiz"),
    (
        "Civil society",
        "Neutral",
        "Agree",
        "Yes",
        (1, 2),
        "Café breaks were too short – more “networking” time",
        "eli.novak@example.org",
        "Eli",
        "Novak",
    ),
    (
        "Academia",
        "Agree",
        "Disagree",
        "No",
        (),
        "- Provide the slides in advance.",
        "fay.moreau@example.org",
        "Fay",
        "Moreau",
    ),
]
EMAILS = [r[6] for r in RESPONSES]
NAMES = [f"{r[7]} {r[8]}" for r in RESPONSES]


def _choices(indexes: tuple[int, ...]) -> list[str]:
    return [OPTIONS[i] for i in indexes]


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def msforms_rows() -> list[list[str]]:
    header = [
        "ID",
        "Start time",
        "Completion time",
        "Email",
        "Name",
        TYPE_Q,
        *(f"{LIKERT_Q}.{s}" for s in STATEMENTS),
        SINGLE_Q,
        MULTI_Q,
        OPEN_Q,
    ]
    rows = [header]
    for i, (kind, s1, s2, single, multi, text, email, first, last) in enumerate(RESPONSES, start=1):
        cells = "".join(f"{c};" for c in _choices(multi))
        rows.append(
            [
                str(i),
                f"10/{i}/2024 11:0{i}",
                f"10/{i}/2024 11:1{i}",
                email,
                f"{first} {last}",
                kind,
                s1,
                s2,
                single,
                cells,
                text,
            ]
        )
    return rows


def google_rows() -> list[list[str]]:
    header = [
        "Timestamp",
        "Email address",
        TYPE_Q,
        *(f"{LIKERT_Q} [{s}]" for s in STATEMENTS),
        SINGLE_Q,
        MULTI_Q,
        OPEN_Q,
    ]
    rows = [header]
    for i, (kind, s1, s2, single, multi, text, email, _, _) in enumerate(RESPONSES, start=1):
        rows.append(
            [f"2024/10/0{i} 11:0{i}:00 AM GMT+2", email, kind, s1, s2, single, ", ".join(_choices(multi)), text]
        )
    return rows


QUALTRICS_META = [
    "StartDate",
    "EndDate",
    "Status",
    "IPAddress",
    "Progress",
    "Duration (in seconds)",
    "Finished",
    "RecordedDate",
    "ResponseId",
    "RecipientLastName",
    "RecipientFirstName",
    "RecipientEmail",
    "ExternalReference",
    "LocationLatitude",
    "LocationLongitude",
    "DistributionChannel",
    "UserLanguage",
]
QUALTRICS_TEXTS = [
    "Start Date",
    "End Date",
    "Response Type",
    "IP Address",
    "Progress",
    "Duration (in seconds)",
    "Finished",
    "Recorded Date",
    "Response ID",
    "Recipient Last Name",
    "Recipient First Name",
    "Recipient Email",
    "External Data Reference",
    "Location Latitude",
    "Location Longitude",
    "Distribution Channel",
    "User Language",
]


def qualtrics_rows() -> list[list[str]]:
    codes = [*QUALTRICS_META, "Q1", "Q2_1", "Q2_2", "Q3", "Q4", "Q3"]  # Q3 twice, as real exports do
    texts = [
        *QUALTRICS_TEXTS,
        TYPE_Q,
        *(f"{LIKERT_Q} - {s}" for s in STATEMENTS),
        SINGLE_Q,
        f"{MULTI_Q} - Selected Choice",
        OPEN_Q,
    ]
    imports = [json.dumps({"ImportId": m[0].lower() + m[1:]}) for m in QUALTRICS_META]
    imports += [json.dumps({"ImportId": q}) for q in ("QID1", "QID2_1", "QID2_2", "QID3", "QID4", "QID5_TEXT")]
    rows = [codes, texts, imports]
    for i, (kind, s1, s2, single, multi, text, email, first, last) in enumerate(RESPONSES, start=1):
        meta = [
            f"2024-10-0{i} 11:00:00",
            f"2024-10-0{i} 11:10:00",
            "IP Address",
            f"192.0.2.{i}",
            "100",
            "600",
            "True",
            f"2024-10-0{i} 11:10:01",
            f"R_{i:02d}abcXYZ",
            last,
            first,
            email,
            "",
            "46.2",
            "6.1",
            "anonymous",
            "EN",
        ]
        rows.append([*meta, kind, s1, s2, single, ",".join(_choices(multi)), text])
    return rows


def surveymonkey_rows() -> list[list[str]]:
    first = [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
        TYPE_Q,
        LIKERT_Q,
        "",
        SINGLE_Q,
        MULTI_Q,
        "",
        "",
        OPEN_Q,
    ]
    second = [""] * 9 + ["Response", *STATEMENTS, "Response", *OPTIONS, "Open-Ended Response"]
    rows = [first, second]
    for i, (kind, s1, s2, single, multi, text, email, name, last) in enumerate(RESPONSES, start=1):
        ticks = [o if k in multi else "" for k, o in enumerate(OPTIONS)]
        rows.append(
            [
                f"1140{i}",
                "4321",
                f"10/0{i}/2024 11:00:00 AM",
                f"10/0{i}/2024 11:10:00 AM",
                f"192.0.2.{i}",
                email,
                name,
                last,
                "",
                kind,
                s1,
                s2,
                single,
                *ticks,
                text,
            ]
        )
    return rows


def limesurvey_rows() -> list[list[str]]:
    header = [
        "id",
        "submitdate",
        "lastpage",
        "startlanguage",
        "seed",
        "firstname",
        "lastname",
        "email",
        TYPE_Q,
        *(f"{LIKERT_Q} [{s}]" for s in STATEMENTS),
        SINGLE_Q,
        *(f"{MULTI_Q} [{o}]" for o in OPTIONS),
        OPEN_Q,
    ]
    rows = [header]
    for i, (kind, s1, s2, single, multi, text, email, name, last) in enumerate(RESPONSES, start=1):
        ticks = ["Yes" if k in multi else "" for k in range(len(OPTIONS))]
        rows.append(
            [
                str(i),
                f"2024-10-0{i} 11:10:00",
                "3",
                "en",
                f"98765{i}",
                name,
                last,
                email,
                kind,
                s1,
                s2,
                single,
                *ticks,
                text,
            ]
        )
    return rows


def eusurvey_rows() -> list[list[str]]:
    header = [
        "Reference",
        "Feedback date",
        "Language",
        "First name",
        "Surname",
        "Email",
        TYPE_Q,
        *(f"{LIKERT_Q}\n: {s}" for s in STATEMENTS),
        SINGLE_Q,
        MULTI_Q,
        OPEN_Q,
    ]
    rows = [header]
    for i, (kind, s1, s2, single, multi, text, email, name, last) in enumerate(RESPONSES, start=1):
        rows.append(
            [
                f"F{i:05d}",
                f"0{i}/10/2024",
                "EN",
                name,
                last,
                email,
                kind,
                s1,
                s2,
                single,
                ";".join(_choices(multi)),
                text,
            ]
        )
    return rows


def generic_rows() -> list[list[str]]:
    rows = [["resp_no", "org_kind", "useful", "clear", "recommend", "topics", "improve", "contact"]]
    for i, (kind, s1, s2, single, multi, text, email, _, _) in enumerate(RESPONSES, start=1):
        rows.append([f"G{i}", kind, s1, s2, single, "|".join(_choices(multi)), text, email])
    return rows


GENERIC_YAML = f"""\
input:
  path: generic.csv
  format: generic
  id_column: resp_no
  multi_separator: "|"
questions:
  - {{column: resp_no, id: resp_no, kind: ignore}}
  - {{column: org_kind, id: respondent_type, kind: meta, text: {TYPE_Q},
     options: [Government, Academia, Private sector, Civil society]}}
  - {{column: useful, id: training_useful, kind: likert, text: {STATEMENTS[0]}, block: "{LIKERT_Q}",
     options: [Strongly agree, Agree, Neutral, Disagree, Strongly disagree]}}
  - {{column: clear, id: materials_clear, kind: likert, text: {STATEMENTS[1]}, block: "{LIKERT_Q}",
     options: [Strongly agree, Agree, Neutral, Disagree, Strongly disagree]}}
  - {{column: recommend, id: recommend_course, kind: single, text: "{SINGLE_Q}", options: ["Yes", "No", Not sure]}}
  - {{column: topics, id: topics_interest, kind: multi, text: "{MULTI_Q}",
     options: [Cybersecurity, "AI, data and analytics", Spectrum management]}}
  - {{column: improve, id: improved, kind: open, text: "{OPEN_Q}"}}
  - {{column: contact, id: contact, kind: personal}}
"""

POLIS_ROWS = [
    ["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated", "comment-body"],
    ["1658934589213", "Wed Jul 27 22:09:49 WIB 2022", "0", "3", "2", "1", "1", "Hold regular youth forums"],
    ["1658934593316", "Wed Jul 27 22:09:53 WIB 2022", "1", "5", "0", "4", "-1", "What age are you?"],
    ["1658934631392", "Wed Jul 27 22:10:31 WIB 2022", "2", "3", "4", "0", "1", "Pay young people for their time"],
    ["1658934633363", "Wed Jul 27 22:10:33 WIB 2022", "3", "7", "3", "0", "0", "Use social media to reach them"],
]


def fixtures() -> dict[str, bytes]:
    """File name -> bytes of every fixture."""
    ms = msforms_rows()
    ms_frame = pd.DataFrame(ms[1:], columns=ms[0]).astype({"ID": "int64"})
    return {
        "msforms.xlsx": deterministic_xlsx(ms_frame, "Sheet1"),
        "msforms.csv": _csv(ms).encode("utf-8"),
        "msforms_cp1252.csv": _csv(ms).encode("cp1252"),
        "google.csv": _csv(google_rows()).encode("utf-8"),
        "qualtrics.csv": _csv(qualtrics_rows()).encode("utf-8-sig"),
        "surveymonkey.csv": _csv(surveymonkey_rows()).encode("utf-8"),
        "limesurvey.csv": _csv(limesurvey_rows()).encode("utf-8"),
        "eusurvey.csv": _csv(eusurvey_rows(), ";").encode("utf-8-sig"),
        "generic.csv": _csv(generic_rows()).encode("utf-8"),
        "generic.yaml": GENERIC_YAML.encode("utf-8"),
        "polis.csv": _csv(POLIS_ROWS).replace("\r\n", "\n").encode("utf-8"),
    }


def main(target: Path = HERE) -> None:
    """Write every fixture into `target`."""
    target.mkdir(parents=True, exist_ok=True)
    for name, data in fixtures().items():
        (target / name).write_bytes(data)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
