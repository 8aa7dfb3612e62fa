"""Answer labels with a fixed meaning in every survey: non-substantive replies ("No opinion") and "Other".

Kept apart from `config` and `detect` (both use them, and this module imports neither).
"""

from __future__ import annotations

# Choices that give no view on the question ("No opinion", "Don't know", N/A): counted, kept out of the base of
# closed questions by default (`closed.na_values`), listed after the scale and drawn in neutral greys.
NON_SUBSTANTIVE: tuple[str, ...] = (
    "N/A",
    "NA",
    "N.A.",
    "Not applicable",
    "Don't know",
    "Do not know",
    "Dont know",
    "I don't know",
    "DK",
    "No opinion",
    "I have no opinion",
    "Prefer not to say",
    "Prefer not to answer",
    "No answer",
    "Cannot say",
    "Can't say",
    "Ne sais pas",
    "Je ne sais pas",
    "Sans opinion",
    "Non applicable",
    "Sans objet",
    "No sé",
    "No se",
    "No sabe",
    "No aplica",
    "Sin opinión",
    "NS/NC",
    "NSP",
)

# "Other" is a real choice (someone picked it, often with a "please specify" text): kept in the base; on an
# ordered scale it sits after the scale points and is drawn in a neutral grey, as it is on no side of it.
OTHER: tuple[str, ...] = ("Other", "Others", "Autre", "Autres", "Otro", "Otra", "Otros")
