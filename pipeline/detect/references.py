"""Reference-only answers: "see attached", "please refer to our submission", "as above", "voir pièce jointe".

Such an answer points elsewhere and says nothing the pipeline can read, so it is a non-answer (counted and listed,
never a finding): in real consultation exports "Please see attached document" was a top-5 finding of four questions.
A text is reference-only when it is short, every word is a pointing or filler word of the lists below (any
number or question label such as "Q3" too) and at least one word points ("see", "attached", "above", ...). One word
of content ("See attached, we oppose the ban") makes it an answer.
"""

from __future__ import annotations

import re

MAX_WORDS = 25
# words that point to something said elsewhere (en, fr, es, de, it, pt)
POINTERS = frozenset(
    """
    see refer referring attached attachment attachments enclosed uploaded upload above previous previously earlier
    submission submissions annex annexe annexes appendix pdf document documents letter same
    voir cf ci-joint ci-jointe jointe joint pièce pièces ci-dessus précédente précédent référer annexé annexée
    ver véase adjunto adjunta adjuntos anexo anexos anterior arriba remitimos documento documentos
    siehe anhang anlage oben beigefügt beigefügte vorherige stellungnahme
    vedi allegato allegati sopra precedente
    anexado acima
    """.split()
)
# words that may surround a pointer in a reference-only answer
FILLERS = frozenset(
    """
    please kindly thank thanks you as per same in is are we i our my the a an to of for on at with by and or also
    this that it its all here there have has been find included including detailed set out stated mentioned noted
    provided given sent answer answers response responses reply comment comments question questions section point
    points position paper file files copy email emailed via full written separate details detail information
    more further our organisation organization's organisation's below q
    merci de la le les notre nos notre réponse réponses question questions nous voir svp s'il vous plaît à au aux
    en contribution document
    por favor la el los las nuestra nuestro respuesta respuestas pregunta preguntas de del a al en contribución
    bitte die der das unsere unserer antwort antworten frage fragen zu zur in
    si prega la il nostra risposta domanda
    """.split()
)
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_NUMBER = re.compile(r"^(q|question|frage|pregunta)?\d+[a-z]?$")


def reference_only(text: str) -> bool:
    """Whether an answer only points to something said elsewhere (module docstring)."""
    words = [w.replace("’", "'") for w in _WORD.findall(text.casefold())]
    if not words or len(words) > MAX_WORDS:
        return False
    content = [w for w in words if not _NUMBER.match(w)]
    return any(w in POINTERS for w in content) and all(w in POINTERS or w in FILLERS for w in content)
