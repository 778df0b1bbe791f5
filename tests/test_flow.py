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
