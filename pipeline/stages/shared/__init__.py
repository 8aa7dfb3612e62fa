"""Modules more than one stage uses; below every stage package, they import none.

- `copies`: which answers are copies of one another (exact and near: MinHash LSH); keyed by embed, used by cluster.
- `mismatch`: config and data that disagree: an error, or warnings with `run.on_mismatch: warn` (ingest, closed).
- `words`: the phrase grammar (word lists, runs of words, headline shapes) of candidate phrases, key phrases,
  titles and summaries (embed, findings).
- `phrases`: the candidate title phrases the embed stage embeds and the findings stage ranks.
- `tasks`: pure functions a stage maps over chunks, here or on the run's Dask workers (`pipeline.engine`); the
  cluster stage's nearest-centroid assignment.
- `units`: what one response to a question is (`questions.unit`: respondent, or a Polis comment) for draft, report
  and the review page.
- `threads`: one BLAS/OpenMP thread for the numeric work of the cluster and findings stages, so their output does
  not depend on the process's thread state (cluster, findings, tasks).
"""
