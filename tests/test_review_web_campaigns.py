"""The review page's Campaigns block and the campaign edit (mark a finding as a campaign, a campaign as not one)."""

from __future__ import annotations

import pytest
from jinja2 import Environment, PackageLoader

from pipeline.review_web.edits import Edit, EditError, apply_edit
from pipeline.review_web.view import question_page
from pipeline.stages.review import reconcile
from tests.stages.review_helpers import generated, sid

A = [sid(i) for i in range(1, 7)]
B = [sid(i) for i in range(7, 11)]
C = [sid(i) for i in range(11, 14)]


def _render(page: object) -> str:
    env = Environment(loader=PackageLoader("pipeline.review_web", "templates"), autoescape=True)
    context = {"base": "/t", "csrf": "c", "run": "r", "version": "v", "can_undo": False, "has_report": False}
    return env.get_template("question.html").render(page=page, **context)


def test_a_finding_marked_as_a_campaign_moves_to_the_campaigns_block_and_back() -> None:
    gen = generated([A, B, C], noise=[sid(20)])
    draft = reconcile(None, gen).draft
    b = draft.findings[1].id
    marked = reconcile(apply_edit(draft, Edit(kind="campaign", finding=b, text="true")), gen, gen).draft
    page = question_page(marked, {})
    assert [row.finding.id for row in page.campaigns] == [b] and b not in [row.finding.id for row in page.findings]
    html = _render(page)
    campaigns = html.split('<section class="campaigns" id="campaigns">')[1].split("</section>")[0]
    assert "1 campaign, 4 respondents" in campaigns and 'data-text="false"' in campaigns and b in campaigns
    assert "campaign: true" not in marked.unapplied and marked.findings[-1].id == b  # campaigns rank last
    back = reconcile(apply_edit(marked, Edit(kind="campaign", finding=b, text="false")), gen, gen).draft
    page = question_page(back, {})
    assert page.campaigns == [] and '<section class="campaigns" id="campaigns">' not in _render(page)
    with pytest.raises(EditError, match="not true or false"):
        apply_edit(draft, Edit(kind="campaign", finding=b, text="maybe"))
