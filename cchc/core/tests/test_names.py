"""People are listed as Vietnamese lists are: by given name, in the Vietnamese alphabet."""

from __future__ import annotations

from cchc.core.names import given_name_key, vietnamese_key


def test_letters_follow_the_vietnamese_alphabet() -> None:
    words = ["Yến", "Ánh", "Anh", "Ân", "Ăn", "Đức", "Dũng", "Ơn", "Ôn", "Oanh", "Ưng", "Uyên"]
    assert sorted(words, key=vietnamese_key) == [
        "Anh", "Ánh", "Ăn", "Ân", "Dũng", "Đức", "Oanh", "Ôn", "Ơn", "Uyên", "Ưng", "Yến",
    ]  # fmt: skip


def test_tones_decide_only_between_equal_letters() -> None:
    words = ["ạn", "án", "ãn", "ản", "àn", "an"]
    assert sorted(words, key=vietnamese_key) == ["an", "àn", "ản", "ãn", "án", "ạn"]


def test_full_names_sort_by_given_name_then_the_rest() -> None:
    names = [
        "Nguyễn Văn Bình",
        "Lê Thị Thanh Thủy",
        "Trần Thị Ánh",
        "Đặng Văn An",
        "Bùi Thị An",
        "",
    ]
    assert sorted(names, key=given_name_key) == [
        "",
        "Bùi Thị An",
        "Đặng Văn An",
        "Trần Thị Ánh",
        "Nguyễn Văn Bình",
        "Lê Thị Thanh Thủy",
    ]
