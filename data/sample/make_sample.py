"""Write data/sample/consultation.xlsx, a synthetic Microsoft Forms export (67 respondents).

All data is invented. It copies the structure of the public ITU consultation on the Strategic and Financial Plans
2028-2031. Output is deterministic: a fixed seed, fixed workbook properties and fixed zip timestamps mean that two
runs on the same Python/openpyxl/zlib versions give identical bytes.

Usage: python data/sample/make_sample.py [output.xlsx]
"""

from __future__ import annotations

import io
import random
import re
import sys
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sample_texts import CLOSINGS, LEAD_INS, NON_ANSWERS, OPEN_QUESTIONS, OpenQuestion  # noqa: E402

SEED = 20241025
N = 67
OUT = Path(__file__).resolve().parent / "consultation.xlsx"
FIXED_TIME = datetime(2024, 12, 10, 9, 0, 0)
Cell = str | int | None

LIKERT = ["Strongly agree", "Somewhat agree", "Do not agree", "N/A", "Other"]
SP_STEM = "The ITU strategic plan can benefit from..."
FP_STEM = "The ITU financial plan can benefit from..."
# Counts per answer option, in the order of the option list, then the number of blanks. Each list sums to N.
SINGLE_CHOICE: list[tuple[str, list[str], list[int]]] = [
    ("Respondent type", ["Member State", "Sector Member", "Academia", "Other"], [30, 22, 10, 5, 0]),
    ("Region", ["Africa", "Americas", "Arab States", "Asia-Pacific", "CIS", "Europe"], [14, 10, 8, 13, 5, 17, 0]),
    (
        "How familiar are you with the current ITU strategic plan 2024-2027 and the ITU strategic framework?",
        ["Very familiar", "Somewhat familiar", "Not familiar"],
        [28, 31, 6, 2],
    ),
    (
        "How familiar are you with the current ITU financial plan 2024-2027?",
        ["Very familiar", "Somewhat familiar", "Not familiar"],
        [19, 33, 13, 2],
    ),
]
# Four statements get more than 85% agreement (Strongly + Somewhat); the other four get 55-80%.
SP_STATEMENTS: list[tuple[str, list[int]]] = [
    ("more focus of the activities of the organization", [36, 21, 4, 2, 1, 3]),
    ("better reflecting the needs of the ITU membership", [22, 23, 13, 3, 2, 4]),
    ("adapting the vision and mission of the ITU in the evolving environment", [33, 24, 5, 2, 1, 2]),
    ("further simplification and clarity", [40, 18, 4, 1, 1, 3]),
    ("revisiting the strategic goals", [20, 22, 16, 4, 2, 3]),
    ("revisiting the thematic priorities", [31, 26, 5, 2, 0, 3]),
    ("revisiting the product and service offerings", [15, 24, 17, 6, 2, 3]),
    ("revisiting the enablers", [18, 25, 14, 5, 2, 3]),
]
FP_STATEMENTS: list[tuple[str, list[int]]] = [
    (
        "better reflecting the allocation of financial resources to achieve the Union's strategic goals",
        [30, 24, 6, 3, 1, 3],
    ),
    ("further clarity in reporting and communicating the financial statements", [34, 21, 5, 2, 1, 4]),
]
YES_NO: list[tuple[str, list[int]]] = [
    (
        "Would the ITU strategic plan benefit from better reflecting the role of the ITU regional presence?",
        [46, 7, 12, 2],
    ),
    ("Could the concept of One ITU be further strengthened in the new ITU strategic plan?", [49, 4, 13, 1]),
    (
        "Would the strategic plan benefit from an improved linkage and alignment with the financial plan, "
        "in terms of strategic priorities and allocation of financial resources?",
        [58, 2, 6, 1],
    ),
]
MULTI_TITLE = "Which ITU activities matter most to your organization? (select all that apply)"
MULTI_OPTIONS: list[tuple[str, float]] = [
    ("Standardization", 0.6),
    ("Radiocommunication", 0.55),
    ("Development", 0.5),
    ("Capacity building", 0.45),
    ("Events", 0.2),
]
IDENTITIES: list[tuple[str, str]] = [
    ("a.member@example.org", "Alex Member"),
    ("b.delegate@example.org", "Bea Delegate"),
    ("c.sample@example.net", "Carlos Sample"),
    ("d.placeholder@example.com", "Dana Placeholder"),
    ("e.tester@example.org", "Emil Tester"),
    ("f.example@example.net", "Fatima Example"),
    ("g.fictional@example.com", "Gao Fictional"),
    ("h.mock@example.org", "Hana Mock"),
    ("i.dummy@example.net", "Ivan Dummy"),
    ("j.specimen@example.com", "Jana Specimen"),
]


def from_counts(rng: random.Random, options: list[str], counts: list[int]) -> list[Cell]:
    """One value per respondent: each option repeated by its count, then blanks (None), shuffled."""
    values: list[Cell] = [opt for opt, n in zip(options, counts, strict=False) for _ in range(n)]
    values += [None] * counts[len(options)]
    assert len(values) == N, (options, counts)
    rng.shuffle(values)
    return values


def ms_forms_time(dt: datetime) -> str:
    """MS Forms locale string, e.g. '10/25/24 14:02:11' (month, day and hour not zero-padded)."""
    return f"{dt.month}/{dt.day}/{dt:%y} {dt.hour}:{dt:%M:%S}"


def timestamps(rng: random.Random) -> list[tuple[str, str]]:
    """(start, completion) per respondent, ordered by completion like MS Forms IDs."""
    first, last = datetime(2024, 10, 25, 8, 30), datetime(2024, 12, 9, 17, 0)
    span = int((last - first).total_seconds()) - 3600
    pairs = []
    for _ in range(N):
        start = first + timedelta(seconds=rng.randrange(span))
        pairs.append((start, start + timedelta(seconds=rng.randint(240, 2700))))
    pairs.sort(key=lambda p: p[1])
    return [(ms_forms_time(s), ms_forms_time(e)) for s, e in pairs]


def multi_select(rng: random.Random) -> list[Cell]:
    """Multi-select answers joined MS Forms style: 'A;C;' (two respondents skip the question)."""
    skip = set(rng.sample(range(N), 2))
    values: list[Cell] = []
    for i in range(N):
        chosen = [opt for opt, p in MULTI_OPTIONS if rng.random() < p] or [rng.choice(MULTI_OPTIONS)[0]]
        values.append(None if i in skip else "".join(f"{opt};" for opt in chosen))
    return values


def is_sentence(item: str) -> bool:
    return item.rstrip()[-1] in ".?!"


class ThemePool:
    """Hands out a theme's items in rotation, so that every item gets used before any is reused."""

    def __init__(self, rng: random.Random, items: list[str]) -> None:
        self.rng = rng
        self.sentences = [s for s in items if is_sentence(s)]
        self.phrases = [s for s in items if not is_sentence(s)]
        rng.shuffle(self.sentences)
        rng.shuffle(self.phrases)
        self.pos = 0

    def take(self, k: int) -> list[str]:
        out: list[str] = []
        while len(out) < min(k, len(self.sentences)):
            if self.pos == len(self.sentences):
                self.rng.shuffle(self.sentences)
                self.pos = 0
            item = self.sentences[self.pos]
            self.pos += 1
            if item not in out:
                out.append(item)
        return out

    def take_phrase(self) -> str | None:
        return self.phrases.pop() if self.phrases else None


def compose(rng: random.Random, pool: ThemePool, others: list[ThemePool], multiline: bool = False) -> str:
    """One answer built from a theme's items: a short phrase, or 1-4 sentences, sometimes as a list or mixed."""
    if not multiline and rng.random() < 0.25 and (phrase := pool.take_phrase()):
        return phrase
    k = rng.choices([1, 2, 3, 4], weights=[40, 35, 18, 7])[0]
    parts = pool.take(max(k, 2) if multiline else k)
    if len(parts) >= 2 and rng.random() < 0.2:  # a second theme in the same answer
        parts += rng.choice(others).take(1)
    style = rng.random()
    if multiline or (len(parts) >= 2 and style < 0.12):
        return "\n".join(f"{i}. {p}" for i, p in enumerate(parts, 1))
    if len(parts) >= 2 and style < 0.20:
        return "\n".join(f"• {p}" for p in parts)
    if len(parts) >= 2 and style < 0.26:
        return " ".join(f"{i}) {p}" for i, p in enumerate(parts, 1))
    if len(parts) >= 2 and rng.random() < 0.12:
        parts.insert(0, rng.choice(LEAD_INS))
    if len(parts) >= 2 and rng.random() < 0.08:
        parts.append(rng.choice(CLOSINGS))
    text = " ".join(parts)
    if len(parts) == 1 and rng.random() < 0.15:  # casual answer without a final full stop
        text = text.rstrip(".")
    return text


def open_column(rng: random.Random, q: OpenQuestion, diligence: list[float]) -> list[Cell]:
    """Answers to one open question: generated, foreign and special answers, non-answers, then blanks."""
    pools = [ThemePool(rng, items) for _, _, items in q["themes"]]
    answers: list[str] = []
    used: set[str] = set()
    for t, (_, size, _) in enumerate(q["themes"]):
        fixed = [text for i, text in q["foreign"] + q["special"] if i == t]
        answers += fixed
        used.update(fixed)
        others = pools[:t] + pools[t + 1 :]
        for j in range(size - len(fixed)):
            for _attempt in range(50):
                text = compose(rng, pools[t], others, multiline=(t == 0 and j == 0))
                if text not in used:
                    break
            else:
                raise RuntimeError(f"could not make a distinct answer for {q['title']!r}, theme {t}")
            used.add(text)
            answers.append(text)
    values: list[Cell] = [*answers, *rng.sample(NON_ANSWERS, q["non_answers"])]
    missing = N - len(values)
    assert missing >= 0, q["title"]
    rng.shuffle(values)
    # Respondents with low diligence are the likeliest to skip an open question.
    order = sorted(range(N), key=lambda i: rng.random() * diligence[i])
    skipped = set(order[:missing])
    it = iter(values)
    return [None if i in skipped else next(it) for i in range(N)]


def build(rng: random.Random) -> tuple[list[str], list[list[Cell]]]:
    """Header and rows of the MS Forms sheet."""
    columns: dict[str, list[Cell]] = {}
    times = timestamps(rng)
    columns["ID"] = list(range(1, N + 1))  # numeric, as in MS Forms exports
    columns["Start time"] = [s for s, _ in times]
    columns["Completion time"] = [e for _, e in times]
    columns["Email"] = ["anonymous"] * N
    columns["Name"] = ["anonymous"] * N
    for i, (email, name) in zip(sorted(rng.sample(range(N), len(IDENTITIES))), IDENTITIES, strict=True):
        columns["Email"][i], columns["Name"][i] = email, name
    for title, options, counts in SINGLE_CHOICE:
        columns[title] = from_counts(rng, options, counts)
    for stem, statements in ((SP_STEM, SP_STATEMENTS), (FP_STEM, FP_STATEMENTS)):
        for statement, counts in statements:
            columns[f"{stem}.{statement}"] = from_counts(rng, LIKERT, counts)
    for title, counts in YES_NO:
        columns[title] = from_counts(rng, ["Yes", "No", "Not sure"], counts)
    columns[MULTI_TITLE] = multi_select(rng)
    diligence = [rng.uniform(0.2, 1.0) for _ in range(N)]
    for q in OPEN_QUESTIONS:
        columns[q["title"]] = open_column(rng, q, diligence)
    header = list(columns)
    rows = [[columns[h][i] for h in header] for i in range(N)]
    return header, rows


def stable_zip(data: bytes) -> bytes:
    """Rewrite the xlsx zip with fixed entry timestamps and a fixed dcterms:modified."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, payload)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, payload)
    return out.getvalue()


def write_xlsx(header: list[str], rows: list[list[Cell]], path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(header)
    for row in rows:
        ws.append(row)
    for line in ws.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # keep formula-like answers as text, as MS Forms does
    props = wb.properties
    props.creator = props.lastModifiedBy = "Consolidate sample"
    props.title = "Synthetic consultation sample (Microsoft Forms layout)"
    props.created = props.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(stable_zip(buf.getvalue()))


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUT
    header, rows = build(random.Random(SEED))
    write_xlsx(header, rows, out)
    print(f"wrote {out} ({len(rows)} responses, {len(header)} columns)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
