"""Write data/sample/gold.csv: the theme(s) each sample answer was written from, for `consolidate evaluate`.

make_sample.py composes every answer to an open question from the items of one theme of sample_texts.py (sometimes
with one item of a second theme), or takes a hand-written foreign-language or special answer of a theme. This script
reads the answers back from consultation.xlsx and labels each with the themes whose items it contains, so the
sample's own themes can score the findings (`consolidate evaluate data/sample/gold.csv --config configs/sample.yaml`).
Non-answers ("N/A", "-", ...) get no label. Rows: `question` (the question as the export words it, so titles avoid
its words as in `consolidate run`), `id` (the export's ID), `text`, `labels` (theme names joined by `|`).

Usage: python data/sample/make_gold.py [consultation.xlsx] [gold.csv]
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sample_texts import OPEN_QUESTIONS, OpenQuestion  # noqa: E402

HERE = Path(__file__).resolve().parent


def themes_of(text: str, q: OpenQuestion) -> list[str]:
    """Names of the themes an answer was written from, in theme order."""
    names = [name for name, _, _ in q["themes"]]
    fixed = {answer: names[t] for t, answer in q["foreign"] + q["special"]}
    if text in fixed:
        return [fixed[text]]
    found = [name for name, _, items in q["themes"] if any(item.rstrip(".") in text for item in items)]
    return found


def gold_rows(workbook: Path) -> list[dict[str, str]]:
    """One row per non-empty answer cell of every open question."""
    sheet = load_workbook(workbook, read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = [str(h) for h in rows[0]]
    out: list[dict[str, str]] = []
    for q in OPEN_QUESTIONS:
        column = header.index(q["title"])
        for row in rows[1:]:
            cell = row[column]
            if cell is None or not str(cell).strip():
                continue
            text = str(cell)
            labels = themes_of(text, q)
            out.append({"question": q["title"], "id": str(row[0]), "text": text, "labels": "|".join(labels)})
    return out


def main() -> None:
    workbook = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "consultation.xlsx"
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else HERE / "gold.csv"
    rows = gold_rows(workbook)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["question", "id", "text", "labels"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    target.write_text(buffer.getvalue(), encoding="utf-8")
    unlabelled = sum(1 for r in rows if not r["labels"])
    print(f"wrote {target}: {len(rows)} answers, {unlabelled} without a theme (non-answers)", file=sys.stderr)


if __name__ == "__main__":
    main()
