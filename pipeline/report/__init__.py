"""The report: one document model (`model`), built from run results (`build`), rendered to Markdown, HTML, Word."""
