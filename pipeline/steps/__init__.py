"""File adapters: each `step(cfg, paths)` reads a stage's input artifacts, calls its pure function, writes outputs.

`review/` is the review stage's I/O side: the review copies on disk, used by the draft step and `review serve`.
"""
