from pipeline.stages.embed.statements import split_answer


def test_none_keeps_whole_answer() -> None:
    assert split_answer("  One. Two.  ", "none") == ["One. Two."]


def test_bullet_lines_are_split_and_markers_removed() -> None:
    text = "• Lack of coordination.\n• Slow decisions\n- Too many events"
    assert split_answer(text, "bullets") == ["Lack of coordination.", "Slow decisions", "Too many events"]


def test_inline_numbered_points_are_split() -> None:
    text = "Two things: 1. Fewer events. 2) More focus on standards"
    assert split_answer(text, "bullets") == ["Two things:", "Fewer events.", "More focus on standards"]


def test_sentences_split_on_sentence_ends_only() -> None:
    text = "Costs are rising. The U.N. system helps? Yes; we agree with e.g. the plan."
    parts = split_answer(text, "sentences")
    assert parts[0] == "Costs are rising."
    assert all(p in text for p in parts)


def test_markers_alone_never_lose_the_answer() -> None:
    assert split_answer("1. -", "sentences") == ["1. -"]


def test_statements_are_verbatim_substrings() -> None:
    text = "First point here.\n2. Second point, longer.  Third sentence follows!"
    for mode in ("none", "bullets", "sentences"):
        assert all(part in text for part in split_answer(text, mode))


def test_chinese_and_japanese_sentences_split_without_spaces() -> None:
    text = "我喜欢这个项目。但是费用太高！你觉得呢？"
    assert split_answer(text, "sentences") == ["我喜欢这个项目。", "但是费用太高！", "你觉得呢？"]
    assert split_answer("「很好。」他说。東京は大きい。", "sentences") == ["「很好。」", "他说。", "東京は大きい。"]
    assert split_answer("好吗?我很好", "sentences") == ["好吗?", "我很好"]


def test_arabic_devanagari_and_cyrillic_sentence_ends() -> None:
    assert split_answer("هذا جيد؟ نعم، أعتقد ذلك. شكرا جزيلا", "sentences") == [
        "هذا جيد؟",
        "نعم، أعتقد ذلك.",
        "شكرا جزيلا",
    ]
    assert split_answer("यह अच्छा है। लेकिन महंगा है।", "sentences") == ["यह अच्छा है।", "लेकिन महंगा है।"]
    assert split_answer("Это хорошо. Но дорого!", "sentences") == ["Это хорошо.", "Но дорого!"]


def test_opening_marks_start_the_next_sentence() -> None:
    assert split_answer("Bien. «Trop cher» dit-il. ¿Por qué? No sé", "sentences") == [
        "Bien.",
        "«Trop cher» dit-il.",
        "¿Por qué?",
        "No sé",
    ]
