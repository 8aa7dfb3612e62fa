"""The catalogue of the report's own words: one entry per key, a text per report language (`pipeline.messages`)."""

from __future__ import annotations

from typing import Literal

ReportLanguage = Literal["en", "fr", "es"]
LANGUAGES: tuple[ReportLanguage, ...] = ("en", "fr", "es")

Text = str | tuple[str, str]

CATALOGUE: dict[str, dict[str, Text]] = {
    # nouns counted with `Messages.count`
    "n.respondent": {
        "en": ("respondent", "respondents"),
        "fr": ("répondant", "répondants"),
        "es": ("participante", "participantes"),
    },
    "n.non_answer": {
        "en": ("non-answer", "non-answers"),
        "fr": ("non-réponse", "non-réponses"),
        "es": ("no respuesta", "no respuestas"),
    },
    # kinds of non-answers (`pipeline.detect.noise`), counted with `Messages.count`
    "noise.reference": {
        "en": ("pointed to another document or answer", "pointed to another document or answer"),
        "fr": (
            "renvoyait à un autre document ou à une autre réponse",
            "renvoyaient à un autre document ou à une autre réponse",
        ),
        "es": ("remitía a otro documento o respuesta", "remitían a otro documento o respuesta"),
    },
    "noise.link": {
        "en": ("only gave a link", "only gave a link"),
        "fr": ("ne donnait qu'un lien", "ne donnaient qu'un lien"),
        "es": ("solo dio un enlace", "solo dieron un enlace"),
    },
    "noise.non_answer": {
        "en": ("answered none, nothing or N/A", "answered none, nothing or N/A"),
        "fr": ("a répondu « rien », « aucun » ou « sans objet »", "ont répondu « rien », « aucun » ou « sans objet »"),
        "es": ("respondió «nada», «ninguno» o «no aplica»", "respondieron «nada», «ninguno» o «no aplica»"),
    },
    "noise.mash": {
        "en": ("typed no words (keyboard mash)", "typed no words (keyboard mash)"),
        "fr": ("ne contenait aucun mot (frappe au hasard)", "ne contenaient aucun mot (frappe au hasard)"),
        "es": ("no contenía palabras (tecleo al azar)", "no contenían palabras (tecleo al azar)"),
    },
    "noise.courtesy": {
        "en": ("only thanked or greeted", "only thanked or greeted"),
        "fr": ("se limitait à remercier ou saluer", "se limitaient à remercier ou saluer"),
        "es": ("solo agradeció o saludó", "solo agradecieron o saludaron"),
    },
    "n.closed_question": {
        "en": ("closed question", "closed questions"),
        "fr": ("question fermée", "questions fermées"),
        "es": ("pregunta cerrada", "preguntas cerradas"),
    },
    "n.open_question": {
        "en": ("open question", "open questions"),
        "fr": ("question ouverte", "questions ouvertes"),
        "es": ("pregunta abierta", "preguntas abiertas"),
    },
    "n.finding": {"en": ("finding", "findings"), "fr": ("constat", "constats"), "es": ("hallazgo", "hallazgos")},
    "n.row": {"en": ("row", "rows"), "fr": ("ligne", "lignes"), "es": ("fila", "filas")},
    "n.response_received": {
        "en": (" response received.", " responses received."),
        "fr": (" réponse reçue.", " réponses reçues."),
        "es": (" respuesta recibida.", " respuestas recibidas."),
    },
    # headings and the purpose
    "h.contents": {"en": "Contents", "fr": "Sommaire", "es": "Índice"},
    "h.purpose": {"en": "Purpose", "fr": "Objet du rapport", "es": "Objeto del informe"},
    "h.action_required": {"en": "Action required", "fr": "Suite à donner", "es": "Acción solicitada"},
    "h.responses": {"en": "Responses", "fr": "Réponses", "es": "Respuestas"},
    "h.part": {"en": "Part {n}: {title}", "fr": "Partie {n} : {title}", "es": "Parte {n}: {title}"},
    "h.part_untitled": {"en": "Part {n}", "fr": "Partie {n}", "es": "Parte {n}"},
    "h.results": {"en": "Results", "fr": "Résultats", "es": "Resultados"},
    "h.method": {"en": "Method", "fr": "Méthode", "es": "Método"},
    "h.provenance": {"en": "Annex: provenance", "fr": "Annexe : provenance", "es": "Anexo: procedencia"},
    "h.warnings": {"en": "Annex: warnings", "fr": "Annexe : avertissements", "es": "Anexo: advertencias"},
    "warnings.lead": {
        "en": "The run went on despite these problems; figures that depend on them may be incomplete or wrong. Fix them (see issues.csv in the run folder) and run again.",
        "fr": "L'exécution s'est poursuivie malgré ces problèmes ; les chiffres qui en dépendent peuvent être incomplets ou faux. Corrigez-les (voir issues.csv dans le dossier de l'exécution) et relancez.",
        "es": "La ejecución continuó pese a estos problemas; las cifras que dependen de ellos pueden estar incompletas o ser erróneas. Corríjalos (vea issues.csv en la carpeta de la ejecución) y vuelva a ejecutar.",
    },
    "h.annex": {
        "en": "Annex: answers per question",
        "fr": "Annexe : réponses par question",
        "es": "Anexo: respuestas por pregunta",
    },
    "h.top_findings": {
        "en": "{question} (Top {n} findings)",
        "fr": "{question} (les {n} principaux constats)",
        "es": "{question} (los {n} hallazgos principales)",
    },
    "purpose": {
        "en": "This report presents the responses received. Answers to closed questions were analysed with descriptive statistics; answers to open questions were consolidated into ranked findings by grouping similar statements and summarising each group.",
        "fr": "Ce rapport présente les réponses reçues. Les réponses aux questions fermées ont été analysées au moyen de statistiques descriptives ; les réponses aux questions ouvertes ont été regroupées en constats classés, en rassemblant les déclarations semblables et en résumant chaque groupe.",
        "es": "Este informe presenta las respuestas recibidas. Las respuestas a las preguntas cerradas se analizaron con estadística descriptiva; las respuestas a las preguntas abiertas se consolidaron en hallazgos ordenados, agrupando las afirmaciones similares y resumiendo cada grupo.",
    },
    "purpose.method": {
        "en": " The Method section describes both.",
        "fr": " La section Méthode décrit les deux.",
        "es": " La sección Método describe ambos procesos.",
    },
    "review.all": {
        "en": " Reviewers checked and accepted every finding shown ({n}).",
        "fr": " Les relecteurs ont vérifié et accepté chacun des constats présentés ({n}).",
        "es": " Los revisores comprobaron y aceptaron cada uno de los hallazgos presentados ({n}).",
    },
    "review.none": {
        "en": " None of the {findings} shown has been reviewed yet: they are drafts.",
        "fr": " Aucun des constats présentés ({findings}) n'a encore été relu : ce sont des projets.",
        "es": " Ninguno de los hallazgos presentados ({findings}) se ha revisado todavía: son borradores.",
    },
    "review.some": {
        "en": " Reviewers accepted {accepted} of the {n} findings shown; the others are drafts, marked as such.",
        "fr": " Les relecteurs ont accepté {accepted} des {n} constats présentés ; les autres sont des projets, signalés comme tels.",
        "es": " Los revisores aceptaron {accepted} de los {n} hallazgos presentados; los demás son borradores, marcados como tales.",
    },
    "n.polis_participant": {
        "en": ("Polis participant", "Polis participants"),
        "fr": ("participant Polis", "participants Polis"),
        "es": ("participante de Polis", "participantes de Polis"),
    },
    "n.comment": {
        "en": ("comment", "comments"),
        "fr": ("commentaire", "commentaires"),
        "es": ("comentario", "comentarios"),
    },
    "polis.line": {
        "en": "{participants} wrote {comments}: a participant who wrote several comments counts once, and every share is of participants. Each finding lists the votes participants cast on its comments.",
        "fr": "{participants} ont écrit {comments} : un participant qui a écrit plusieurs commentaires compte une fois, et chaque part est calculée sur les participants. Chaque constat indique les votes exprimés sur ses commentaires.",
        "es": "{participants} escribieron {comments}: un participante que escribió varios comentarios cuenta una vez, y cada proporción se calcula sobre los participantes. Cada hallazgo indica los votos emitidos sobre sus comentarios.",
    },
    "attachment.line": {
        "en": "{respondents} attached a document (“{question}”); attachments are counted, not analysed, and their file names are not reproduced.",
        "fr": "{respondents} ont joint un document (« {question} ») ; les pièces jointes sont comptées, non analysées, et leurs noms de fichier ne sont pas reproduits.",
        "es": "{respondents} adjuntaron un documento («{question}»); los adjuntos se cuentan, no se analizan, y sus nombres de archivo no se reproducen.",
    },
    "survey_had": {
        "en": "The survey had {closed} (likert statements counted one by one) and {open}.",
        "fr": "Le questionnaire comportait {closed} (chaque affirmation d'une échelle de Likert comptée séparément) et {open}.",
        "es": "El cuestionario tenía {closed} (cada afirmación de una escala Likert contada por separado) y {open}.",
    },
    # open questions
    "open.no_draft": {
        "en": "No findings draft exists for this question yet; run the draft stage, then the report again.",
        "fr": "Aucun projet de constats n'existe encore pour cette question ; lancez l'étape draft, puis de nouveau le rapport.",
        "es": "Todavía no existe un borrador de hallazgos para esta pregunta; ejecute la etapa draft y luego de nuevo el informe.",
    },
    "open.base": {
        "en": "{respondents} answered; {non_answers}",
        "fr": "Ont répondu : {respondents} ; {non_answers}",
        "es": "Respondieron: {respondents}; {non_answers}",
    },
    "open.not_grouped": {
        "en": "; {n} not grouped into any finding.",
        "fr": " ; {n} non regroupés dans un constat.",
        "es": "; {n} sin agrupar en ningún hallazgo.",
    },
    "open.nobody": {
        "en": "No one answered this question.",
        "fr": "Personne n'a répondu à cette question.",
        "es": "Nadie respondió a esta pregunta.",
    },
    "open.all_rejected": {
        "en": "All findings of this question were rejected in review; none are shown.",
        "fr": "Tous les constats de cette question ont été rejetés à la relecture ; aucun n'est présenté.",
        "es": "Todos los hallazgos de esta pregunta fueron rechazados en la revisión; no se muestra ninguno.",
    },
    "open.no_groups": {
        "en": "The answers did not form groups of similar statements, so no findings are reported.",
        "fr": "Les réponses n'ont pas formé de groupes de déclarations semblables ; aucun constat n'est donc présenté.",
        "es": "Las respuestas no formaron grupos de afirmaciones similares, por lo que no se presenta ningún hallazgo.",
    },
    "open.count": {"en": "{respondents} ({pct})", "fr": "{respondents} ({pct})", "es": "{respondents} ({pct})"},
    "open.response": {"en": "response {id}", "fr": "réponse {id}", "es": "respuesta {id}"},
    "open.comment": {
        "en": "; comment {n}: {votes}",
        "fr": " ; commentaire {n} : {votes}",
        "es": "; comentario {n}: {votes}",
    },
    "open.most_voted": {
        "en": "The {comments} with the most votes:",
        "fr": "Les {comments} ayant reçu le plus de votes :",
        "es": "Los {comments} con más votos:",
    },
    "open.polis_heading": {  # the heading of Polis comments when the export has no prompt (no summary.csv)
        "en": "What participants said",
        "fr": "Ce que les participants ont dit",
        "es": "Lo que dijeron los participantes",
    },
    "open.votes_header": {
        "en": "Comment|Finding|Agree|Disagree|Pass",
        "fr": "Commentaire|Constat|D'accord|Pas d'accord|Passe",
        "es": "Comentario|Hallazgo|De acuerdo|En desacuerdo|Pasa",
    },
    "open.draft_note": {
        "en": "These findings are drafts, not yet reviewed.",
        "fr": "Ces constats sont des projets, pas encore relus.",
        "es": "Estos hallazgos son borradores, aún sin revisar.",
    },
    "open.linked_lead": {
        "en": "This question explains the answers to “{question}”: under each finding, how its respondents answered that question.",
        "fr": "Cette question explique les réponses à « {question} » : sous chaque constat, la façon dont ses répondants y ont répondu.",
        "es": "Esta pregunta explica las respuestas a «{question}»: bajo cada hallazgo, cómo respondieron sus participantes a esa pregunta.",
    },
    "open.linked": {
        "en": "Of these {respondents}: {answers}",
        "fr": "Parmi ces {respondents} : {answers}",
        "es": "De estos {respondents}: {answers}",
    },
    "open.linked_none": {"en": "no answers", "fr": "aucune réponse", "es": "sin respuestas"},
    "open.linked_missing": {
        "en": "; {n} did not answer it",
        "fr": " ; {n} n'y ont pas répondu",
        "es": "; {n} no la respondieron",
    },
    "open.groups_lead": {
        "en": "Who said what: the share of each group's respondents (of those who answered this question) in each finding.",
        "fr": "Qui a dit quoi : la part des répondants de chaque groupe (parmi ceux qui ont répondu à cette question) dans chaque constat.",
        "es": "Quién dijo qué: la proporción de los participantes de cada grupo (entre quienes respondieron a esta pregunta) en cada hallazgo.",
    },
    "open.groups_header": {
        "en": "Attribute|Group|Answered",
        "fr": "Attribut|Groupe|Ont répondu",
        "es": "Atributo|Grupo|Respondieron",
    },
    "open.not_stated": {"en": "(not stated)", "fr": "(non précisé)", "es": "(no indicado)"},
    "open.groups_caption": {
        "en": "▲ / ▼: the group is over- / under-represented in the finding (Fisher's exact test against the other respondents, Benjamini-Hochberg q ≤ {q}); groups or rests under {min} respondents are not tested.",
        "fr": "▲ / ▼ : le groupe est sur- / sous-représenté dans le constat (test exact de Fisher contre les autres répondants, q de Benjamini-Hochberg ≤ {q}) ; les groupes ou restes de moins de {min} répondants ne sont pas testés.",
        "es": "▲ / ▼: el grupo está sobre- / infrarrepresentado en el hallazgo (prueba exacta de Fisher frente a los demás participantes, q de Benjamini-Hochberg ≤ {q}); los grupos o restos de menos de {min} participantes no se prueban.",
    },
    "open.groups_caption_none": {
        "en": "No group stands out: in no finding is a group's share clearly above or below the other respondents' (Fisher's exact test, Benjamini-Hochberg q ≤ {q}; groups or rests under {min} respondents are not tested).",
        "fr": "Aucun groupe ne se distingue : dans aucun constat la part d'un groupe n'est nettement supérieure ou inférieure à celle des autres répondants (test exact de Fisher, q de Benjamini-Hochberg ≤ {q} ; les groupes ou restes de moins de {min} répondants ne sont pas testés).",
        "es": "Ningún grupo destaca: en ningún hallazgo la proporción de un grupo es claramente superior o inferior a la de los demás participantes (prueba exacta de Fisher, q de Benjamini-Hochberg ≤ {q}; los grupos o restos de menos de {min} participantes no se prueban).",
    },
    "open.group_flag": {
        "en": "{group} ({attribute}): {pct} said “{title}” ({n} of {size}), against {rest} of the other respondents.",
        "fr": "{group} ({attribute}) : {pct} ont dit « {title} » ({n} sur {size}), contre {rest} des autres répondants.",
        "es": "{group} ({attribute}): el {pct} dijo «{title}» ({n} de {size}), frente al {rest} de los demás participantes.",
    },
    "open.draft_mark": {
        "en": "(draft, not yet reviewed)",
        "fr": "(projet, pas encore relu)",
        "es": "(borrador, aún sin revisar)",
    },
    # campaigns (issue 27): one text sent by many, reported apart from an open question's findings
    "n.campaign": {"en": ("campaign", "campaigns"), "fr": ("campagne", "campagnes"), "es": ("campaña", "campañas")},
    "campaigns.heading": {"en": "Campaigns", "fr": "Campagnes", "es": "Campañas"},
    "campaigns.line": {
        "en": "{campaigns}, {respondents} ({pct}): each campaign is one text, or near copies of it, sent by many, "
        "summarised once below. The findings are those of the other respondents; every percentage is of all "
        "{answered} who answered.",
        "fr": "{campaigns}, {respondents} ({pct}) : chaque campagne est un même texte, ou des copies proches, "
        "envoyé par beaucoup et résumé une seule fois ci-dessous. Les constats sont ceux des autres répondants ; chaque pourcentage porte sur "
        "l'ensemble des {answered} qui ont répondu.",
        "es": "{campaigns}, {respondents} ({pct}): cada campaña es un mismo texto, o copias cercanas, enviado por "
        "muchos y resumido una sola vez a continuación. Los hallazgos son los de los demás participantes; cada porcentaje se calcula "
        "sobre el total de {answered} que respondieron.",
    },
    "campaigns.method": {
        "en": " Campaigns (one text of 15 words or more sent, word for word or nearly, by at least {least} of a "
        "question's respondents) are reported apart, each once, and the findings are those of the other respondents.",
        "fr": " Les campagnes (un même texte d'au moins 15 mots envoyé, mot pour mot ou presque, par au moins {least} "
        "des répondants d'une question) sont présentées à part, chacune une seule fois, et les constats sont ceux des "
        "autres répondants.",
        "es": " Las campañas (un mismo texto de 15 palabras o más enviado, palabra por palabra o casi, por al menos "
        "{least} de los participantes de una pregunta) se presentan aparte, cada una una sola vez, y los hallazgos "
        "son los de los demás participantes.",
    },
    "campaigns.least_auto": {
        "en": "5 or 0.1%, whichever is more,",
        "fr": "5 ou 0,1 %, le plus élevé des deux,",
        "es": "5 o el 0,1 %, lo que sea mayor,",
    },
    # closed questions
    "closed.header": {
        "en": "Statement|Agree|{conf}% interval|Base|N/A|Skipped",
        "fr": "Affirmation|D'accord|Intervalle à {conf} %|Base|Sans objet|Sans réponse",
        "es": "Afirmación|De acuerdo|Intervalo del {conf} %|Base|N/A|Sin respuesta",
    },
    "closed.agree_cell": {
        "en": "{pct} ({agree} of {base})",
        "fr": "{pct} ({agree} sur {base})",
        "es": "{pct} ({agree} de {base})",
    },
    "closed.no_answers": {"en": "no answers", "fr": "aucune réponse", "es": "sin respuestas"},
    "closed.caption": {
        "en": "Agree = {agree}; base = respondents who answered, N/A per the closed settings.",
        "fr": "D'accord = {agree} ; base = répondants ayant répondu, sans objet selon les paramètres des questions fermées.",
        "es": "De acuerdo = {agree}; base = participantes que respondieron, N/A según la configuración de las preguntas cerradas.",
    },
    "closed.options_header": {
        "en": "Option|Respondents|Share",
        "fr": "Option|Répondants|Part",
        "es": "Opción|Participantes|Proporción",
    },
    "closed.options_header_multi": {
        "en": "Option|Respondents|Share of respondents",
        "fr": "Option|Répondants|Part des répondants",
        "es": "Opción|Participantes|Proporción de participantes",
    },
    "closed.not_in_base": {"en": "not in base", "fr": "hors base", "es": "fuera de la base"},
    "closed.no_chart": {
        "en": "Chart not available; rerun the closed stage to draw it.",
        "fr": "Graphique indisponible ; relancez l'étape closed pour le dessiner.",
        "es": "Gráfico no disponible; vuelva a ejecutar la etapa closed para dibujarlo.",
    },
    "closed.alt_likert": {
        "en": "Stacked bar chart: {title}",
        "fr": "Graphique à barres empilées : {title}",
        "es": "Gráfico de barras apiladas: {title}",
    },
    "closed.alt_bar": {
        "en": "Bar chart: {title}",
        "fr": "Graphique à barres : {title}",
        "es": "Gráfico de barras: {title}",
    },
    "closed.or": {"en": " or ", "fr": " ou ", "es": " o "},
    "closed.top_box": {
        "en": "{pct} ({agree} of {base}; {conf}% interval {low}–{high}).",
        "fr": "{pct} ({agree} sur {base} ; intervalle à {conf} % : {low}–{high}).",
        "es": "{pct} ({agree} de {base}; intervalo del {conf} %: {low}–{high}).",
    },
    "closed.base": {
        "en": "{answered} of {respondents} respondents answered ({skipped} skipped)",
        "fr": "{answered} répondants sur {respondents} ont répondu ({skipped} sans réponse)",
        "es": "{answered} de {respondents} participantes respondieron ({skipped} sin respuesta)",
    },
    "closed.na_kept_out": {
        "en": "{na} answered only N/A or similar, kept out of the base",
        "fr": "{na} ont répondu seulement « sans objet » ou l'équivalent, exclus de la base",
        "es": "{na} respondieron solo N/A o similar, excluidos de la base",
    },
    "closed.na_included": {
        "en": "{na} answered only N/A or similar, included in the base",
        "fr": "{na} ont répondu seulement « sans objet » ou l'équivalent, inclus dans la base",
        "es": "{na} respondieron solo N/A o similar, incluidos en la base",
    },
    "closed.multi": {
        "en": "several answers were possible, so shares add up to more than 100%",
        "fr": "plusieurs réponses étaient possibles : le total des parts dépasse 100 %",
        "es": "se podían dar varias respuestas, por lo que las proporciones suman más del 100 %",
    },
    "threshold.nobody": {
        "en": "No one answered these statements, so no agreement level can be reported.",
        "fr": "Personne n'a répondu à ces affirmations ; aucun niveau d'accord ne peut être présenté.",
        "es": "Nadie respondió a estas afirmaciones, por lo que no se puede presentar ningún nivel de acuerdo.",
    },
    "threshold.none": {
        "en": "No statement reached more than {limit} agreement; the highest was {item}.",
        "fr": "Aucune affirmation n'a dépassé {limit} d'accord ; la plus élevée était {item}.",
        "es": "Ninguna afirmación superó el {limit} de acuerdo; la más alta fue {item}.",
    },
    "threshold.lead": {
        "en": "More than {limit} of responses agree that {lead}:",
        "fr": "Plus de {limit} des réponses sont d'accord pour dire que {lead} :",
        "es": "Más del {limit} de las respuestas están de acuerdo en que {lead}:",
    },
    "threshold.with": {
        "en": "More than {limit} of responses agree with:",
        "fr": "Plus de {limit} des réponses sont d'accord avec :",
        "es": "Más del {limit} de las respuestas están de acuerdo con:",
    },
    "threshold.answered": {
        "en": "More than {limit} of responses answered {options} for:",
        "fr": "Plus de {limit} des réponses ont choisi {options} pour :",
        "es": "Más del {limit} de las respuestas eligieron {options} para:",
    },
    "threshold.item": {
        "en": "{label} ({pct}, {agree} of {base})",
        "fr": "{label} ({pct}, {agree} sur {base})",
        "es": "{label} ({pct}, {agree} de {base})",
    },
    # the method section and the annex
    "m.closed": {"en": "Closed questions. ", "fr": "Questions fermées. ", "es": "Preguntas cerradas. "},
    "m.open": {"en": "Open questions. ", "fr": "Questions ouvertes. ", "es": "Preguntas abiertas. "},
    "m.closed_text": {
        "en": 'Shares are of respondents who answered each question; non-substantive answers ({na}) are {base}, while "Other" counts as an answer. Agreement is the share choosing {agree}, with {conf}% Wilson score intervals. Statements with agreement above {threshold} are listed under each chart. Per-question settings in the configuration may differ.',
        "fr": "Les parts sont calculées sur les répondants ayant répondu à chaque question ; les réponses sans avis ({na}) sont {base}, tandis que « Autre » compte comme une réponse. L'accord est la part des répondants choisissant {agree}, avec des intervalles de score de Wilson à {conf} %. Les affirmations dont l'accord dépasse {threshold} sont listées sous chaque graphique. Les paramètres propres à une question dans la configuration peuvent différer.",
        "es": "Las proporciones se calculan sobre quienes respondieron cada pregunta; las respuestas sin opinión ({na}) se {base}, mientras que «Otro» cuenta como respuesta. El acuerdo es la proporción que elige {agree}, con intervalos de puntuación de Wilson del {conf} %. Las afirmaciones con un acuerdo superior al {threshold} se enumeran bajo cada gráfico. La configuración de cada pregunta puede ser distinta.",
    },
    "m.na_nonsubstantive": {
        "en": '"No opinion", "Don\'t know", N/A and the like',
        "fr": "« Sans opinion », « Ne sait pas », N/A et équivalents",
        "es": "«Sin opinión», «No sabe», N/A y similares",
    },
    "m.na_none": {"en": "none", "fr": "aucune", "es": "ninguna"},
    "m.base_excluded": {"en": "kept out of the base", "fr": "exclues de la base", "es": "excluyen de la base"},
    "m.base_included": {"en": "counted in the base", "fr": "comptées dans la base", "es": "cuentan en la base"},
    "m.agree_default": {
        "en": "the top two options of the scale (the top one on shorter scales)",
        "fr": "les deux options les plus favorables de l'échelle (la plus favorable sur les échelles plus courtes)",
        "es": "las dos opciones más favorables de la escala (la más favorable en escalas más cortas)",
    },
    "m.split.none": {"en": "kept whole", "fr": "gardées entières", "es": "conservadas enteras"},
    "m.split.bullets": {"en": "split at bullets", "fr": "découpées aux puces", "es": "divididas en viñetas"},
    "m.split.sentences": {"en": "split into sentences", "fr": "découpées en phrases", "es": "divididas en oraciones"},
    "m.no_reduction": {
        "en": "without dimension reduction",
        "fr": "sans réduction de dimension",
        "es": "sin reducción de dimensiones",
    },
    "m.reduced": {
        "en": "reduced with {method} to {dims}",
        "fr": "réduites par {method} à {dims}",
        "es": "reducidas con {method} a {dims}",
    },
    "m.dims_auto": {
        "en": "5 dimensions (10 from 1,000 statements)",
        "fr": "5 dimensions (10 à partir de 1 000 déclarations)",
        "es": "5 dimensiones (10 a partir de 1.000 afirmaciones)",
    },
    "m.dims": {"en": "{n} dimensions", "fr": "{n} dimensions", "es": "{n} dimensiones"},
    "m.smooth": {
        "en": ", averaged over their {k} nearest neighbours ({steps} rounds)",
        "fr": ", moyennées sur leurs plus proches voisines ({k} ; {steps} passes)",
        "es": ", promediadas con sus vecinas más cercanas ({k}; {steps} rondas)",
    },
    "m.up_to_15": {"en": "up to 15", "fr": "jusqu'à 15", "es": "hasta 15"},
    "m.assign": {
        "en": " Answers not grouped were then assigned to the nearest finding at cosine ≥ {threshold}.",
        "fr": " Les réponses non regroupées ont ensuite été rattachées au constat le plus proche à un cosinus ≥ {threshold}.",
        "es": " Las respuestas sin agrupar se asignaron después al hallazgo más cercano con un coseno ≥ {threshold}.",
    },
    "m.nothing": {
        "en": " Answers and sentences that say nothing about the question (non-answers such as {shown}, pointers to another document or answer, bare links, thanks, keyboard mash) join no finding; answers made only of them are counted by kind as non-answers.",
        "fr": " Les réponses et les phrases qui ne disent rien de la question (non-réponses comme {shown}, renvois à un autre document ou à une autre réponse, liens seuls, remerciements, frappe au hasard) ne rejoignent aucun constat ; les réponses qui n'en contiennent pas d'autres sont comptées par type comme non-réponses.",
        "es": " Las respuestas y frases que no dicen nada sobre la pregunta (no respuestas como {shown}, remisiones a otro documento o respuesta, enlaces sueltos, agradecimientos, tecleo al azar) no se unen a ningún hallazgo; las respuestas formadas solo por ellas se cuentan por tipo como no respuestas.",
    },
    "m.context": {
        "en": " Where answers ran to several sentences, each sentence was read together with the rest of its answer{auto}.",
        "fr": " Lorsque les réponses comptaient plusieurs phrases, chaque phrase a été lue avec le reste de sa réponse{auto}.",
        "es": " Cuando las respuestas tenían varias frases, cada frase se leyó junto con el resto de su respuesta{auto}.",
    },
    "m.context_auto": {
        "en": " (in questions where at least 40% of the answers have two or more)",
        "fr": " (dans les questions où au moins 40 % des réponses en ont deux ou plus)",
        "es": " (en las preguntas en que al menos el 40 % de las respuestas tiene dos o más)",
    },
    "m.themes": {
        "en": " Groups that say the same thing in other words were merged into themes (modularity of their nearest-neighbour links, resolution {resolution}), and a theme holding more than {share} of a question's respondents whose parts were loosely linked was split again; each finding lists the groups it merged as sub-points.",
        "fr": " Les groupes ont ensuite été fusionnés en thèmes lorsqu'ils disent la même chose en d'autres mots (modularité de leurs liens de plus proches voisins, résolution {resolution}), et un thème réunissant plus de {share} des répondants d'une question dont les parties étaient peu liées a été de nouveau scindé ; chaque constat énumère les groupes qu'il a fusionnés comme sous-points.",
        "es": " Después, los grupos se fusionaron en temas cuando dicen lo mismo con otras palabras (modularidad de sus vínculos de vecinos más cercanos, resolución {resolution}), y un tema que reunía más del {share} de los participantes de una pregunta y cuyas partes estaban poco vinculadas se volvió a dividir; cada hallazgo enumera como subpuntos los grupos que fusionó.",
    },
    "m.unusable": {
        "en": "{rows} of the export could not be used and were left out of every count; the run's 01_ingest/issues.csv lists each with the reason.",
        "fr": "{rows} de l'export n'ont pas pu être utilisées et ont été écartées de tous les décomptes ; le fichier 01_ingest/issues.csv de l'exécution les énumère avec leur motif.",
        "es": "{rows} de la exportación no se pudieron usar y quedaron fuera de todos los recuentos; el archivo 01_ingest/issues.csv de la ejecución las enumera con su motivo.",
    },
    "m.open_text": {
        "en": "Answers were {split}, embedded with the model {model}{smooth}, {reduce} and grouped with HDBSCAN (min_cluster_size {mcs}, min_samples {ms}, selection {selection}, epsilon {epsilon}; seed {seed}).{assign} Groups are ranked by the number of respondents; each question shows its top {top}, with a drafted title and summary that reviewers edit, accept or reject. Rejected findings are left out; findings not yet reviewed are marked as drafts.",
        "fr": "Les réponses ont été {split}, représentées par le modèle {model}{smooth}, {reduce} et regroupées par HDBSCAN (min_cluster_size {mcs}, min_samples {ms}, sélection {selection}, epsilon {epsilon} ; graine {seed}).{assign} Les groupes sont classés selon le nombre de répondants ; chaque question présente ses {top} premiers, avec un titre et un résumé proposés que les relecteurs modifient, acceptent ou rejettent. Les constats rejetés sont écartés ; ceux qui n'ont pas encore été relus sont marqués comme projets.",
        "es": "Las respuestas fueron {split}, representadas con el modelo {model}{smooth}, {reduce} y agrupadas con HDBSCAN (min_cluster_size {mcs}, min_samples {ms}, selección {selection}, epsilon {epsilon}; semilla {seed}).{assign} Los grupos se ordenan por número de participantes; cada pregunta muestra sus {top} primeros, con un título y un resumen propuestos que los revisores editan, aceptan o rechazan. Los hallazgos rechazados se omiten; los que aún no se han revisado se marcan como borradores.",
    },
    "m.multilingual": {
        "en": " Some answers to {questions} were in languages that model does not cover, so those questions were also (or, where most answers were in such languages, only) embedded with the multilingual model {model}, which places the same idea in different languages close together.",
        "fr": " Certaines réponses à {questions} étaient dans des langues que ce modèle ne couvre pas ; ces questions ont donc aussi (ou, lorsque la plupart des réponses étaient dans ces langues, uniquement) été représentées par le modèle multilingue {model}, qui rapproche une même idée exprimée dans des langues différentes.",
        "es": " Algunas respuestas a {questions} estaban en idiomas que ese modelo no cubre, por lo que esas preguntas se representaron también (o, cuando la mayoría de las respuestas estaban en esos idiomas, solo) con el modelo multilingüe {model}, que acerca una misma idea expresada en idiomas distintos.",
    },
    "m.finding_counts": {
        "en": "{open}; findings drafts exist for {found} ({reviewed} read from the review folder). {shown} shown: {accepted} accepted in review, {pending} not yet reviewed; {rejected} rejected in review and left out.",
        "fr": "{open} ; des projets de constats existent pour {found} ({reviewed} lus dans le dossier de relecture). Constats présentés : {shown} ; {accepted} acceptés à la relecture, {pending} pas encore relus ; {rejected} rejetés à la relecture et écartés.",
        "es": "{open}; existen borradores de hallazgos para {found} ({reviewed} leídos de la carpeta de revisión). Hallazgos presentados: {shown}; {accepted} aceptados en la revisión, {pending} aún sin revisar; {rejected} rechazados en la revisión y omitidos.",
    },
    # the writer (`writer.backend: openai`): a language model wrote titles and summaries
    "m.writer": {
        "en": "The titles and one-sentence summaries of {written} of the {asked} findings were written by the language model {model} ({url}): the answers of each finding (up to {sample}, with email addresses and phone numbers masked) were sent to it, and each reply was checked against them (a title of two to eight words, one sentence, quotes from those answers, their language).",
        "fr": "Les titres et les résumés d'une phrase de {written} des {asked} constats ont été rédigés par le modèle de langage {model} ({url}) : les réponses de chaque constat (jusqu'à {sample}, adresses électroniques et numéros de téléphone masqués) lui ont été envoyées, et chaque réponse du modèle a été vérifiée au regard de celles-ci (un titre de deux à huit mots, une seule phrase, des citations tirées de ces réponses, leur langue).",
        "es": "Los títulos y los resúmenes de una oración de {written} de los {asked} hallazgos fueron redactados por el modelo de lenguaje {model} ({url}): se le enviaron las respuestas de cada hallazgo (hasta {sample}, con las direcciones de correo electrónico y los números de teléfono ocultos), y cada respuesta del modelo se comprobó con ellas (un título de dos a ocho palabras, una sola oración, citas de esas respuestas, su idioma).",
    },
    "m.writer_fallback": {
        "en": " For the other {n}, whose replies failed these checks or did not come, the title and summary are taken from the answers' own words.",
        "fr": " Pour les {n} autres, dont les réponses n'ont pas passé ces vérifications ou ne sont pas arrivées, le titre et le résumé reprennent les mots mêmes des réponses.",
        "es": " Para los otros {n}, cuyas respuestas no superaron estas comprobaciones o no llegaron, el título y el resumen se toman de las propias palabras de las respuestas.",
    },
    "m.writer_model": {
        "en": "Language model (titles and summaries): {value}",
        "fr": "Modèle de langage (titres et résumés) : {value}",
        "es": "Modelo de lenguaje (títulos y resúmenes): {value}",
    },
    "m.as_configured": {"en": "as configured", "fr": "selon la configuration", "es": "según la configuración"},
    "m.identity": {"en": "identity", "fr": "identité", "es": "identidad"},
    "m.model": {
        "en": "Embedding model: {value}",
        "fr": "Modèle de représentation : {value}",
        "es": "Modelo de representación: {value}",
    },
    "m.statements": {
        "en": "Statements embedded: {value}",
        "fr": "Déclarations représentées : {value}",
        "es": "Afirmaciones representadas: {value}",
    },
    "m.sha": {
        "en": "Input file SHA-256: {value}",
        "fr": "SHA-256 du fichier source : {value}",
        "es": "SHA-256 del archivo de entrada: {value}",
    },
    "m.version": {
        "en": "Consolidate version: {value}",
        "fr": "Version de Consolidate : {value}",
        "es": "Versión de Consolidate: {value}",
    },
    "m.date": {"en": "Report date: {value}", "fr": "Date du rapport : {value}", "es": "Fecha del informe: {value}"},
    "annex.header": {
        "en": "Question|Kind|Answers|Non-answers|Blank|Not grouped|Languages|ID",
        "fr": "Question|Type|Réponses|Non-réponses|Vides|Non regroupées|Langues|ID",
        "es": "Pregunta|Tipo|Respuestas|No respuestas|En blanco|Sin agrupar|Idiomas|ID",
    },
    "annex.caption": {
        "en": "Answers = respondents with a usable answer; not grouped = open answers that joined no finding; languages = languages detected in open answers (ISO 639-1 codes; und = too short or mixed to tell).",
        "fr": "Réponses = répondants ayant donné une réponse exploitable ; non regroupées = réponses ouvertes rattachées à aucun constat ; langues = langues détectées dans les réponses ouvertes (codes ISO 639-1 ; und = trop court ou trop mêlé pour le dire).",
        "es": "Respuestas = participantes con una respuesta utilizable; sin agrupar = respuestas abiertas que no se unieron a ningún hallazgo; idiomas = idiomas detectados en las respuestas abiertas (códigos ISO 639-1; und = demasiado breve o mezclado para saberlo).",
    },
    "annex.no_draft": {"en": "no draft", "fr": "aucun projet", "es": "sin borrador"},
}
