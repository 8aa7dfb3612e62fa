"""Noise: statements and answers that say nothing about the question, set apart before clustering, by kind.

A consultation's open answers hold things that are no view of the question: pointers to other documents or answers
("See our written submission", "Please refer to the joint position paper of our regional group", "as above"),
non-answers ("N/A", "None", "Nothing to add at this stage", "No comment", "Pas de commentaire"), bare links,
courtesy ("Thank you", "Kind regards") and keyboard mash ("Jsjdjdj"). Read as text they cluster together, and in
real exports they became top-5 findings ("See attached opinion", "Not at this time", "Https"). Each is recognised
here in English, French, Spanish, German, Italian, Portuguese and Dutch (and non-answers in Arabic), by the shape of
the whole statement, never by one word alone:

- `non_answer`: the configured non-answers (`input.non_answers`), text without a letter, digit or emoji, or only
  the words of a non-answer ("no", "none", "nothing", "nil", "n/a", "no idea", "not at this time", "no comment",
  "nothing to add at this stage", "rien à ajouter", "sin comentarios", "keine Angabe", and `cluster.nothing_replies`)
  with at least one word that says no. One word of content makes it an answer: "No more events" is a view.
- `reference`: a statement that only points elsewhere. Either every word is a pointing or filler word
  (`references.reference_only`: "See attached", "Same as Q2"), or it opens with a pointer ("see", "please refer
  to", "as above", "voir", "véase", "siehe", "vedi") naming a document or an answer ("our written submission", "the
  position paper of the African Group", "my previous answer") within a few words, and adds no clause of its own
  ("..., which sets out our position on AI liability" is an answer).
- `link`: only web addresses, with at most a few words around them ("More at https://...").
- `courtesy`: only thanks, greetings or a sign-off (`cluster.courtesy_replies`).
- `mash`: keyboard mash (`values.keyboard_mash`).

A whole answer is noise when it is, or when every one of its sentences is ("Nothing to add. Thank you."): it is
then a non-answer of that kind (ingest's status `non_answer`), outside the question's base, counted per kind and
named in the draft and the report ("5 pointed to another document"). A noise sentence inside an answer with
content ("See attached. We oppose the fee.") joins no finding; the rest of the answer is clustered as usual.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.detect.references import reference_only
from pipeline.detect.values import is_non_answer, keyboard_mash, non_answer_keys

if TYPE_CHECKING:
    from pipeline.config import PipelineConfig

# Kinds, in the order an answer made of several noise sentences is named by ("See attached. Thank you." points).
NOISE_KINDS: tuple[str, ...] = ("reference", "link", "non_answer", "mash", "courtesy")
MAX_POINTER_WORDS = 40  # a longer sentence that opens with "see" says more than where to look
POINTER_REACH = 9  # the document or answer pointed to is named within this many words of the pointer

_WORD = re.compile(r"[^\W_]+(?:['’/.-][^\W_]+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[^\d\s][.!?;])\s+|\n+")  # not after a number: "vom 3. März"
_CLAUSE_BREAK = re.compile(r"[:;]|\s[-–—]\s")
_EDGES = " \t\n.,;:!?-_*'\"()[]«»“”"
_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|int|gov|edu|eu|info|io)\b\S*")
_MASK = re.compile(r"\[(?:email|phone)\]")

# A word that says no: one is needed for a non-answer ("Nothing to add", "None at this time", "Rien").
_NO_WORDS = frozenset(
    """
    no none nothing nil nope nah n/a na not don't dont can't cannot unsure idk dunno nothing's
    rien aucun aucune non néant pas sans
    nada ninguno ninguna ningún sin
    kein keine keinen keiner nichts nein
    nessuno nessuna nessun niente nulla
    nenhum nenhuma não sem
    geen niets nee
    لا لاشيء
    """.split()
)
# Words that may stand beside it in a non-answer ("No comment at this stage", "I don't know", "Nothing to add").
_NON_ANSWER_FILLERS = frozenset(
    """
    comment comments suggestion suggestions idea ideas opinion opinions remark remarks answer answers response input
    feedback view views thought thoughts further more additional other else particular specific really at all the
    a this that time moment stage point present now currently for to add say i we have has do does know think of any
    anything sure applicable mind comes come springs spring from me us our my side here there just so far thank
    thanks you yet about it is are am on in as regarding question questions whatsoever apply applies above
    could would been be done better improve improved improvement improvements change changed changes different
    differently did can was were off
    de à ajouter commentaire commentaires suggestion idée idées particulier particulière pour le la les l' moment
    l'instant instant je nous n' ne sais sait autre autres plus ce cet stade cette étape objet merci d'autre avis
    remarque remarques réponse a y il
    que añadir agregar comentario comentarios sugerencia sugerencias idea ideas el los por ahora este esta en sé se
    lo otra otro otros más aplica opinión respuesta gracias tengo tenemos hay momento particular
    zu hinzuzufügen hinzufügen anmerkungen anmerkung kommentar kommentare vorschläge vorschlag idee ahnung angabe
    angaben weiß ich nicht im moment derzeit zeit weitere weiteren sonst mehr danke meinung habe haben wir
    da aggiungere commento commenti suggerimento suggerimenti al momento per ora altro so grazie ho abbiamo
    acrescentar comentário comentários sugestão sugestões ideia no momento agora sei mais obrigado obrigada tenho
    toe te voegen opmerking opmerkingen
    تعليق يوجد شيء لدي لدينا إضافة اقتراحات اقتراح حاليا حالياً أعرف
    """.split()
)
# Openings that point elsewhere, and the documents or answers they point to (English, French, Spanish, German,
# Italian, Portuguese).
_POINTER = re.compile(
    r"(?i)^\W*(?:(?:please|kindly|we would|i would|pls|merci de|prière de|veuillez|por favor|favor de|bitte|si prega "
    r"di)[\s,]+)*(?:(?:also|further|kindly)\s+)?"
    r"(?:see|refer|referring|consult|cf\.?|confer|as (?:stated|mentioned|explained|said|noted|indicated|set out|"
    r"outlined|described|detailed|per)|same as|as per|idem|"
    r"voir|vous référer|se référer|référez-vous|consulter|cf|comme (?:indiqué|mentionné)|idem|"
    r"ver|véase|vea|consulte|remitimos|remito|nos remitimos|remitirse|referirse|como se (?:indica|menciona)|"
    r"siehe|vgl\.?|verweisen|wir verweisen|verweise|wie (?:oben|bereits)|"
    r"vedi|si veda|cfr\.?|come (?:sopra|indicato)|veja|consultar|conforme)\b"
)
_DOCUMENTS = frozenset(
    """
    paper papers submission submissions letter letters document documents doc comments comment answer answers
    response responses reply replies contribution contributions position statement statements note notes annex
    annexes annexe attachment attachments attached appendix enclosure enclosed input report file files above
    previous earlier below pdf email e-mail q question questions section sections point proposal memo brief
    website site page link
    réponse réponses lettre lettres contribution annexe annexes pièce pièces jointe joint observations soumission
    dessus précédente précédent note notes courrier site
    documento documentos contribución respuesta respuestas carta cartas nota notas anexo anexos adjunto adjunta
    posición comentarios observaciones anterior arriba escrito
    dokument dokumente stellungnahme antwort antworten schreiben brief anhang anlage beitrag positionspapier
    kommentare oben vorherige eingabe
    documento contributo risposta risposte lettera allegato allegati posizione commenti sopra precedente
    resposta anexado acima
    """.split()
)
# After the thing pointed to, a new clause is content of its own ("..., which sets out our position on X").
_CLAUSE_AFTER = frozenset("which that where because but however although".split())
_LINK_FILLERS = frozenset(
    """
    see visit available at here link links website site web page more info information details please our on the
    go to check out click url for read can be found find voir ici ver aquí siehe hier vedi qui
    """.split()
)


@dataclass(frozen=True)
class NoiseRules:
    """How statements and answers are judged noise (the same way by ingest, the statements and `evaluate`).

    Attributes:
        skip: `values.non_answer_keys` of the configured non-answers (`input.non_answers`).
        nothing: extra non-answer phrases (`cluster.nothing_replies`), as word tuples.
        courtesy: thanks and sign-offs (`cluster.courtesy_replies`), as word tuples.
        mash: keyboard mash is noise (`input.keyboard_mash`).
        references: pointers elsewhere are noise (`input.reference_answers`).
    """

    skip: frozenset[str] = frozenset()
    nothing: frozenset[tuple[str, ...]] = frozenset()
    courtesy: frozenset[tuple[str, ...]] = frozenset()
    mash: bool = True
    references: bool = True

    @classmethod
    def build(
        cls,
        skip: frozenset[str],
        nothing: Iterable[str] = (),
        courtesy: Iterable[str] = (),
        mash: bool = True,
        references: bool = True,
    ) -> NoiseRules:
        """Rules from configured lists of phrases."""
        return cls(skip, _phrases(nothing), _phrases(courtesy), mash, references)

    def statement_kind(self, text: str) -> str | None:
        """The noise kind of one statement (module docstring), or None when it says something."""
        if is_non_answer(text, self.skip):
            return "non_answer"
        words = _words(text)
        if _only_links(text):
            return "link"
        if self.references and (reference_only(text) or pointer(text)):
            return "reference"
        if _says_no(words) or (self.nothing and _covered(words, self.nothing, _NON_ANSWER_FILLERS)):
            return "non_answer"
        if self.courtesy and _covered(words, self.courtesy, _COURTESY_FILLERS):
            return "courtesy"
        if self.mash and keyboard_mash(text):
            return "mash"
        return None

    def answer_kind(self, text: str) -> str | None:
        """The noise kind of a whole answer: its own, or that of every sentence (named by NOISE_KINDS order)."""
        whole = self.statement_kind(text)
        if whole is not None:
            return whole
        parts = [p for p in _SENTENCE_END.split(text) if p.strip(_EDGES)]
        if len(parts) < 2:
            return None
        kinds: list[str] = []
        for part in parts:
            kind = self.statement_kind(part)
            if kind is None:
                return None
            kinds.append(kind)
        return min(kinds, key=NOISE_KINDS.index)


def _phrases(replies: Iterable[str]) -> frozenset[tuple[str, ...]]:
    return frozenset(t for t in (tuple(_words(r)) for r in replies) if t)


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFC", text.casefold()).replace("’", "'")
    return [w.strip(".'/-") for w in _WORD.findall(_MASK.sub(" ", folded)) if w.strip(".'/-")]


def _says_no(words: Sequence[str]) -> bool:
    """Only the words of a non-answer, at least one of which says no ("No comment at this stage", "Rien")."""
    return (
        bool(words)
        and any(w in _NO_WORDS for w in words)
        and all(w in _NO_WORDS or w in _NON_ANSWER_FILLERS for w in words)
    )


# Words beside thanks or a sign-off ("Thank you very much for the opportunity to comment")
_COURTESY_FILLERS = frozenset(
    """
    very much so a lot again and for all your you the this in advance once opportunity chance possibility to
    comment contribute participate share our my views consultation survey questionnaire time attention
    consideration considering giving us me de nouveau pour cette l'opportunité la por esta oportunidad
    """.split()
)


def _covered(words: Sequence[str], phrases: frozenset[tuple[str, ...]], fillers: frozenset[str]) -> bool:
    """Whether the words can be cut into the given phrases and filler words, with at least one phrase."""
    if not words:
        return False
    longest = max(map(len, phrases), default=0)
    reached = [1] + [0] * len(words)  # 0: not reachable, 1: by fillers only, 2: with a phrase
    for start in range(len(words)):
        if not reached[start]:
            continue
        if words[start] in fillers:
            reached[start + 1] = max(reached[start + 1], reached[start])
        for end in range(start + 1, min(len(words), start + longest) + 1):
            if tuple(words[start:end]) in phrases:
                reached[end] = 2
    return reached[-1] == 2


def pointer(text: str) -> bool:
    """Whether a statement opens with a pointer elsewhere and names what it points to, adding nothing of its own."""
    match = _POINTER.match(text)
    if match is None or len([p for p in _SENTENCE_END.split(text) if p.strip(_EDGES)]) > 1:
        return False
    if len([p for p in _CLAUSE_BREAK.split(text[match.end() :]) if _words(p)]) > 1:
        return False  # "See attached: we oppose the fee" says something of its own
    rest = _words(text[match.end() :])
    if len(rest) > MAX_POINTER_WORDS:
        return False
    named = next((i for i, w in enumerate(rest[:POINTER_REACH]) if w in _DOCUMENTS), None)
    if named is None:
        return not rest or all(w in _DOCUMENTS or w in _NON_ANSWER_FILLERS for w in rest)
    return not any(w in _CLAUSE_AFTER for w in rest[named + 1 :])


def _only_links(text: str) -> bool:
    """Web addresses and at most a few filler words around them."""
    if not _URL.search(text):
        return False
    rest = _words(_URL.sub(" ", text))
    return all(w in _LINK_FILLERS for w in rest)


def rules_from_config(cfg: PipelineConfig) -> NoiseRules:
    """The noise rules a config sets (`input.non_answers`, `keyboard_mash`, `reference_answers`, `cluster` replies)."""
    return NoiseRules.build(
        non_answer_keys(cfg.input.non_answers),
        cfg.cluster.nothing_replies,
        cfg.cluster.courtesy_replies,
        cfg.input.keyboard_mash,
        cfg.input.reference_answers,
    )
