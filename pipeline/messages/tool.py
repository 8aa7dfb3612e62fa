"""Keep the report's catalogues in step with the English texts: `python -m pipeline.messages.tool` (`make messages`).

    extract   texts.py -> locale/consolidate.pot (Babel's extraction; keywords N_:1c,2 and NP_:1c,2,3)
    update    merge the template into every locale/<lang>/LC_MESSAGES/consolidate.po (new entries untranslated)
    compile   .po -> .mo beside it (what the report reads)
    check     per language: untranslated or fuzzy entries, placeholders that differ from the English, a .mo older
              than its .po; exits 1 when any
    all       the four in order (the default; what `make messages` runs)
    fold F    a legacy catalogue.py (CATALOGUE, en/fr/es) from an older branch: prints the texts.py lines of the
              keys texts.py lacks, and writes the French and Spanish texts of keys the .po files already have
              (so: fold, paste the lines into texts.py, `all`, fold again, translate ar/zh/ru, `all`)

Output is byte-stable: no dates, no source line numbers, entries sorted by key.
"""

from __future__ import annotations

import io
import runpy
import string
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import typer
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from pipeline.config.report_language import DOMAIN, PACKAGE_CATALOGUES
from pipeline.messages.texts import TEXTS

KEYWORDS = {"N_": ((1, "c"), 2), "NP_": ((1, "c"), 2, 3)}
SOURCE = Path(__file__).with_name("texts.py")
TEMPLATE = PACKAGE_CATALOGUES / f"{DOMAIN}.pot"
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)
WIDTH = 116

app = typer.Typer(add_completion=False, help="Extract, update, compile and check the report's catalogues.")


def _catalog(locale: str | None = None) -> Catalog:
    return Catalog(
        locale=locale,
        domain=DOMAIN,
        project="Consolidate",
        version="1",
        copyright_holder="Consolidate",
        msgid_bugs_address="",
        creation_date=FIXED_DATE,
        revision_date=FIXED_DATE,
        fuzzy=False,
    )


def build_template() -> Catalog:
    """The template as Babel extracts it from `texts.py`, with the translator comments."""
    template = _catalog()
    found = extract_from_file("python", str(SOURCE), keywords=KEYWORDS, comment_tags=("TRANSLATORS:",))
    for _lineno, message, comments, context in found:
        template.add(message, context=context, auto_comments=comments)
    return template


class _Stable(Catalog):
    """A catalogue whose header names no Babel version, so the files do not change with the Babel installed."""

    mime_headers = property(
        lambda self: [(k, "Babel\n" if k == "Generated-By" else v) for k, v in Catalog._get_mime_headers(self)],
        Catalog._set_mime_headers,
    )


def _stable(catalog: Catalog) -> Catalog:
    catalog.__class__ = _Stable
    return catalog


def po_bytes(catalog: Catalog) -> bytes:
    """A catalogue as .po bytes, stable across runs and Babel versions."""
    buffer = io.BytesIO()
    write_po(
        buffer,
        _stable(catalog),
        width=WIDTH,
        no_location=True,
        omit_header=False,
        sort_output=False,
        ignore_obsolete=True,
        include_previous=False,
    )
    return buffer.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    """A catalogue compiled, fuzzy entries left out (they count as untranslated)."""
    buffer = io.BytesIO()
    write_mo(buffer, _stable(catalog), use_fuzzy=False)
    return buffer.getvalue()


def po_files() -> Iterator[Path]:
    """Every language's .po under the package's locale folder, in name order."""
    yield from sorted(PACKAGE_CATALOGUES.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def read_catalog(path: Path) -> Catalog:
    """A .po file as a Babel catalogue."""
    with path.open("rb") as handle:
        return read_po(handle, locale=path.parents[1].name, domain=DOMAIN)


def updated(catalog: Catalog, template: Catalog) -> Catalog:
    """`catalog` with the template's entries: new ones untranslated, changed English marked fuzzy, gone ones removed."""
    catalog.update(template, no_fuzzy_matching=False, update_header_comment=False)
    catalog.revision_date = FIXED_DATE
    catalog.fuzzy = False
    return catalog


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def problems(catalog: Catalog) -> list[str]:
    """Each entry not ready for the report: untranslated, fuzzy, or with other placeholders than the English."""
    out = []
    for message in catalog:
        if not message.id:
            continue
        key = message.context or "?"
        english = [message.id] if isinstance(message.id, str) else list(message.id)
        texts = _strings(message)
        if message.fuzzy or not all(texts) or len(texts) < (catalog.num_plurals if message.pluralizable else 1):
            out.append(f"{key}: {'fuzzy' if message.fuzzy else 'untranslated'}")
        elif any(_fields(text) != _fields(english[-1]) for text in texts):
            out.append(f"{key}: placeholders differ from the English {sorted(_fields(english[-1]))}")
    return out


def _write(path: Path, data: bytes) -> bool:
    if path.is_file() and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


@app.command()
def extract() -> None:
    """Write locale/consolidate.pot from texts.py."""
    changed = _write(TEMPLATE, po_bytes(build_template()))
    typer.echo(f"{TEMPLATE.name}: {len(TEXTS)} messages{' (updated)' if changed else ''}")


@app.command()
def update() -> None:
    """Merge the template into every language's .po."""
    template = build_template()
    for path in po_files():
        if _write(path, po_bytes(updated(read_catalog(path), template))):
            typer.echo(f"{path.parents[1].name}: .po updated")


@app.command(name="compile")
def compile_() -> None:
    """Compile every .po to the .mo beside it."""
    for path in po_files():
        if _write(path.with_suffix(".mo"), mo_bytes(read_catalog(path))):
            typer.echo(f"{path.parents[1].name}: .mo compiled")


@app.command()
def check() -> None:
    """Report untranslated entries per language; exit 1 when any language is not ready."""
    template = po_bytes(build_template())
    bad = 0 if TEMPLATE.is_file() and TEMPLATE.read_bytes() == template else 1
    if bad:
        typer.echo(f"{TEMPLATE.name}: out of date with texts.py; run `make messages`")
    for path in po_files():
        catalog = read_catalog(path)
        found = problems(catalog)
        stale = not path.with_suffix(".mo").is_file() or path.with_suffix(".mo").read_bytes() != mo_bytes(catalog)
        missing = sorted(set(TEXTS) - {m.context for m in catalog if m.id})
        found += [f"{key}: not in the .po (run update)" for key in missing]
        found += [".mo not compiled from this .po (run compile)"] if stale else []
        typer.echo(f"{path.parents[1].name}: {len(found)} problem(s) of {len(TEXTS)} messages")
        for line in found:
            typer.echo(f"  {line}")
        bad += bool(found)
    raise typer.Exit(1 if bad else 0)


@app.command(name="all")
def all_() -> None:
    """Extract, update, compile and check."""
    extract()
    update()
    compile_()
    check()


@app.command()
def fold(catalogue: Path) -> None:
    """Fold a legacy catalogue.py's entries in: print their texts.py lines, write their fr/es texts to the .po."""
    legacy = runpy.run_path(str(catalogue))["CATALOGUE"]
    for key, entry in legacy.items():
        if key not in TEXTS:
            typer.echo(_source_line(key, entry["en"]))
    for path in po_files():
        lang = path.parents[1].name
        catalog = read_catalog(path)
        for message in catalog:
            if message.context in legacy and lang in legacy[message.context] and not _translated(message):
                message.string = _legacy_text(legacy[message.context][lang], catalog.num_plurals)
                message.flags.discard("fuzzy")
        _write(path, po_bytes(catalog))


def _translated(message: Message) -> bool:
    return all(_strings(message)) and not message.fuzzy


def _strings(message: Message) -> list[str]:
    """A message's translation as a list of forms (one for a plain text)."""
    value = message.string
    return [value] if isinstance(value, str) else list(value or ())


def _legacy_form(text: str) -> str:
    return "{n}" + text if text.startswith(" ") else "{n} " + text


def _legacy_text(text: str | tuple[str, str], num_plurals: int) -> str | tuple[str, ...]:
    if isinstance(text, str):
        return text
    forms = [_legacy_form(text[0]), *[_legacy_form(text[1])] * (num_plurals - 1)]
    return tuple(forms)


def _source_line(key: str, english: str | tuple[str, str]) -> str:
    if isinstance(english, str):
        return f"    N_({key!r}, {english!r}),"
    return f"    NP_({key!r}, {_legacy_form(english[0])!r}, {_legacy_form(english[1])!r}),"


def main() -> None:
    """Run the tool (`python -m pipeline.messages.tool [command]`); `all` when no command is given."""
    app(args=sys.argv[1:] or ["all"])


if __name__ == "__main__":
    main()
