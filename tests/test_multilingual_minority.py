"""A few answers in another language join the findings of their meaning (real models: MiniLM + USE multilingual)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from pipeline.config import parse_config
from pipeline.evaluate import GoldQuestion, embedders, run_evaluation

THEMES = {
    "funding": [
        "The regular budget is far too small for the mandate.",
        "Funding depends on a handful of donors.",
        "There is not enough money for the programmes we agreed.",
        "Budget cuts by the largest contributors.",
        "Voluntary contributions are shrinking every year.",
        "Arrears of member states leave the budget short.",
        "The organisation is underfunded.",
        "Insufficient and unpredictable financial resources.",
        "Lack of stable funding for core activities.",
        "The budget has been flat for ten years while tasks grew.",
        "Donors earmark everything, so there is no flexible money.",
        "Financial resources are much too limited.",
        "Too little money for too many tasks.",
        "The regular budget does not cover the basic programmes.",
        "Chronic underfunding of the secretariat.",
        "Not enough resources to deliver the plan.",
        "Income is falling while costs rise.",
        "Dependence on extrabudgetary funding.",
        "The financial situation is fragile.",
        "Shortage of money for projects in developing countries.",
    ],
    "warnings": [
        "Early warnings save lives in every region.",
        "Its leadership on early warning systems.",
        "Multi-hazard early warning for all.",
        "Warnings of floods and storms reach people in time.",
        "Helping countries build warning systems for disasters.",
        "The early warning initiative is its best work.",
        "Alerts for cyclones and heatwaves that people can act on.",
        "Disaster warnings issued before the storm arrives.",
        "Early warnings and disaster risk reduction.",
        "Warning systems that reach the last mile.",
        "Flood forecasts and timely alerts to the population.",
        "Saving lives through early warnings of extreme weather.",
        "Early warning services for vulnerable communities.",
        "Timely warnings of droughts to farmers.",
        "Coordinating hazard warnings across borders.",
        "Warnings for tropical cyclones in the Pacific.",
        "Impact-based warnings that tell people what to do.",
        "Alert systems for flash floods in cities.",
        "Heat health warnings for older people.",
        "The push to cover everyone with early warnings.",
    ],
    "regional": [
        "Regional offices are understaffed and far from countries.",
        "There is almost no presence at country level.",
        "The regional office has no authority to decide.",
        "More staff are needed in the regional offices.",
        "Weak regional presence in Africa.",
        "Countries rarely see anyone from the regional office.",
        "The regional offices lack experts.",
        "Decisions are all taken at headquarters, not in the regions.",
        "Regional centres do not have the resources to support members.",
        "Too few people in the field offices.",
        "The regional office covers too many countries.",
        "Little support on the ground from the regional level.",
        "Strengthen the regional offices with technical staff.",
        "Country-level presence is missing.",
        "Regional offices are too small to help national services.",
        "Headquarters is far away and the regions are neglected.",
        "The regional structure is weak.",
        "No one in our region to ask for technical help.",
        "Field presence is thin.",
        "Offices in the regions are empty shells.",
    ],
}
FRENCH = {
    "funding": "Le budget ordinaire est beaucoup trop faible pour le mandat de l'organisation.",
    "warnings": "Les systèmes d'alerte précoce sauvent des vies lors des inondations et des tempêtes.",
    "regional": "Les bureaux régionaux manquent de personnel et sont trop loin des pays.",
}


def _findings(tmp_path: Path, embed: dict[str, str]) -> tuple[dict[str, int], dict[int, Counter[str]]]:
    """Each answer's main finding, and the themes of the English answers in each finding."""
    ids, texts, labels = [], [], {}
    for theme, answers in THEMES.items():
        for i, text in enumerate(answers):
            ids.append(f"{theme}-{i}")
            texts.append(text)
            labels[ids[-1]] = frozenset({theme})
    for theme, text in FRENCH.items():
        ids.append(f"fr-{theme}")
        texts.append(text)
        labels[ids[-1]] = frozenset({theme})
    data = {"input": {"path": "gold.csv"}, "embed": {"cache_dir": str(tmp_path), **embed}}
    cfg = parse_config(data, tmp_path, "t")
    assignments, _ = run_evaluation([GoldQuestion("q", ids, texts, labels)], cfg, embedders(cfg))
    main = {str(k): int(v) for k, v in assignments.drop_duplicates("id").set_index("id")["finding"].items()}
    english: dict[int, Counter[str]] = {}
    for answer, finding in main.items():
        if not answer.startswith("fr-"):
            english.setdefault(finding, Counter())[answer.split("-")[0]] += 1
    return main, english


def _with_their_theme(main: dict[str, int], english: dict[int, Counter[str]], theme: str) -> bool:
    """Whether the French answer on `theme` is in a finding whose English answers are mostly on that theme."""
    finding = main[f"fr-{theme}"]
    themes = english.get(finding, Counter())
    return finding != -1 and themes[theme] >= 3 and themes.most_common(1)[0][0] == theme


@pytest.mark.model
def test_three_french_answers_among_sixty_english_join_the_findings_of_their_meaning(tmp_path: Path) -> None:
    main, english = _findings(tmp_path, {})
    for theme in THEMES:
        assert _with_their_theme(main, english, theme), (theme, main[f"fr-{theme}"], english)
    # the English model alone does not place them so (what the automatic choice of both models is for)
    main, english = _findings(tmp_path, {"multilingual": "off"})
    assert not all(_with_their_theme(main, english, theme) for theme in THEMES)
