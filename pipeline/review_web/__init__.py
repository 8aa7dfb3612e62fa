"""`consolidate review serve`: review the findings of a run in the browser.

The browser edits the same review copies (`reviews/<run>/<question>.yaml`) as a text editor and `consolidate run`:
every edit is written at once, atomically, with the reviewer's comments kept. Modules:

- `edits`: the edits a reviewer can make, as pure functions over a question's review copy;
- `store`: reading and writing review copies (versions, refusal of stale writes, undo) and the rebuild;
- `view`: what a page shows (findings, their quotes) built from a review copy, and the search over its statements;
- `app`: the Starlette application (token, CSRF, Content-Security-Policy, routes; edits answered with the changed
  parts of the page, statements a page at a time);
- `serve`: starts it on 127.0.0.1 with uvicorn.
"""
