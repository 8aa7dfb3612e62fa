"""Findings: verbatim quotes and summaries, counts in distinct respondents, stable ranking."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.config import ClusterConfig, FindingsConfig, StatementsConfig
from pipeline.stages.cluster import NOISE, run_cluster
from pipeline.stages.embed import build_statements, run_embed
from pipeline.stages.findings import QuestionInput, question_findings, run_findings, trim_summary
from pipeline.stages.findings.titles import TitleContext, choose_titles
from pipeline.stages.findings.wording import _capitalise, majority_reply, original_casing
from pipeline.stages.shared.phrases import PhraseVectors, candidate_phrases
from pipeline.stages.shared.sidecar import QuestionDraft
from pipeline.stages.shared.words import headline_words, points_back, question_words, segments, word_key
from tests.conftest import SHARED_DATA, FakeEmbedder


def pipeline_drafts(
    questions: pd.DataFrame, answers: pd.DataFrame, split: str = "sentences"
) -> tuple[pd.DataFrame, dict[str, QuestionDraft]]:
    statements = build_statements(answers, ["q_open"], lambda q: StatementsConfig(split=split))
    embedder = FakeEmbedder()
    vectors = run_embed(statements, lambda q: embedder)
    clusters = run_cluster(statements, vectors, lambda q: ClusterConfig(), seed=0)
    return statements, run_findings(questions, answers, statements, clusters, vectors, lambda q: FindingsConfig())


def test_themes_become_ranked_findings(open_tables: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    questions, answers = open_tables
    _, drafts = pipeline_drafts(questions, answers)
    draft = drafts["q_open"]
    assert draft.answered == 24 and draft.non_answers == 1
    assert len(draft.findings) >= 3
    counts = [f.n_respondents for f in draft.findings]
    assert counts == sorted(counts, reverse=True)
    assert [f.rank for f in draft.findings] == list(range(1, len(draft.findings) + 1))
    assert len({f.id for f in draft.findings}) == len(draft.findings)


def test_quotes_and_summaries_are_verbatim_and_counts_distinct(open_tables: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    questions, answers = open_tables
    statements, drafts = pipeline_drafts(questions, answers)
    by_id = statements.set_index("statement_id")
    answer_of = dict(zip(answers["respondent_id"], answers["value"], strict=True))
    for finding in drafts["q_open"].findings:
        members = by_id.loc[finding.members]
        assert finding.n_respondents == members["respondent_id"].nunique()
        assert any(finding.summary in text for text in members["text"])
        for quote in finding.quotes:
            assert quote.text in answer_of[quote.response_id]
            assert quote.response_id in set(members["respondent_id"])
        words = set(" ".join(members["text"]).lower().split())
        assert all(w.strip(".,") in " ".join(words) for w in finding.title.lower().split())


def test_one_respondent_counts_once_even_with_many_statements() -> None:
    statements = pd.DataFrame(
        {
            "statement_id": ["A:q:1", "A:q:2", "B:q:1"],
            "respondent_id": ["A", "A", "B"],
            "text": ["x one", "x two", "x three"],
        }
    )
    q = QuestionInput(
        "q", "Q?", statements, np.eye(3, dtype=np.float32), np.array([0, 0, 0]), answered=2, non_answers=0
    )
    draft = question_findings(q, FindingsConfig())
    assert draft.findings[0].n_respondents == 2
    assert draft.findings[0].pct == 100.0


def test_trim_summary_keeps_whole_sentences_and_is_a_prefix() -> None:
    text = "Short first sentence. A much longer second sentence that will not fit in the limit at all."
    assert trim_summary(text, 40) == "Short first sentence."
    long_one = "word " * 100
    cut = trim_summary(long_one, 50)
    assert long_one.startswith(cut) and len(cut) <= 50


@settings(max_examples=40, deadline=None)
@given(
    labels=st.lists(st.integers(min_value=-1, max_value=8), min_size=1, max_size=40),
    top_n=st.integers(min_value=1, max_value=6),
)
def test_ranking_properties(labels: list[int], top_n: int) -> None:
    n = len(labels)
    rng = np.random.default_rng(n)
    vectors = rng.normal(size=(n, 8)).astype(np.float32)
    statements = pd.DataFrame(
        {
            "statement_id": [f"R{i % 7}:q:{i}" for i in range(n)],
            "respondent_id": [f"R{i % 7}" for i in range(n)],
            "text": [f"answer about topic {label} number {i}" for i, label in enumerate(labels)],
        }
    )
    q = QuestionInput("q", "Q?", statements, vectors, np.array(labels), answered=7, non_answers=0)
    draft = question_findings(q, FindingsConfig(top_n=top_n))
    assert len(draft.top) <= top_n
    keys = [(-f.n_respondents, -len(f.members)) for f in draft.findings]
    assert keys == sorted(keys)
    members = [m for f in draft.findings for m in f.members] + draft.not_grouped_members
    assert sorted(members) == sorted(statements["statement_id"])
    assert draft.not_grouped <= 7
    assert len(draft.findings) == len(set(labels) - {NOISE})


OTHER_ANSWERS = [
    "Too many meetings in Geneva.",
    "Travel costs are high.",
    "Reports are published late.",
    "The website is hard to navigate.",
    "Regional offices lack staff.",
]


def one_cluster(texts: list[str]) -> QuestionDraft:
    """Findings of a question whose answers are `texts` (one cluster) plus a few not-grouped others."""
    every = texts + OTHER_ANSWERS
    statements = pd.DataFrame(
        {
            "statement_id": [f"R{i}:q:1" for i in range(len(every))],
            "respondent_id": [f"R{i}" for i in range(len(every))],
            "text": every,
        }
    )
    labels = np.array([0] * len(texts) + [NOISE] * len(OTHER_ANSWERS))
    q = QuestionInput("q", "What is the main threat?", statements, FakeEmbedder().embed(every), labels, len(every), 0)
    return question_findings(q, FindingsConfig())


def in_order(title: str, texts: list[str]) -> bool:
    """The title's words occur, in that order, in one of the texts (case and punctuation aside)."""
    wanted = [word_key(w) for run in segments(title) for w in run]
    for text in texts:
        words = iter(word_key(w) for run in segments(text) for w in run)
        if all(any(w == x for x in words) for w in wanted):
            return True
    return False


def test_title_keeps_the_answers_casing() -> None:
    texts = [
        "Use AI tools for translation of documents.",
        "AI tools for translation would save a lot of money.",
        "Translation with AI tools and a human review.",
        "Test AI tools for translation in study groups.",
    ]
    title = one_cluster(texts).findings[0].title
    assert "AI" in title.split() and in_order(title, texts)


def test_title_in_capitals_is_put_in_sentence_case() -> None:
    assert _capitalise("REDUCE IMMIGRATION") == "Reduce immigration"
    assert _capitalise("STOP THE EU LEVY") == "Stop the EU levy"
    assert _capitalise("UNESCO") == "UNESCO" and _capitalise("AI tools") == "AI tools"
    texts = ["REDUCE IMMIGRATION.", "REDUCE IMMIGRATION NOW", "Reduce immigration levels"]
    assert title_of([], texts) == "Reduce immigration"


def test_a_garbled_capital_inside_a_known_word_is_written_plainly() -> None:
    """Rows that garble a letter ("servIce") give no title so spelt; a brand written with an inner capital stays."""
    assert _capitalise("very Good servIce") == "Very Good service"
    assert _capitalise("EverythIng very good") == "Everything very good"
    assert _capitalise("iPhone apps") == "iPhone apps" and _capitalise("WordPress sites") == "WordPress sites"
    texts = ["The servIce is very good.", "Very good servIce.", "The service was very good indeed."]
    assert "servIce" not in title_of([], texts)


def test_title_phrase_is_shared_by_a_tenth_of_the_members() -> None:
    rare = ["Hold regular webinars for delegates who are new.", "Regular webinars for delegates would help us."]
    others = [f"Explain what indicator number {i} means for the finances of the Union." for i in range(20)]
    assert title_of(["regular webinars for delegates"], rare + others) != "Regular webinars for delegates"
    assert title_of(["regular webinars for delegates"], rare + others[:8]) == "Regular webinars for delegates"


def test_title_never_ends_on_a_modal_or_dangling_verb() -> None:
    texts = [
        "Important indicators would make the report much more usable.",
        "Important indicators would make the report much more usable.",
        "Five important indicators would make reading easier.",
        "A summary of the important indicators would make sense.",
    ]
    title = one_cluster(texts).findings[0].title
    assert title.split()[-1].lower() not in {"would", "make"}
    assert "would" not in title.lower().split() and title != "Important indicators would make"
    assert headline_words(title.split()) and in_order(title, texts)


def title_of(phrases: list[str], texts: list[str], embedded: bool = False, question: str = "") -> str:
    """The title `choose_titles` gives one finding made of `texts` (FakeEmbedder vectors)."""
    embedder = FakeEmbedder()
    vectors = embedder.embed(texts).astype(np.float64)
    pool = None
    if embedded:
        candidates = candidate_phrases(texts) or phrases
        pool = PhraseVectors(candidates, embedder.embed(candidates).astype(np.float64))
    ctx = TitleContext(texts, vectors, frozenset(question.lower().split()), 4, pool)
    centre = vectors.mean(axis=0)
    centre /= np.linalg.norm(centre)
    return choose_titles(ctx, [np.arange(len(texts))], [phrases], centre[None, :])[0]


def test_no_title_made_only_of_the_questions_words_in_another_form() -> None:
    """Under "How do you deal with flaky tests?", "Flaky test" heads nothing (held-out flaky-test survey)."""
    texts = [
        "We quarantine the flaky test at once.",
        "A flaky test goes to quarantine until someone fixes it.",
        "Quarantine each flaky test and open a ticket.",
        "The flaky test is rerun, then quarantined.",
        "Flaky test? Quarantine it.",
    ]
    vectors = FakeEmbedder().embed(texts).astype(np.float64)
    candidates = candidate_phrases(texts)
    pool = PhraseVectors(candidates, FakeEmbedder().embed(candidates).astype(np.float64))
    ctx = TitleContext(texts, vectors, question_words("How do you deal with flaky tests?"), 4, pool)
    centre = vectors.mean(axis=0) / np.linalg.norm(vectors.mean(axis=0))
    title = choose_titles(ctx, [np.arange(len(texts))], [["flaky test", "quarantine"]], centre[None, :])[0]
    assert title.lower() != "flaky test" and "quarantin" in title.lower(), title


def test_a_title_holding_or_held_in_an_earlier_one_gives_way_to_the_next_candidate() -> None:
    """'Electoral system' under 'Current electoral system' reads as one theme split in two (Polis, NHS)."""
    first = ["The current electoral system is unfair.", "Our current electoral system fails voters."]
    second = [
        "A secret ballot for every electoral system.",
        "Keep the secret ballot in any electoral system.",
        "The electoral system needs a secret ballot.",
    ]
    texts = first + second
    vectors = FakeEmbedder().embed(texts).astype(np.float64)
    ctx = TitleContext(texts, vectors, frozenset(), 4, None)
    centres = np.vstack([vectors[:2].mean(axis=0), vectors[2:].mean(axis=0)])
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    members = [np.arange(2), np.arange(2, 5)]
    titles = choose_titles(ctx, members, [["current electoral system"], ["electoral system", "secret ballot"]], centres)
    assert titles == ["Current electoral system", "Secret ballot"], titles
    alone = choose_titles(ctx, members[1:], [["electoral system", "secret ballot"]], centres[1:])
    assert alone == ["Electoral system"], alone  # without the first finding, its best candidate stands


def test_a_compound_keeps_the_negation_members_write_before_it() -> None:
    """Held-out flaky-test survey: "Waiting long" titled members who wrote "Not waiting long enough ..."."""
    from pipeline.stages.findings.titles import _shown
    from pipeline.stages.findings.wording import _tokens

    texts = ["Not waiting long enough for the environment.", "CI taking too long to begin tests.", "Storage issues."]
    ctx = TitleContext(texts, FakeEmbedder().embed(texts).astype(np.float64), frozenset(), 4)
    runs = [_tokens(t) for t in texts]
    assert _shown("waiting long", "compound", texts, runs, ctx) == "Not waiting long"
    stop = ["We do not think WWCO should stop any of its core activities."]
    assert _shown("core activities", "compound", stop, [_tokens(stop[0])], ctx) == ""  # negated further back


def test_statement_title_only_when_it_reads_as_a_headline() -> None:
    texts = [
        "ITU could learn from them.",
        "Benchmark against other agencies and their practice.",
        "Compare the reports with other agencies in the UN system.",
    ]
    assert title_of(["other agencies"], texts) == "Other agencies"
    assert title_of([], ["Reduce business-class travel.", "Less travel."]) == "Reduce business-class travel"
    assert title_of([], ["Thank you.", "Reduce business-class travel."]) == "Reduce business-class travel"
    assert title_of(["ai tools"], ["use AI tools for this kind of work", "AI tools for the translation"]) == "AI tools"
    assert title_of([], ["the pace of change, which risks making"]) == "Pace of change"


def test_sentences_pointing_back_give_no_title() -> None:
    """WWCO: "It should be kept in the new plan." followed a point on convening power; "new plan" titled it."""
    texts = [
        "It should be kept in the new plan.",
        "This is a major achievement that should be preserved in the new plan.",
        "This must stay in the new plan.",
        "Its convening power.",
        "The power to convene governments and scientists.",
    ]
    for embedded in (False, True):
        title = title_of(["new plan"], texts, embedded)
        assert "plan" not in title.lower() and "conven" in title.lower()
    assert points_back(texts[0]) and points_back("Eso es clave.") and not points_back("Its convening power.")


def test_a_member_title_takes_the_spelling_most_members_give() -> None:
    """NHS Trust B: the member "Very Good servIce" titled a finding where most members wrote "Very good service"."""
    texts = [
        "Very Good servIce",
        "Very good service, thank you.",
        "Very good service from everyone on the ward.",
        "The nurses gave a very good service.",
        "Very good service and kind nurses.",
    ]
    assert title_of([], texts) == "Very good service"


def test_a_sentence_about_the_writer_is_no_title() -> None:
    """Short answers opening on a subject pronoun ("I voted to Remain") are sentences, not headings (Polis)."""
    texts = ["I always vote.", "I'm still going to vote in person.", "We always vote in person.", "Vote in person."]
    title = title_of([], texts)
    assert title.split()[0].lower() not in {"i", "i'm", "we"} and in_order(title, texts)
    assert not headline_words("I voted to Remain".split()) and not headline_words("Je pense que oui".split())
    assert headline_words("Voting in person".split())


def test_a_negated_verb_of_opinion_keeps_a_phrase_after_it_from_being_the_title() -> None:
    """WWCO, "What should WWCO stop doing?": "Core activities" headed "We do not think WWCO should stop any of its
    core activities", saying the opposite of its members."""
    from pipeline.stages.findings.wording import LOST_STANCE, _negated, _tokens

    said = "We do not think WWCO should stop any of its core activities."
    assert _negated(["core", "activities"], [_tokens(said)], english=True) == LOST_STANCE
    assert _negated(["core", "activities"], [_tokens("Stop core activities that others do.")], english=True) is None
    texts = [said, "Honestly I do not think it should stop core activities at all.", "Keep all current activities."]
    for embedded in (False, True):
        title = title_of(["activities"], texts, embedded=embedded)
        assert "core activities" not in title.lower(), title  # "Keep all current activities"


def test_a_leading_nothing_is_no_part_of_a_title() -> None:
    """NHS, "What could we have done better?": 123 replied "Nothing, everything was great" (title was "Nothing ...")."""
    from pipeline.stages.findings.wording import without_nothing

    assert without_nothing("Nothing everything was great") == "everything was great"
    assert without_nothing("Nothing, everything was great") == "everything was great"
    assert without_nothing("No further regulation") == "No further regulation"  # a stance, not a non-answer
    assert without_nothing("Nothing to add here") == "Nothing to add here"  # "Nothing" goes on: no substance follows
    texts = ["Nothing, everything was great."] * 4 + ["Nothing everything was great", "Everything was great thanks"]
    for embedded in (False, True):
        assert title_of([], texts, embedded) == "Everything was great"


def test_a_title_capitalises_a_word_inside_it_as_the_question_does() -> None:
    """NHS Trust B: "Nurses very Good" (garbled rows) where the question writes "good"; names keep their capital."""
    from pipeline.stages.findings.titles import TitleContext, _as_written

    texts = ["The care was very good.", "Food was very good and hot.", "All very good, thanks.", "Nurses very Good."]
    texts += ["We watched American Football on TV.", "I love American football.", "Brexit and the EU.", "Brexit now."]
    texts += ["The budget is late.", "A smaller budget.", "Cut the budget.", "Read the Programme and Budget."]
    ctx = TitleContext(texts, np.zeros((len(texts), 2)), frozenset(), 4)
    assert _as_written("Nurses very Good", ctx) == "Nurses very good"
    assert _as_written("Approved Programme and Budget", ctx) == "Approved Programme and Budget"  # a name's word
    assert _as_written("Smaller Budget", ctx) == "Smaller budget"  # lower case after "smaller", as the answers write it
    assert _as_written("Tories on Brexit", ctx) == "Tories on Brexit"  # never written "brexit"
    assert _as_written("Good UBI", ctx) == "Good UBI"  # the first word and acronyms stay as written
    assert _as_written("American Football", ctx) == "American Football"  # 1 lower-case to 1 capitalised: kept


def test_an_auxiliary_cut_from_its_subject_opens_no_title() -> None:
    """Polis biodiversity: the member "This isn't a Māori-and-Pākehā issue" lost "This" and headed its finding."""
    from pipeline.stages.findings.titles import _opens_well

    assert not _opens_well("Isn't a Māori-and-Pākehā issue") and not _opens_well("Are the reasons")
    assert _opens_well("Mātauranga Māori") and _opens_well("Issues of trust")
    assert not _opens_well("Taken good care") and not _opens_well("Had excellent care")  # NHS: "XXXX had taken ..."
    assert not headline_words("Isn't a Māori-and-Pākehā issue".split())
    texts = [
        "This isn't a Māori-and-Pākehā issue",
        "Mātauranga Māori must be valued in biodiversity management.",
        "Recognise mātauranga Māori in biodiversity work.",
        "Mātauranga Māori and science together.",
    ]
    for embedded in (False, True):
        assert not title_of([], texts, embedded).lower().startswith(("isn't", "this isn't"))


def test_a_verb_that_needs_its_subject_opens_no_title() -> None:
    """configs/multilingual.yaml titled "Faut un meilleur éclairage" from "il faut un meilleur éclairage"."""
    texts = [
        "Les rues sont trop sombres la nuit, il faut un meilleur éclairage.",
        "Il faut un meilleur éclairage dans les parcs.",
        "Un meilleur éclairage des rues, s'il vous plaît.",
    ]
    title = title_of([], texts)
    assert title.split()[0].lower() != "faut" and in_order(title, texts)
    assert not headline_words("Faut un meilleur éclairage".split()) and not headline_words("Gibt zu viel Lärm".split())


def test_title_is_the_reply_most_members_give_word_for_word() -> None:
    texts = ["Nothing.", "nothing", "No", "NOTHING", "Nothing really, all good"]
    assert majority_reply(texts, 4) == "Nothing"  # 3 of 5, spelled "Nothing" twice
    assert title_of(["none"], texts) == "Nothing"
    assert majority_reply(["nothing", "No", "NOTHING", "None"], 4) is None  # 2 of 4: no majority
    assert title_of([], ["Nothing?", "nothing .", "No", "(nothing)"]) == "Nothing"
    assert majority_reply(["Staff were kind and caring all the time."] * 3, 4) is None  # a sentence, not a title


def test_titles_never_repeat_within_a_question() -> None:
    texts = ["Digital divide.", "The digital divide grows.", "Digital divide widening.", "Digital divide again."]
    vectors = FakeEmbedder().embed(texts).astype(np.float64)
    ctx = TitleContext(texts, vectors, frozenset(), 4, None)
    centres = np.vstack([vectors[:2].mean(axis=0), vectors[2:].mean(axis=0)])
    titles = choose_titles(ctx, [np.arange(2), np.arange(2, 4)], [["digital divide"], ["digital divide"]], centres)
    assert len({t.lower() for t in titles}) == 2 and titles[0] == "Digital divide"


def test_title_is_never_a_lone_question_word_or_a_file_extension() -> None:
    texts = ["AI: see the pdf.", "AI pdf attached", "AI regulation should be light.", "Light AI regulation."]
    title = title_of(["ai", "pdf", "ai regulation"], texts, question="What do you think of AI?")
    assert title.lower() not in {"ai", "pdf"} and "pdf" not in title.lower().split()


def test_title_keeps_the_members_stance() -> None:
    texts = [
        "No further guidelines or regulations are needed.",
        "We see no further guidelines or regulations as useful.",
        "No further guidelines or regulations, please.",
    ]
    assert title_of(["further guidelines or regulations"], texts).lower().startswith("no further guidelines")


def test_original_casing_most_frequent_first_letter_folded() -> None:
    assert (
        original_casing("ai tools", ["Use AI tools.", "ai tools are cheap", "AI tools for translation"]) == "AI tools"
    )
    assert original_casing("itu's mandate", ["Blurs ITU's mandate.", "ITU’s mandate is wide"]) == "ITU's mandate"
    # "Service" at a sentence start and "service" are one spelling; a garbled inner capital counts half
    texts = ["servIce was great", "servIce ok", "Service was good", "good service"]
    assert original_casing("service", texts) == "Service"  # tie within the spelling: the earliest text
    assert original_casing("service", ["servIce", "servIce", "servIce", "service"]) == "servIce"
    # ties go to the earliest text
    assert original_casing("un system", ["the UN System works", "the UN system"]) == "UN System"
    assert original_casing("absent phrase", ["nothing here"]) == "absent phrase"


def test_capitalise_only_a_lower_case_first_letter() -> None:
    assert _capitalise("service quality") == "Service quality"
    assert _capitalise("ITU's mandate") == "ITU's mandate"
    assert _capitalise("iPhone app") == "iPhone app"


def test_titles_are_deterministic_and_made_of_member_words(open_tables: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    questions, answers = open_tables
    statements, drafts = pipeline_drafts(questions, answers)
    _, again = pipeline_drafts(questions, answers)
    assert [f.title for f in drafts["q_open"].findings] == [f.title for f in again["q_open"].findings]
    texts = statements.set_index("statement_id")["text"]
    for finding in drafts["q_open"].findings:
        assert in_order(finding.title, texts.loc[finding.members].tolist()), finding.title


NHS = SHARED_DATA / "nhs_fft_phase1" / "text_data_trustBC.csv"


@pytest.mark.skipif(not NHS.is_file(), reason="shared NHS feedback data not present")
def test_titles_on_nhs_feedback_read_as_headlines() -> None:
    frame = pd.read_csv(NHS)
    frame = frame[(frame["question"] == "Trust C - Q1") & frame["feedback"].notna()].head(300)
    texts = frame["feedback"].astype(str).str.strip().tolist()
    kinds = frame["subcategory"].astype(str)
    common = kinds.value_counts()
    labels = np.array([sorted(common.index).index(k) if common[k] >= 5 else NOISE for k in kinds])
    statements = pd.DataFrame(
        {"statement_id": [f"{i}:q:1" for i in range(len(texts))], "respondent_id": range(len(texts)), "text": texts}
    )
    q = QuestionInput("q", "How was your care?", statements, FakeEmbedder().embed(texts), labels, len(texts), 0)
    draft = question_findings(q, FindingsConfig(top_n=20))
    assert draft.findings
    for finding in draft.findings:
        members = [texts[int(m.split(":")[0])] for m in finding.members]
        assert in_order(finding.title, members), finding.title
        assert headline_words(finding.title.split()), finding.title


def test_title_is_the_candidate_closest_to_what_the_members_say() -> None:
    """With embedded candidates, the phrase nearest the finding's centroid wins over a well-scored outlier."""
    texts = [
        "Emerging technologies such as AI risk deepening the digital divide in many regions.",
        "The digital divide keeps growing between countries, and we see it every year.",
        "Rural areas fall behind, the digital divide is widening quickly in practice.",
        "Competing regional bodies attract members who used to come to us for this work.",
    ]
    assert title_of(["competing regional", "digital divide"], texts, embedded=True) == "Digital divide"


def test_titles_of_german_and_french_members_are_no_function_words() -> None:
    """A German and a French finding get titles from their content words, not "Die", "Um die" or "Il faut"."""
    from pipeline.languages import other_function_words

    german = [
        "Die Radwege sind in einem schlechten Zustand.",
        "Um die Radwege muss sich die Stadt kümmern.",
        "Die Radwege entlang der Hauptstraße fehlen.",
        "Entlang der Straße gibt es keine Radwege.",
    ]
    french = [
        "Il faut plus de transports publics le soir.",
        "Il faut des transports publics moins chers.",
        "Les transports publics sont trop rares.",
        "Il faut améliorer les transports publics.",
    ]
    texts = german + french
    languages = np.array(["de"] * 4 + ["fr"] * 4)
    vectors = FakeEmbedder().embed(texts).astype(np.float64)
    other = other_function_words(languages.tolist())
    ctx = TitleContext(texts, vectors, frozenset(), 4, None, other, languages)
    centres = np.vstack([vectors[:4].mean(axis=0), vectors[4:].mean(axis=0)])
    from pipeline.stages.findings.keyphrases import cluster_keyphrases

    labels = np.array([0] * 4 + [1] * 4)
    phrases = cluster_keyphrases(texts, labels, FindingsConfig(), other=other, top_k=10, diverse=False)
    titles = choose_titles(ctx, [np.arange(4), np.arange(4, 8)], [phrases[0], phrases[1]], centres)
    for title in titles:
        first, last = title.split()[0].lower(), title.split()[-1].lower()
        assert first not in other and last not in other, title
    assert "radwege" in titles[0].lower() and "transports" in titles[1].lower()


def one_finding(texts: list[str], languages: list[str] | None = None) -> QuestionDraft:
    """The findings of one question whose statements all form one theme (FakeEmbedder vectors, candidates embedded)."""
    embedder = FakeEmbedder()
    frame = pd.DataFrame(
        {
            "statement_id": [f"R{i}:q:1" for i in range(len(texts))],
            "respondent_id": [f"R{i}" for i in range(len(texts))],
            "text": texts,
            "language": languages or ["en"] * len(texts),
        }
    )
    candidates = candidate_phrases(texts)
    q = QuestionInput(
        "q",
        "What should change?",
        frame,
        embedder.embed(texts),
        np.zeros(len(texts), dtype=np.int64),
        answered=len(texts),
        non_answers=0,
        phrases=PhraseVectors(candidates, embedder.embed(candidates).astype(np.float64)) if candidates else None,
        languages=np.array(languages or ["en"] * len(texts)),
    )
    return question_findings(q, FindingsConfig())


def test_no_one_word_title_when_members_share_only_one_word() -> None:
    texts = ["Staff.", "The staff were lovely.", "Friendly staff", "Staff very helpful.", "Caring staff", "staff!"]
    title = one_finding(texts).findings[0].title
    assert len(title.split()) >= 2 and "staff" in title.lower(), title
    assert in_order(title, texts)


def test_title_sentence_and_first_quote_say_the_same_thing() -> None:
    texts = [
        "Charge a small fee for publications and databases.",
        "A fee for training courses and certification.",
        "Sponsorship from companies for the annual conference.",
        "Charge a fee for commercial use of data.",
        "Consultancy against a fee for governments.",
    ]
    finding = one_finding(texts).findings[0]
    words = {w.strip(".,").lower()[:5] for w in finding.title.split() if len(w) > 3}
    assert words & {w.strip(".,").lower()[:5] for w in finding.summary.split()}, (finding.title, finding.summary)


def test_title_summary_and_first_quote_come_from_the_main_language() -> None:
    texts = [
        "Buscar financiamiento en los fondos climáticos internacionales.",
        "Los fondos climáticos y los bancos de desarrollo.",
        "Climate funds such as the Green Climate Fund should finance observing networks.",
        "Access the climate funds for hydromet projects.",
        "Climate funds and development banks are the obvious source.",
        "Use climate funds to pay for early warning systems.",
        "The climate funds have money for adaptation projects.",
    ]
    languages = ["es", "es", "en", "en", "en", "en", "en"]
    finding = one_finding(texts, languages).findings[0]
    english = texts[2:]
    assert in_order(finding.title, english), finding.title
    assert finding.summary in english
    assert finding.quotes[0].text in english
    assert any(q.language == "es" for q in finding.quotes)  # the other language still shows


def test_a_phrase_most_members_negate_is_no_title() -> None:
    texts = [
        "There should not be a second referendum on the original question",
        "We should not have a second referendum.",
        "No second referendum please",
        "A second referendum would not be fair to voters",
    ]
    title = title_of(["second referendum"], texts, embedded=True)
    assert title.lower().startswith("no ") and in_order(title, texts), title


def test_a_title_is_never_made_only_of_the_question_words() -> None:
    texts = [
        "The Operating Plan should include measurable targets.",
        "Measurable targets in the Operating Plan.",
        "Operating Plan with clear targets and indicators.",
    ]
    title = title_of(
        ["operating plan", "measurable targets"], texts, embedded=True, question="Improve the Operating Plan"
    )
    assert title.lower() != "operating plan" and in_order(title, texts), title


def test_the_sentence_keeps_the_titles_stance() -> None:
    """'Funding gap' is not summed up by a member saying 'not more funding' when another member names funding."""
    from pipeline.stages.findings.text import negates, summary_index

    texts = ["Prioritisation is the answer, not more funding.", "Unpredictable funding from a handful of donors.", "x"]
    assert negates(texts[0], "Funding gap") and not negates(texts[1], "Funding gap")
    assert not negates("No further regulation is needed.", "No further regulation")  # the title says it itself
    assert summary_index(texts, np.array([0, 1, 2]), "Funding gap") == 1


MIXED = [  # one finding in three languages: 3 Spanish, 2 French, 2 English members
    ("es", "Necesitamos carriles bici protegidos y separados de los coches."),
    ("es", "Más carriles bici seguros en toda la ciudad."),
    ("es", "Carriles bici protegidos en las avenidas principales."),
    ("fr", "Il faut des pistes cyclables protégées, séparées des voitures."),
    ("fr", "Des pistes cyclables protégées partout en ville."),
    ("en", "We need protected bike lanes separated from cars."),
    ("en", "Protected bike lanes on the main avenues."),
]


def mixed_finding(report_language: str) -> tuple[str, str, list[str | None]]:
    """Title, sentence and quote languages of the one finding of MIXED, for a report in `report_language`."""
    languages = [lang for lang, _ in MIXED]
    texts = [text for _, text in MIXED]
    statements = pd.DataFrame(
        {
            "statement_id": [f"R{i}:q:1" for i in range(len(texts))],
            "respondent_id": [f"R{i}" for i in range(len(texts))],
            "text": texts,
            "language": languages,
        }
    )
    q = QuestionInput(
        "q", "What should change?", statements, FakeEmbedder().embed(texts), np.zeros(len(texts), dtype=np.int64),
        len(texts), 0, languages=np.array(languages), report_language=report_language,
    )  # fmt: skip
    finding = question_findings(q, FindingsConfig()).findings[0]
    return finding.title, finding.summary, [quote.language for quote in finding.quotes]


@pytest.mark.parametrize("report_language", ["fr", "en"])
def test_a_multilingual_finding_speaks_the_reports_language(report_language: str) -> None:
    """Issue 28: French members give a French report its title and sentence, English members an English one."""
    title, summary, quoted = mixed_finding(report_language)
    own = [text for lang, text in MIXED if lang == report_language]
    assert summary in own
    assert in_order(title, own), title
    assert quoted[0] == report_language and len(set(quoted)) == len(quoted)  # then the other languages


def test_a_finding_without_enough_members_in_the_reports_language_speaks_its_own() -> None:
    title, summary, quoted = mixed_finding("de")  # no German member: the most common language leads
    assert summary in [text for lang, text in MIXED if lang == "es"] and quoted[0] == "es"


def test_a_statement_repeating_its_own_words_is_no_summary() -> None:
    """The most central member may be the theme's words and nothing else; the sentence says something."""
    from pipeline.stages.findings.text import repetitive, summary_index

    texts = [
        "data exchange, data exchange and data exchange.",
        "The free exchange of data between all members is its main strength.",
        "Data exchange.",
    ]
    assert repetitive(texts[0]) and not repetitive(texts[1])
    assert summary_index(texts, np.array([0, 1, 2]), "Data exchange") == 1


def test_a_sentence_that_points_back_is_quoted_only_when_nothing_else_is_left() -> None:
    from pipeline.stages.findings.text import quotes, standalone

    texts = [
        "Its convening power is unique.",
        "This is a major achievement that should be preserved.",
        "Travel.",
        "It brings governments and scientists to one table.",
        "Governments, scientists and companies meet at its sessions.",
    ]
    assert not standalone(texts[1]) and not standalone(texts[2]) and standalone(texts[4])
    found = quotes(texts, ["a", "b", "c", "d", "e"], np.arange(5), skip=0, k=2)
    assert [q.text for q in found] == [texts[4], texts[1]]


def test_a_connective_before_a_pointing_word_still_points_back() -> None:
    """Polis, $15 an hour: "And that's a good thing." was quoted under "Lead to robots" before any other member."""
    from pipeline.stages.findings.text import quotes

    assert points_back("And that's a good thing.") and points_back("But this will not last.")
    assert points_back("Et cela ne suffit pas.") and points_back("Pero eso no basta.")
    assert not points_back("And robots will take the jobs.") and not points_back("And.")
    texts = ["Minimum wage will lead to robots.", "And that's a good thing.", "Robots will replace cashiers."]
    found = quotes(texts, ["a", "b", "c"], np.arange(3), skip=0, k=1)
    assert [q.text for q in found] == [texts[2]]


def test_a_title_of_vague_words_only_names_nothing() -> None:
    """'Every way' is no heading: quantifier and vague noun; the title takes words that name something."""
    texts = [
        "Nothing, everything was perfect in every way",
        "Everything was perfect in every way.",
        "Perfect in every way, thank you",
        "Nothing, everything was perfect.",
    ]
    title = title_of(["every way", "way"], texts)
    assert title.lower() not in {"every way", "way"} and in_order(title, texts), title


def test_a_heading_leaves_out_a_leading_article_or_possessive() -> None:
    from pipeline.stages.findings.wording import without_determiner

    assert without_determiner("Its convening power") == "convening power"
    assert without_determiner("The endless webinars") == "endless webinars"
    assert without_determiner("La falta de personal") == "falta de personal"
    assert without_determiner("The staff") == "The staff"  # a lone word names no theme: kept as it is
    texts = ["Its convening power.", "Its convening power is unique.", "The convening power of the organisation."]
    assert title_of(["convening power"], texts) == "Convening power"


def test_a_phrase_ending_on_need_followed_by_to_is_no_title() -> None:
    """'Extra-budgetary funds need' (to be presented) is a clause piece, not a heading."""
    texts = [
        "Extra-budgetary funds need to be presented with the regular budget.",
        "Extra-budgetary funds need to be reported by donor.",
        "Voluntary funds need to be shown beside the regular budget, otherwise the picture is incomplete.",
    ]
    title = title_of(["extra-budgetary funds need", "funds need"], texts)
    assert not title.lower().endswith("need") and not title.lower().startswith("otherwise"), title


def test_a_last_resort_title_keeps_the_members_stance() -> None:
    """The fallback span 'anyhting better' (a typo no word list knows) over 'could not have done anyhting better'."""
    texts = [
        "Honestly, could not have done anyhting better, really.",
        "Really, could not have done anyhting better, honestly.",
        "Could not have done anyhting better, honestly.",
        "Truly, could not have done anyhting better.",
    ]
    for embedded in (False, True):
        assert title_of([], texts, embedded).lower() != "anyhting better"


def test_a_heading_that_says_how_members_judge_their_subject_is_preferred() -> None:
    from pipeline.stages.findings.titles import STANCE_BONUS, _bonus, _says_how

    assert _says_how("Lack of coordination") and _says_how("Better food") and _says_how("Manque de moyens")
    assert not _says_how("Secretariat departments") and not _says_how("Regional offices")
    members = [{"lack", "coord", "secre", "depar"}, {"lack", "coord"}, {"secre", "depar", "coord"}]
    judged = _bonus("Lack of coordination", members, frozenset())
    named = _bonus("Secretariat departments", members, frozenset())
    assert judged is not None and named is not None and judged - named >= STANCE_BONUS - 1e-9


def test_a_quote_that_negates_the_title_comes_last() -> None:
    from pipeline.stages.findings.text import quotes

    texts = [
        "Worried about the virus and my health.",
        "I am not too worried about catching the virus as it is mild for most.",
        "Very worried about the virus spreading at work.",
        "Worried about the virus reaching my parents.",
    ]
    found = quotes(texts, ["a", "b", "c", "d"], np.arange(4), skip=0, k=2, title="Worried about the virus")
    assert [q.text for q in found] == [texts[2], texts[3]]
