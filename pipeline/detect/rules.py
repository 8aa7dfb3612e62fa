"""Header and value patterns behind question detection: personal data, metadata, respondent attributes, ids, links.

Also column names that say nothing of the question asked ("text", "Q3"), whose question text a person must write.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from pipeline.readers.layouts import norm

_PERSONAL: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an email", re.compile(r"\be-?mail\d*\b|\bemail address\b|courriel|correo electr")),
    (
        "a name",
        re.compile(
            r"^(your |full |first |last |given |family |middle |respondent'?s? |contact |sur)?name\d*$"
            r"|^(first|last|sur|given|family)[ _]?name\d*$|^(prénom|nom|nombre|apellidos?|nom complet)$"
            r"|^recipient|^name of (the )?(respondent|person|contact)\b"
            r"|^(nom,? (et )?prénom|prénom,? (et )?nom|nom et prénoms?|nombre( y|,) apellidos?|nombre completo)$"
            r"|^(vor|nach|familien|zu)name$|^(name,? vorname|vor- und nachname|vollständiger name)$"
            r"|^(nome|cognome|nome e cognome|naam|voornaam|achternaam|imię i nazwisko)$"
        ),
    ),
    ("an IP address", re.compile(r"\bip ?addr(ess)?\b|^ipaddress$")),
    ("a location", re.compile(r"\blatitude\b|\blongitude\b|^location ?(latitude|longitude)$")),
    (
        "a phone number",
        re.compile(
            r"\b(tele)?phone\b|\bmobile (number|phone)\b|\btéléphone\b|\bteléfono\b"
            r"|^(your |contact |home |work )?(mobile|mob|cell|cellphone|tel|tél|tfno|telefon|telefono|handy)"
            r"( ?(no|nr|n°|number|nummer|numéro))?$|^(contact|whatsapp) (number|no)$|^portable$|^móvil$"
        ),
    ),
    ("a postal address", re.compile(r"^(postal |street |home |mailing )?address$|\bpost ?code\b|\bzip ?code\b")),
)
_ASIDE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")  # "(optional)", "[required]"
_METADATA = frozenset(
    {
        "id",
        "start time",
        "completion time",
        "last modified time",
        "timestamp",
        "status",
        "progress",
        "duration",
        "duration (in seconds)",
        "finished",
        "recordeddate",
        "recorded date",
        "startdate",
        "enddate",
        "start date",
        "end date",
        "responseid",
        "response id",
        "response_id",
        "externalreference",
        "distributionchannel",
        "distribution channel",
        "seed",
        "lastpage",
        "last page",
        "submitdate",
        "date submitted",
        "datestamp",
        "date last action",
        "refurl",
        "referrer url",
        "collector id",
        "respondent id",
        "reference",
        "feedback date",
        "publication privacy settings",
        "total points",
        "quiz feedback",
        "score",
        "datetime",
        "comment-id",
        "author-id",
        "agrees",
        "disagrees",
        "moderated",
        "passes",
        "is-meta",
        "is-seed",
        "group-informed-consensus",
        "interviewtime",
        "total time",
        "token",
    }
)
_METADATA_PATTERN = re.compile(
    r"^(points|feedback) - |^q_|^grouptime\d+$|^\d+x\d+x\d+time$|^group-\w+-(agrees|disagrees|passes|votes)$"
)
_ATTRIBUTE = re.compile(
    r"\b(respondent|user|customer|client|patient|organi[sz]ation|stakeholder|participant|member|entity|institution)"
    r" ?(type|category|group|segment)\b"
    r"|\btype of (respondent|organi[sz]ation|stakeholder|entity|institution|user|customer|client)\b"
    r"|\b(country|countries|region|language|sector|nationality|pays|país|idioma|langue|région|secteur)\b"
    r"|^(startlanguage|userlanguage|scope)$|\b(organi[sz]ation size|size of (your )?organi[sz]ation)\b"
)
# Where respondents live or work: a short header naming the place ("City", "Stadt/Ort", "Ville"), or a question
# asking for it ("In which town do you live?"). Such columns may hold a few hundred distinct names.
_PLACE_WORDS = (
    r"(city|cities|town|village|municipality|district|borough|county|province|canton|postal town|place of residence"
    r"|ville|commune|localité|département|ciudad|municipio|provincia|localidad|comunidad autónoma|población"
    r"|stadt|stadtteil|ort|wohnort|gemeinde|bezirk|landkreis|kreis|bundesland|kanton|land"
    r"|region|country|countries|nation|pays|país|région|región|staat)"
)
_PLACE = re.compile(
    rf"^(your |the |home |current )?{_PLACE_WORDS}( of residence| \([^()]*\)|/\w+)?$"
    rf"|\b(which|what|in which|in what) {_PLACE_WORDS}\b|\bwhere (do|did) you (live|work|come from)\b"
    r"|\b(où habitez|où vivez|dónde vive|wo wohnen sie|wo leben sie)\b"
)
_AGE_GROUP = re.compile(
    r"\bage ?(group|range|band|bracket|category)\b|\baltersgruppe\b|tranche d'âge|\b(grupo|rango) de edad"
)
_URL_HEADER = re.compile(
    r"^(the |your )?(url|uri|link|hyperlink|permalink|website|web ?site|web ?page|homepage|site web|site internet"
    r"|sitio web|página web|webseite|internetseite|webadresse)s?( ?\d+)?$"
)
_URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)
# Column names that say nothing of the question ("text", "comment", "Q3", "field_2"): the heading needs a human.
_GENERIC = re.compile(
    r"^(text|texts|comment|comments|answer|answers|response|responses|body|value|values|content|message|feedback"
    r"|open|free ?text|input|data|texte|commentaire|commentaires|réponse|réponses|comentario|comentarios|respuesta"
    r"|respuestas|texto|antwort|antworten|kommentar|kommentare|bemerkung|bemerkungen|freitext)$"
    r"|^(q|question|frage|pregunta|var|v|column|col|field|item|unnamed)[ _.:-]{0,2}\d+[a-z]?$"
)
_OTHER = re.compile(
    r"\bother\b.*\b(specify|text|describe|details?|please)\b|^(other|autre|otro|otra)$|^if other\b"
    r"|\bautre\b.*\bpréciser\b|\botr[oa]\b.*\bespecifique\b"
    r"|^(if (so|yes|other|not|no)\b.*, )?(please |pls )?(specify|précisez|especifique)\b|^(please )?explain:?$"
)
_ATTACHMENT = re.compile(
    r"\bupload|\battach|\bfile ?names?\b|^(document|file|attachment|pi[eè]ce jointe|fichier|adjunto)s?$"
    r"|\btéléverser|\btélécharger (un|votre) document|\bsubir (un )?(archivo|documento)"
)
_FILE_NAME = re.compile(
    r"^[^/\\\n]{1,200}\.(pdf|docx?|odt|rtf|xlsx?|ods|csv|pptx?|odp|txt|zip|png|jpe?g|gif|tiff?|msg|eml)$",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DATE = re.compile(
    r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?)?$"
    r"|^\d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?$|^\d{13}$"
)
_STOPWORDS = frozenset(
    "a an the of to in on for and or with you your do does did is are was were be been what which how who why "
    "when where would could should will can please following this that these those it its we our us i my me "
    "from by at as about any there have has had if so than then into much many s".split()
)
_RESERVED_IDS = frozenset({"respondent_id", "source_row"})


def _short(header: str, words: int) -> bool:
    return len(header.split()) <= words


def personal_header(header: str) -> str | None:
    """What personal data a short header names (e.g. 'an email'), or None.

    Asides in brackets and marks of a required field are left out first: 'Your name (optional)', 'Full Name*',
    'Tel.:' are a name, a name and a phone number.
    """
    key = " ".join(_ASIDE.sub(" ", norm(header)).split()).strip(" *:.?!")
    if not _short(key, 6):
        return None
    return next((what for what, pattern in _PERSONAL if pattern.search(key)), None)


def metadata_header(header: str) -> bool:
    """Whether a header names response metadata or timing (ID, Start time, Progress, ...)."""
    key = norm(header)
    return key in _METADATA or bool(_METADATA_PATTERN.search(key))


def attribute_header(header: str) -> bool:
    """Whether a header names a respondent attribute (respondent type, country, city, sector, age group, ...)."""
    key = norm(header)
    return (_short(key, 10) and bool(_ATTRIBUTE.search(key))) or place_header(header) or age_group_header(header)


def place_header(header: str) -> bool:
    """Whether a header names where respondents live or work ("City", "Wohnort", "In which town do you live?")."""
    key = " ".join(_ASIDE.sub(" ", norm(header)).split()).strip(" *:.?!")
    return _short(key, 12) and bool(_PLACE.search(key))


def age_group_header(header: str) -> bool:
    """Whether a short header names an age group ("Age group", "Altersgruppe", "Tranche d'âge")."""
    key = norm(header)
    return _short(key, 8) and bool(_AGE_GROUP.search(key))


def url_header(header: str) -> bool:
    """Whether a header names a link column ("URL", "Link", "Website", "Webseite")."""
    return bool(_URL_HEADER.match(" ".join(_ASIDE.sub(" ", norm(header)).split()).strip(" *:.")))


def url_values(values: Sequence[str]) -> bool:
    """Whether most values are web addresses (`https://...`, `www....`)."""
    return share(values, _URL) >= 0.6


def generic_header(header: str) -> bool:
    """Whether a column name says nothing of the question asked ("text", "Comments", "answer", "Q3", "field_2")."""
    return bool(_GENERIC.match(norm(header).strip(" *:.")))


_EXPLAIN = re.compile(
    r"\b(please )?(explain|elaborate|justify)\b|\bwhy\b|\breasons? for\b|^(please )?comments?\b|\bplease comment\b"
    r"|\bexpliquez\b|\bpourquoi\b|^commentaires?\b|\bjustifiez\b"
    r"|\bexpliqu[ee]\b|\bpor qu[eé]\b|^comentarios?\b|\bjustifique\b"
    r"|\bwarum\b|\berläutern\b|\bbegründ\w*|^kommentare?\b"
)


def explain_header(header: str) -> bool:
    """Whether a header asks to explain the answer before it ("Please explain", "Why?", "Comments", "Pourquoi ?")."""
    return bool(_EXPLAIN.search(norm(header)))


def other_header(header: str) -> bool:
    """Whether a header (or sub-label) is an 'Other, please specify' text field."""
    return bool(_OTHER.search(norm(header)))


def attachment_header(header: str) -> bool:
    """Whether a short header asks for an upload ("You can upload a document here", "Attachment")."""
    key = norm(header)
    return _short(key, 15) and bool(_ATTACHMENT.search(key))


def file_values(values: Sequence[str]) -> bool:
    """Whether most values are file names (`position_paper.pdf`): an upload column."""
    return share(values, _FILE_NAME) >= 0.5


def share(values: Sequence[str], pattern: re.Pattern[str]) -> float:
    """Share of values fully matching a pattern."""
    return sum(bool(pattern.match(v)) for v in values) / len(values) if values else 0.0


def phone_values(values: Sequence[str]) -> bool:
    """Whether most values are phone numbers (and nothing else)."""
    from pipeline.privacy import MASKS, mask_text

    return bool(values) and sum(mask_text(v, ["phone"])[0].strip() == MASKS["phone"] for v in values) * 2 >= len(values)


def email_values(values: Sequence[str]) -> bool:
    """Whether most values are email addresses."""
    return share(values, _EMAIL) >= 0.5


def id_values(values: Sequence[str]) -> bool:
    """Whether values look like record ids: at least 3, all different, each one short word containing a digit."""
    return (
        len(values) >= 3
        and len(set(values)) == len(values)
        and all(len(v) <= 40 and not any(c.isspace() for c in v) and any(c.isdigit() for c in v) for v in values)
    )


def date_values(values: Sequence[str]) -> bool:
    """Whether nearly all values are dates, times or epoch timestamps."""
    return share(values, _DATE) >= 0.9


def slug(text: str, words: int = 4, limit: int = 40) -> str:
    """Short id from text: ASCII, lower case, stop words left out, joined with '_' ('' if nothing is left)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    tokens = re.findall(r"[a-z0-9]+", ascii_text)
    kept = [t for t in tokens if t not in _STOPWORDS] or tokens
    out = "_".join(kept[:words])[:limit].strip("_")
    return f"q_{out}" if out[:1].isdigit() else out


def unique_ids(candidates: Iterable[str]) -> list[str]:
    """Make ids unique (`x`, `x_2`, `x_3`) and keep clear of respondents-table column names."""
    used: set[str] = set()
    out = []
    for i, candidate in enumerate(candidates, start=1):
        base = candidate or f"q{i}"
        base = f"{base}_q" if base in _RESERVED_IDS else base
        name, k = base, 1
        while name in used:
            k += 1
            name = f"{base}_{k}"
        used.add(name)
        out.append(name)
    return out
