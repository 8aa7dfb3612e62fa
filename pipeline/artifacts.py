"""The one place that knows run folders, file names, formats and column contracts.

A run folder looks like::

    outputs/<run>/
      manifest.json
      01_ingest/    respondents.parquet  questions.parquet  answers.parquet  votes.parquet  counts.csv  issues.csv
      02_closed/    closed.json  tables/*.csv  charts/*.png|svg
      03_embed/     statements.parquet  vectors/<question>.npy  phrases.parquet  phrase_vectors/<question>.npy
      04_cluster/   clusters.parquet
      05_findings/  findings.json  breakdowns.csv  campaigns.csv
      06_draft/     <question>.md  <question>.yaml (generated)  <question>.rerun.md  assignments.csv  .xlsx
                    breakdowns.csv
      07_report/    report.md  report.html  report.docx

Every write goes through `write_atomic` (temporary file + rename), so an interrupted run never leaves a
half-written artifact behind.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.config import PipelineConfig, inside
from pipeline.errors import OutputError, StageError

STAGES: tuple[str, ...] = ("ingest", "closed", "embed", "cluster", "findings", "draft", "report")
STAGE_DIRS: dict[str, str] = {name: f"{i:02d}_{name}" for i, name in enumerate(STAGES, start=1)}

# Column contracts of the tables passed between stages.
RESPONDENT_COLUMNS = ["respondent_id", "source_row"]  # + one column per `meta` question id
# `unit`: what one response to the question is, and so what its counts count: `respondent`, or `comment` for the
# open question of a Polis conversation (each comment one response; `readers.layouts.COUNT_UNITS`)
QUESTION_COLUMNS = ["question_id", "text", "kind", "options", "block", "other_of", "source_column", "position", "unit"]
# `language`: ISO 639-1 code of an open answer (`und` when unsure), '' for other answers (pipeline/languages.py);
# `noise`: why an open answer is a non-answer (`pipeline.detect.noise.NOISE_KINDS`), '' for the others
ANSWER_COLUMNS = ["respondent_id", "question_id", "value", "status", "source_row", "language", "noise"]
ANSWER_STATUSES = ("answer", "non_answer", "unreadable")
COUNT_COLUMNS = ["question_id", "kind", "respondents", "answers", "non_answers", "blank", "unreadable"]
ISSUE_COLUMNS = ["stage", "question_id", "respondent_id", "source_row", "column", "problem"]
# `passes`: nullable integer, <NA> where the Polis export does not say (no `passes` column, no participants-votes.csv)
# `author_id`: the participant who wrote the comment (Polis `author-id`), kept beside the comment's own response id
VOTE_COLUMNS = [
    "respondent_id",
    "question_id",
    "source_row",
    "comment_id",
    "author_id",
    "group",
    "agrees",
    "disagrees",
    "passes",
]
FINDING_BREAKDOWN_COLUMNS = [  # 05_findings/breakdowns.csv: who said each finding, per respondent attribute
    "question_id",
    "finding_id",
    "attribute",
    "value",
    "n_respondents",
    "group_answered",
    "pct_of_group",
    "q_value",
    "flag",
]
STATEMENT_COLUMNS = [
    "statement_id",
    "respondent_id",
    "question_id",
    "answer_text",
    "text",
    "position",
    "source_row",
    "language",
    "noise",  # the statement's noise kind ('' when it says something): it joins no finding
    "copy_of",  # key of its answer's text, shared by exact and near copies (campaigns; stages/shared/copies.py)
]  # then `vector_row`: the statement's row in its question's vectors (the embed step adds it; copies share a row)
PHRASE_COLUMNS = ["question_id", "text"]
CLUSTER_COLUMNS = ["statement_id", "question_id", "cluster", "subcluster", "group", "probability", "campaign"]
ASSIGNMENT_COLUMNS = ["response_id", "question_id", "statement_id", "finding_id", "rank", "title", "campaign_id"]
CAMPAIGN_COLUMNS = [
    "question_id",
    "campaign_id",
    "n_respondents",
    "share",
    "text",
    "variants",
]  # 05_findings/campaigns.csv

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write a file atomically (temporary file in the same folder, then rename).

    The file gets the permissions the umask allows (0644 under the usual umask 022, as an editor would create
    it; `tempfile.mkstemp` would force 0600). A folder or file that cannot be written is an OutputError naming it.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _temporary(path)
    except OSError as exc:
        raise _output_error(path, exc) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _output_error(path, exc) from exc
        raise


def _temporary(path: Path) -> tuple[int, str]:
    """Create a new temporary file next to `path`, with mode 0666 minus the umask."""
    while True:
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666), str(tmp)
        except FileExistsError:
            continue


def _output_error(path: Path, exc: OSError) -> OutputError:
    reason = exc.strerror or type(exc).__name__
    where = exc.filename or path
    return OutputError(
        f"Cannot write {path} ({reason}: {where}); make the folder writable, free disk space, "
        "or point run.output_dir / review.dir / --out elsewhere."
    )


def check_no_links(folder: Path) -> None:
    """Refuse a folder that holds a symbolic link (an OutputError naming it): no write may follow one out of it.

    Run and review folders only ever hold files the pipeline or a reviewer wrote; a link there (committed to
    `reviews/` under version control, say) would send a backup or a rewrite to whatever file it points at.
    """
    if not folder.is_dir():
        return
    for parent, folders, files in os.walk(folder):
        for name in sorted([*folders, *files]):
            entry = Path(parent) / name
            if entry.is_symlink():
                raise OutputError(
                    f"{entry} is a symbolic link (to {os.readlink(entry)}); consolidate never writes through a link: "
                    "delete it (or replace it with a copy of the file) and rerun."
                )


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on a folder while a file in it is compared and rewritten.

    The draft stage and `review serve` take it around "check the review copy is as read, then write it", so that
    neither writes over an edit the other saved a moment before. POSIX only (`flock`); elsewhere it locks nothing.
    """
    try:
        import fcntl
    except ImportError:  # Windows
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def write_with(path: Path, writer: Callable[[io.BytesIO], Any]) -> None:
    """Atomically write whatever `writer` puts into a bytes buffer."""
    buffer = io.BytesIO()
    writer(buffer)
    write_atomic(path, buffer.getvalue())


def write_table(path: Path, frame: pd.DataFrame) -> None:
    """Write a DataFrame as parquet (between stages) atomically."""
    write_with(path, lambda buf: frame.to_parquet(buf, index=False))


def read_table(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """Read a parquet table written by `write_table`; a missing file is a StageError naming the stage.

    `columns`: only these, those the file has (a million statements' texts are not read where ids will do).
    """
    if not path.is_file():
        raise StageError(f"{path} is missing; run the stage that writes it first (or `consolidate run CONFIG`).")
    if columns is None:
        return pd.read_parquet(path)
    import pyarrow.parquet as pq

    present = set(pq.read_schema(path).names)
    return pd.read_parquet(path, columns=[c for c in columns if c in present])


def neutralise_formula(value: Any) -> Any:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_for_spreadsheet(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy whose text cells cannot be read as formulas by Excel/LibreOffice."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise_formula)
    return out


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    """Write a user-facing CSV (UTF-8, formula-safe) atomically."""
    write_atomic(path, safe_for_spreadsheet(frame).to_csv(index=False, lineterminator="\n"))


def write_xlsx(path: Path, frame: pd.DataFrame, sheet: str = "Sheet1") -> None:
    """Write a user-facing XLSX (formula-safe, fixed metadata so reruns are byte-identical) atomically."""
    from pipeline.xlsx import deterministic_xlsx

    write_atomic(path, deterministic_xlsx(safe_for_spreadsheet(frame), sheet))


def write_json(path: Path, obj: Any) -> None:
    """Write canonical JSON (sorted keys, UTF-8) atomically."""
    write_atomic(path, json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n")


def read_json(path: Path) -> Any:
    """Read JSON written by `write_json`."""
    if not path.is_file():
        raise StageError(f"{path} is missing; run the stage that writes it first (or `consolidate run CONFIG`).")
    return json.loads(path.read_text(encoding="utf-8"))


def write_array(path: Path, array: np.ndarray) -> None:
    """Write a numpy array (.npy) atomically."""
    write_with(path, lambda buf: np.save(buf, array, allow_pickle=False))


def read_array(path: Path) -> np.ndarray:
    """Read an array written by `write_array`."""
    if not path.is_file():
        raise StageError(f"{path} is missing; run the embed stage first (or `consolidate run CONFIG`).")
    array: np.ndarray = np.load(path, allow_pickle=False)
    return array


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, streamed."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def review_dir(cfg: PipelineConfig) -> Path:
    """Folder of the reviewer's editable sidecars of this run (outside outputs/, so never deleted with it)."""
    return inside(cfg.resolve(cfg.review.dir), cfg.run_name, "review.dir")


def review_copy(cfg: PipelineConfig, question_id: str) -> Path:
    """The reviewer's editable copy of a question's sidecar."""
    return review_dir(cfg) / f"{question_id}.yaml"


@dataclass(frozen=True)
class RunPaths:
    """File names of one run folder."""

    root: Path

    def stage_dir(self, stage: str) -> Path:
        """Folder of a stage's artifacts."""
        return self.root / STAGE_DIRS[stage]

    @property
    def manifest(self) -> Path:
        """The run manifest."""
        return self.root / "manifest.json"

    def stage_stamp(self, stage: str) -> Path:
        """Fingerprint of the inputs + config a stage last ran on."""
        return self.stage_dir(stage) / ".stamp.json"

    # 01 ingest
    @property
    def respondents(self) -> Path:
        """Respondents table."""
        return self.stage_dir("ingest") / "respondents.parquet"

    @property
    def questions(self) -> Path:
        """Questions table."""
        return self.stage_dir("ingest") / "questions.parquet"

    @property
    def answers(self) -> Path:
        """Answers table (long format)."""
        return self.stage_dir("ingest") / "answers.parquet"

    @property
    def votes(self) -> Path:
        """Polis votes per comment (and opinion group); empty for other exports."""
        return self.stage_dir("ingest") / "votes.parquet"

    @property
    def counts(self) -> Path:
        """Per-question counts of answers, non-answers, blanks and unreadable cells."""
        return self.stage_dir("ingest") / "counts.csv"

    def issues(self, stage: str) -> Path:
        """Rows a stage could not use, with the reason."""
        return self.stage_dir(stage) / "issues.csv"

    # 02 closed
    @property
    def closed(self) -> Path:
        """Closed-question statistics."""
        return self.stage_dir("closed") / "closed.json"

    @property
    def charts(self) -> Path:
        """Chart folder."""
        return self.stage_dir("closed") / "charts"

    # 03 embed
    @property
    def statements(self) -> Path:
        """Statements of open answers, in embedding order."""
        return self.stage_dir("embed") / "statements.parquet"

    def vectors(self, question_id: str) -> Path:
        """One question's distinct vectors (float32, L2-normalised); a statement's row is its `vector_row`."""
        return self.stage_dir("embed") / "vectors" / f"{question_id}.npy"

    @property
    def phrases(self) -> Path:
        """Title candidates of every question (`question_id, text`), in embedding order."""
        return self.stage_dir("embed") / "phrases.parquet"

    def phrase_vectors(self, question_id: str) -> Path:
        """Embeddings of one question's title candidates, rows in phrases order."""
        return self.stage_dir("embed") / "phrase_vectors" / f"{question_id}.npy"

    # 04 cluster
    @property
    def clusters(self) -> Path:
        """Cluster label per statement (-1 = not grouped)."""
        return self.stage_dir("cluster") / "clusters.parquet"

    # 05 findings
    @property
    def findings(self) -> Path:
        """Ranked findings of every open question."""
        return self.stage_dir("findings") / "findings.json"

    @property
    def campaigns(self) -> Path:
        """One row per campaign of every question (CAMPAIGN_COLUMNS)."""
        return self.stage_dir("findings") / "campaigns.csv"

    @property
    def breakdowns(self) -> Path:
        """Who said each generated finding: respondents per group of each attribute (FINDING_BREAKDOWN_COLUMNS)."""
        return self.stage_dir("findings") / "breakdowns.csv"

    @property
    def writer_cache(self) -> Path:
        """The language model's replies (writer), one JSON file per (model, prompt checksum)."""
        return self.stage_dir("findings") / "writer_cache"

    # 06 drafts
    def draft_md(self, question_id: str) -> Path:
        """Generated Markdown draft of one question."""
        return self.stage_dir("draft") / f"{question_id}.md"

    def draft_yaml(self, question_id: str) -> Path:
        """Generated sidecar of one question (the review copy lives in the review folder)."""
        return self.stage_dir("draft") / f"{question_id}.yaml"

    def review_record(self, question_id: str) -> Path:
        """Checksum of the review copy the draft stage last wrote, and whether it held reviewer comments."""
        return self.stage_dir("draft") / f".{question_id}.review.json"

    def rerun_md(self, question_id: str) -> Path:
        """What the last rerun did to a question's reviewed findings (matched, new, vanished, unapplied edits)."""
        return self.stage_dir("draft") / f"{question_id}.rerun.md"

    @property
    def assignments_csv(self) -> Path:
        """Audit table: response id, question, finding."""
        return self.stage_dir("draft") / "assignments.csv"

    @property
    def assignments_xlsx(self) -> Path:
        """Audit table as Excel."""
        return self.stage_dir("draft") / "assignments.xlsx"

    @property
    def draft_breakdowns(self) -> Path:
        """Who said each reviewed finding (the report's figures; FINDING_BREAKDOWN_COLUMNS)."""
        return self.stage_dir("draft") / "breakdowns.csv"

    # 07 report
    def report(self, extension: str) -> Path:
        """Final report in one format (md, html, docx, pdf)."""
        return self.stage_dir("report") / f"report.{extension}"
