"""File adapters: each `step(cfg, paths)` reads a stage's input artifacts, calls its pure function, writes outputs."""
