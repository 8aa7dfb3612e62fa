"""Text encoding of a CSV export: UTF-8 first, then the Windows and Mac code pages survey tools and Excel write.

Generic detectors (charset-normalizer) need long texts; survey cells are short, and on a few accented words they
pick exotic code pages ("5€" read as "5Ć" in cp775). So, in order:

1. A byte order mark decides (UTF-8, UTF-16).
2. Bytes that are valid UTF-8 are UTF-8 (other encodings almost never form valid UTF-8 by chance). Bytes that are
   UTF-8 but for a few strays (one `’` pasted from a Windows program into a UTF-8 file: at least twice as many
   valid multi-byte characters as stray bytes) are UTF-8, each stray byte read as cp1252, with a note.
3. Otherwise every code page of `CANDIDATES` that can decode the bytes is tried, and its text is scored: the share
   of non-ASCII characters that read as plausible text (a letter of the same script as the rest of its word, not an
   upper-case letter after a lower-case one, not a word made mostly of accented letters; a common sign such as
   € £ ° « » “ ” – … outside words). The best share wins; ties go to the earlier candidate, so cp1252 (Excel's
   Western default) wins over code pages that decode these bytes the same way.
4. When no candidate decodes the bytes, or none reads as plausible text, charset-normalizer's guess is taken.

The result says what was chosen and how sure it is, for the manifest and `issues.csv`.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from pipeline.errors import InputError

# Windows code pages (Western, Central European, Cyrillic, Greek, Turkish, Baltic), Mac Roman, DOS Latin-1.
CANDIDATES: tuple[str, ...] = ("cp1252", "mac_roman", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "cp850")
NAMES: dict[str, str] = {
    "cp1252": "Windows Western European",
    "mac_roman": "Mac Roman",
    "cp1250": "Windows Central European",
    "cp1251": "Windows Cyrillic",
    "cp1253": "Windows Greek",
    "cp1254": "Windows Turkish",
    "cp1257": "Windows Baltic",
    "cp850": "DOS Western European",
}
COMMON_SIGNS = frozenset("€£¥¢°§©®™«»“”‘’„‚–—…·•¿¡×÷±½¼¾²³µ¶\u00a0、。「」『』・ー（）！？：；，")
# Letters of these code pages that their users rarely type: bytes of another code page often land on them.
RARE_LETTERS = frozenset("ðþýÐÞÝŕĺľŔĹĽţŢ")
_EAST_ASIAN = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "HALFWIDTH", "FULLWIDTH"})
SAMPLE_BYTES = 200_000
TRUSTED = 0.9  # below this share of plausible characters, charset-normalizer is asked too
_LETTERS = re.compile(r"[^\W\d_]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@dataclass(frozen=True)
class Decoded:
    """Decoded text and how its encoding was chosen.

    Attributes:
        text: The decoded text.
        encoding: Python codec name (`utf-8`, `utf-8-sig`, `cp1252`, ...).
        confidence: `certain` (byte order mark, valid UTF-8, or set in the config), `high`, `medium` or `low`.
        note: One sentence saying what was chosen and why.
    """

    text: str
    encoding: str
    confidence: str
    note: str

    @property
    def guessed(self) -> bool:
        """Whether the encoding was guessed among code pages (worth a line in `issues.csv`)."""
        return self.confidence != "certain"


def decode(data: bytes, encoding: str = "auto", where: str = "the file") -> Decoded:
    """Decode an export's bytes with the configured encoding, or detect it (see the module docstring).

    Raises:
        InputError: The configured encoding cannot decode the bytes.
    """
    if encoding != "auto":
        return _configured(data, encoding, where)
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return Decoded(data.decode(codec, errors="replace"), codec, "certain", f"{codec} (byte order mark)")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "certain", "utf-8 (valid UTF-8)")
    except UnicodeDecodeError:
        return _mostly_utf8(data) or _guess(data)


_STRAY = re.compile("[\udc80-\udcff]")  # a byte that is not UTF-8, as surrogateescape keeps it


def _mostly_utf8(data: bytes) -> Decoded | None:
    """UTF-8 text holding a few bytes of another encoding, each read as cp1252; None when it is not that."""
    text = data.decode("utf-8", errors="surrogateescape")
    stray = _STRAY.findall(text)
    valid = len(_NON_ASCII.findall(text)) - len(stray)
    if valid < 2 * len(stray):
        return None
    line = text.count("\n", 0, text.index(stray[0])) + 1
    shown = "".join(dict.fromkeys(_stray_char(c) for c in stray))
    note = (
        f"utf-8, except {len(stray)} byte(s) that are not UTF-8 (the first on line {line}), read as cp1252 "
        f"({shown!r}); {valid} other accented characters are UTF-8"
    )
    return Decoded(_STRAY.sub(lambda m: _stray_char(m.group()), text), "utf-8", "medium", note)


def _stray_char(char: str) -> str:
    return bytes([ord(char) - 0xDC00]).decode("cp1252", errors="replace")


def _configured(data: bytes, encoding: str, where: str) -> Decoded:
    codec = "utf-8-sig" if encoding.replace("_", "-").lower() in ("utf-8", "utf8") else encoding
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{where} is not valid {encoding} (byte 0x{data[exc.start]:02x} at position {exc.start}); "
            "set input.encoding to auto or to the encoding the file was saved in (e.g. cp1252, mac_roman)."
        ) from exc
    return Decoded(text, encoding, "certain", f"{encoding} (set in input.encoding)")


def _guess(data: bytes) -> Decoded:
    scored = _scored(data)
    best = scored[0] if scored else None
    if best is None or best.share < TRUSTED:
        other = _detector_guess(data)
        if other is not None and (best is None or other.share > best.share):
            note = f"{other.codec}: not UTF-8 nor a Windows/Mac code page; guessed by charset-normalizer"
            return Decoded(data.decode(other.codec, errors="replace"), other.codec, "low", note)
    if best is None:
        note = "cp1252: not UTF-8 and no encoding reads it as text; undecodable bytes replaced"
        return Decoded(data.decode("cp1252", errors="replace"), "cp1252", "low", note)
    runner = scored[1] if len(scored) > 1 else None
    margin = best.share - (runner.share if runner else 0.0)
    confidence = "low"
    if best.share >= TRUSTED and margin >= 0.2 and best.count >= 3:
        confidence = "high"
    elif best.share >= TRUSTED and margin >= 0.1:
        confidence = "medium"
    note = f"{best.codec} ({NAMES[best.codec]}): not UTF-8; {best.describe()}"
    if runner is not None:
        note += f" (next best {runner.codec}: {runner.describe(full=False)})"
    return Decoded(data.decode(best.codec), best.codec, confidence, note)


@dataclass(frozen=True)
class _Score:
    codec: str
    share: float
    count: int

    def describe(self, full: bool = True) -> str:
        return (
            f"{self.share:.0%} of {self.count} non-ASCII characters read as plausible text"
            if full
            else f"{self.share:.0%}"
        )


def _scored(data: bytes) -> list[_Score]:
    """Candidates that decode the bytes, best first (ties in `CANDIDATES` order); duplicates of a text left out."""
    out: list[_Score] = []
    seen: set[str] = set()
    sample = data[:SAMPLE_BYTES]
    for codec in CANDIDATES:
        try:
            data.decode(codec)
        except UnicodeDecodeError:
            continue
        text = sample.decode(codec)
        if text not in seen:
            seen.add(text)
            out.append(_Score(codec, *plausibility(text)))
    return sorted(out, key=lambda s: -s.share)


def _detector_guess(data: bytes) -> _Score | None:
    from charset_normalizer import from_bytes

    match = from_bytes(data[:SAMPLE_BYTES]).best()
    if match is None or not match.encoding:
        return None
    try:
        text = data[:SAMPLE_BYTES].decode(match.encoding, errors="replace")
    except LookupError:
        return None
    return _Score(str(match.encoding), *plausibility(text))


def plausibility(text: str) -> tuple[float, int]:
    """Share of the non-ASCII characters of `text` that read as plausible text, and their number (1.0, 0 if none)."""
    good = bad = 0.0
    for letters in _words(text):
        accented = [c for c in letters if not c.isascii()]
        if _plausible_word(letters):
            rare = sum(c in RARE_LETTERS for c in accented)
            good += len(accented) - rare / 2
            bad += rare / 2
        else:
            bad += len(accented)
    for match in _NON_ASCII.finditer(text):
        char, i = match.group(), match.start()
        if char.isalpha():
            continue
        inside = 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha() and char not in "’‘·"
        if char in COMMON_SIGNS and not inside:
            good += 1
        else:
            bad += 1
    total = good + bad
    return (good / total if total else 1.0), round(total)


def _words(text: str) -> list[str]:
    """Runs of letters (str.isalpha) that hold a non-ASCII character."""
    out: list[str] = []
    for match in _LETTERS.finditer(text):
        run = match.group()
        if run.isascii():
            continue
        out += ["".join(g) for alpha, g in itertools.groupby(run, str.isalpha) if alpha] if not run.isalpha() else [run]
    return [w for w in out if not w.isascii()]


def _plausible_word(word: str) -> bool:
    """A run of letters: one script, no upper-case letter after a lower-case one, Latin words mostly ASCII."""
    scripts = {_script(c) for c in word}
    if len(scripts) > 1:
        return False
    if any(b.isupper() and a.islower() for a, b in zip(word, word[1:], strict=False)):
        return False
    return not (scripts == {"LATIN"} and len(word) >= 3 and not any(c.isascii() for c in word))


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    script = name.split(" ", 1)[0] if name else "UNKNOWN"
    return "CJK" if script in _EAST_ASIAN else script
