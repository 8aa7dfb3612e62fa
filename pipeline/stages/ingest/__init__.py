"""Ingest stage: a raw export (`pipeline.readers.RawExport`) and the config -> the tables of `01_ingest/`.

Takes the export as read (header, rows, column facts, Polis context) and the typed config. Gives an `IngestResult`:
respondents, questions, answers (long; each open answer with its language, masked contact details, non-answer
kind), counts, the issues rows (what the reader or ingest could not use, never dropped silently), the Polis votes
table and the warnings of config/data mismatches. Touches no files (`pipeline.steps.ingest` writes them).

Modules: `stage` (run_ingest), `checks` (config against data, reader issues), `votes` (Polis votes table).
"""

from pipeline.stages.ingest.stage import IngestResult, run_ingest

__all__ = ["IngestResult", "run_ingest"]
