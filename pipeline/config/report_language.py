"""Where the report's catalogues are and which `report.language` values have one (checked when a config loads).

The package ships compiled catalogues for the six UN languages under `pipeline/messages/locale/` (English is the
source text and needs none). A user adds another language by putting `<lang>/LC_MESSAGES/consolidate.po` (or the
compiled `.mo`) under the folder `report.catalogues` names, or under the package's locale folder.
"""

from __future__ import annotations

from pathlib import Path

from babel import Locale, UnknownLocaleError

from pipeline.errors import ConfigError

DOMAIN = "consolidate"
PACKAGE_CATALOGUES = Path(__file__).resolve().parents[1] / "messages" / "locale"
BUILT_IN: tuple[str, ...] = ("en", "fr", "es", "ar", "zh", "ru")
SOURCE_LANGUAGE = "en"


def normalise_language(language: str) -> str:
    """`pt-BR` -> `pt_BR`, `FR` -> `fr`: the gettext and Babel spelling of a locale name."""
    lang, _, region = language.strip().replace("-", "_").partition("_")
    return f"{lang.lower()}_{region}" if region else lang.lower()


def catalogue_file(language: str, extra: Path | None) -> Path | None:
    """The catalogue of `language`: `extra`'s first, then the package's; `.mo` before `.po`; None when none."""
    for folder in (extra, PACKAGE_CATALOGUES):
        for suffix in (".mo", ".po"):
            path = folder / language / "LC_MESSAGES" / f"{DOMAIN}{suffix}" if folder else None
            if path is not None and path.is_file():
                return path
    return None


def check_report_language(language: str, extra: Path | None) -> None:
    """Raise ConfigError (one line) unless `language` is English or has a catalogue Babel can format numbers for."""
    try:
        Locale.parse(language)
    except (UnknownLocaleError, ValueError) as exc:
        raise ConfigError(
            f"report.language {language!r} is not a locale Babel knows (CLDR); "
            f"use one of {', '.join(BUILT_IN)} or a CLDR locale name such as 'de' or 'pt_BR'."
        ) from exc
    if language == SOURCE_LANGUAGE or catalogue_file(language, extra) is not None:
        return
    where = extra or PACKAGE_CATALOGUES
    raise ConfigError(
        f"report.language {language!r} has no catalogue: {where / language / 'LC_MESSAGES' / (DOMAIN + '.po')} "
        f"is missing; add it (README, 'Report languages') or use one of {', '.join(BUILT_IN)}."
    )
