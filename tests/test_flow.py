"""Column flow: sequential fill, orphans and widows, balancing to a common bottom."""

from __future__ import annotations

from typeset.compose.flow import FlowItem, Fragment, Pos, balance, fill


def para(n: int, hyphens: list[bool] | None = None) -> FlowItem:
    return FlowItem(f"p{n}", "para", n, starts=list(range(n)),
                    hyphens=hyphens or [False] * n)


def box(n: int, kind: str = "fact") -> FlowItem:
    return FlowItem(f"b{n}", kind, n)


def test_fill_splits_a_paragraph_between_columns() -> None:
    filled = fill([para(10)], Pos(), [6, 6])
    assert filled.columns == [[Fragment(0, 0, 6)], [Fragment(0, 6, 10)]]
    assert filled.used == [6, 4]
    assert filled.end == Pos(1, 0)


def test_no_widow_carried_over() -> None:
    filled = fill([para(7)], Pos(), [6, 6])
    assert filled.columns == [[Fragment(0, 0, 5)], [Fragment(0, 5, 7)]]


def test_no_orphan_left_behind() -> None:
    filled = fill([para(5), para(4)], Pos(), [6, 6])
    assert filled.columns[0] == [Fragment(0, 0, 5)]
    assert filled.columns[1] == [Fragment(1, 0, 4)]


def test_box_moves_whole_to_next_column() -> None:
    filled = fill([para(4), box(3)], Pos(), [5, 5])
    assert filled.columns == [[Fragment(0, 0, 4)], [Fragment(1, 0, 3)]]


def test_subhead_kept_with_next() -> None:
    filled = fill([para(3), box(2, "subhead"), para(4)], Pos(), [6, 8])
    assert filled.columns[0] == [Fragment(0, 0, 3)]
    assert filled.columns[1][0] == Fragment(1, 0, 2)


def test_avoid_hyphen_at_end_of_placement() -> None:
    filled = fill([para(8, [False, False, True, False, False, False, False, False])], Pos(),
                  [3], avoid_hyphen_at_end=True)
    assert filled.columns == [[Fragment(0, 0, 2)]]


def test_overflow_reports_where_the_flow_stopped() -> None:
    filled = fill([para(10), para(10)], Pos(), [6, 6])
    assert filled.end == Pos(1, 2)


def test_balance_finds_the_lowest_common_bottom() -> None:
    items = [para(12), para(9)]
    bottom, filled = balance(items, Pos(), [0, 0, 0], 100) or (None, None)
    assert bottom == 7
    assert filled is not None and sum(filled.used) == 21
    assert max(filled.used) - min(filled.used) <= 1


def test_balance_respects_column_tops() -> None:
    items = [para(30)]
    result = balance(items, Pos(), [10, 10, 0], 100)
    assert result is not None
    bottom, filled = result
    assert bottom == 17
    assert filled.used == [7, 7, 16]  # 30 lines: 7 and 7 beside the photo, 16 in the third


def test_balance_gives_up_when_too_long() -> None:
    assert balance([para(50)], Pos(), [0, 0], 20) is None


# --- keeping subheads with their text, hyphens at a column's foot ------------------------------


def test_a_subhead_is_never_left_at_the_foot_of_a_column_by_the_widow_rule() -> None:
    """Room for the subhead and two lines, but its 3-line paragraph cannot give two without
    leaving a widow: the subhead goes with its text to the next column."""
    filled = fill([para(4), box(2, "subhead"), para(3)], Pos(), [8, 8])
    assert filled.columns[0] == [Fragment(0, 0, 4)]
    assert filled.columns[1] == [Fragment(1, 0, 2), Fragment(2, 0, 3)]


def test_a_subhead_is_never_left_above_the_jump_line_by_a_hyphen() -> None:
    """At a page's foot («Окончание на с. N» below) the paragraph's second line ends in a hyphen:
    it could give only one line, so the subhead goes to the next page with it."""
    items = [para(4), box(2, "subhead"), para(6, [False, True, False, False, False, False])]
    filled = fill(items, Pos(), [8], avoid_hyphen_at_end=True)
    assert filled.columns == [[Fragment(0, 0, 4)]]
    assert filled.end == Pos(1, 0)


def test_a_subhead_keeps_a_box_that_follows_it_whole() -> None:
    filled = fill([para(3), box(2, "subhead"), box(4)], Pos(), [8, 8])
    assert filled.columns[0] == [Fragment(0, 0, 3)]
    assert filled.columns[1] == [Fragment(1, 0, 2), Fragment(2, 0, 4)]


def rebroken(item: FlowItem, line: int) -> FlowItem | None:
    """A stand-in for the composer: the paragraph set again without a hyphen at ``line`` (the
    same number of lines, the lines before ``line`` unchanged)."""
    hyphens = list(item.hyphens)
    hyphens[line] = False
    return FlowItem(item.id, "para", item.lines, starts=list(item.starts), hyphens=hyphens,
                    no_hyphen=item.no_hyphen | {line})


def test_a_composed_paragraph_is_broken_again_rather_than_end_a_column_in_a_hyphen() -> None:
    item = para(8, [False, False, True, False, False, True, False, False])
    filled = fill([item], Pos(), [3, 3, 3], rebreak=rebroken)
    assert filled.columns == [[Fragment(0, 0, 3)], [Fragment(0, 3, 6)], [Fragment(0, 6, 8)]]
    assert filled.variants[0].no_hyphen == frozenset({2, 5})
    assert not any(filled.variants[0].hyphens)


def test_a_variant_that_moves_lines_already_placed_is_not_taken() -> None:
    def moving(item: FlowItem, line: int) -> FlowItem | None:
        starts = [0, *(s + 1 for s in item.starts[1:])]
        return FlowItem(item.id, "para", item.lines, starts=starts,
                        hyphens=[False] * item.lines)

    item = para(8, [False, False, False, False, True, False, False, False])
    filled = fill([item], Pos(0, 2), [3, 3], rebreak=moving)
    assert filled.columns[0] == [Fragment(0, 2, 4)]  # the hyphenated line goes on
    assert not filled.variants
