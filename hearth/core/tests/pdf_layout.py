"""Reading a printed document back with each word's position (pdfplumber), so
the layout tests can say where a label and its value landed: in the same
table row, on the same line, inside their own cells and inside the page."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pdfplumber
from django.utils import translation
from django.utils.translation import gettext

MM = 72 / 25.4  # PDF points per millimetre
#: Tolerance in points: a glyph's box may poke past its cell's border by its
#: side bearing, never by a letter.
SLACK = 1.5

Box = tuple[float, float, float, float]  # x0, top, x1, bottom


def squeeze(text: str) -> str:
    """Text without any white space: a value wrapped over several lines (or
    broken inside a long word) reads the same as on one line."""
    return re.sub(r"\s+", "", text)


def in_languages(languages: Iterable[str], msgid: str, **values: Any) -> str:
    """What a bilingual label should read: the translation in each language,
    once when they are the same, joined by " / " (core/templatetags/pdf.py).
    Computed from the catalogue, so it stays right when translations change."""
    return in_each(languages, lambda: gettext(msgid) % values if values else gettext(msgid))


def in_each(languages: Iterable[str], render: Callable[[], Any]) -> str:
    """``render()`` (a choice label, a dose, a sentence) in each language,
    once when they are the same, joined by " / "."""
    seen: list[str] = []
    for language in languages:
        with translation.override(language):
            text = str(render())
        if text not in seen:
            seen.append(text)
    return " / ".join(seen)


@dataclass
class Row:
    page: int
    label: str
    value: str
    label_box: Box
    value_box: Box
    label_first_line: float | None
    value_first_line: float | None


@dataclass
class Document:
    pages: int = 0
    rows: list[Row] = field(default_factory=list)
    text: str = ""
    #: Every problem found: text outside the page's printable area,
    #: straddling a cell border, or a row split over a page break.
    overflow: list[str] = field(default_factory=list)

    def rows_labelled(self, label: str) -> list[Row]:
        wanted = squeeze(label)
        return [row for row in self.rows if squeeze(row.label) == wanted]

    def row(self, label: str) -> Row:
        found = self.rows_labelled(label)
        assert found, (label, [row.label for row in self.rows])
        return found[0]

    def assert_fact(self, label: str, value: str, *, every: bool = False) -> None:
        """The label's row holds the value, the value starts on the label's
        line, and (``every``) so does every row with that label."""
        rows = self.rows_labelled(label) if every else [self.row(label)]
        assert rows, (label, [row.label for row in self.rows])
        for row in rows:
            assert squeeze(value) in squeeze(row.value), (label, value, row.value)
            assert row.label_first_line is not None and row.value_first_line is not None
            assert abs(row.label_first_line - row.value_first_line) < SLACK, (label, row)


def _first_line(words: list[dict[str, Any]]) -> float | None:
    return min((word["top"] for word in words), default=None)


def _inside(char: dict[str, Any], box: Box) -> bool:
    x0, top, x1, bottom = box
    return (
        char["x0"] >= x0 - SLACK
        and char["x1"] <= x1 + SLACK
        and char["top"] >= top - SLACK
        and char["bottom"] <= bottom + SLACK
    )


def _overlaps(char: dict[str, Any], box: Box) -> bool:
    x0, top, x1, bottom = box
    return char["x1"] > x0 and char["x0"] < x1 and char["bottom"] > top and char["top"] < bottom


def read(content: bytes, *, margin_mm: float = 14) -> Document:
    """Every two-cell table row (label | value) of every page, with its text
    and positions; and every character that falls outside the page's
    margins or across a cell's border."""
    document = Document()
    texts: list[str] = []
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        document.pages = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            texts.append(page.extract_text() or "")
            left, right = margin_mm * MM - SLACK, page.width - margin_mm * MM + SLACK
            for char in page.chars:
                if not char["text"].strip():
                    continue
                if char["x0"] < left or char["x1"] > right or char["top"] < 0:
                    document.overflow.append(f"page {number}: {char['text']!r} off the page")
                if char["bottom"] > page.height:
                    document.overflow.append(f"page {number}: {char['text']!r} below the page")
            cells: list[Box] = []
            for table in page.find_tables():
                for table_row in table.rows:
                    boxes = [cell for cell in table_row.cells if cell is not None]
                    cells.extend(boxes)
                    if len(boxes) != 2:
                        continue
                    label_box, value_box = boxes
                    label = page.within_bbox(label_box)
                    value = page.within_bbox(value_box)
                    if not (label.extract_text() or "").strip():
                        # The rest of a row that went on over a page break.
                        document.overflow.append(
                            f"page {number}: a row without its label: {value.extract_text()!r}"
                        )
                    document.rows.append(
                        Row(
                            page=number,
                            label=label.extract_text() or "",
                            value=value.extract_text() or "",
                            label_box=label_box,
                            value_box=value_box,
                            label_first_line=_first_line(label.extract_words()),
                            value_first_line=_first_line(value.extract_words()),
                        )
                    )
            for char in page.chars:
                if not char["text"].strip():
                    continue
                touching = [box for box in cells if _overlaps(char, box)]
                if touching and not any(_inside(char, box) for box in touching):
                    document.overflow.append(
                        f"page {number}: {char['text']!r} across a cell border at "
                        f"{char['x0']:.0f},{char['top']:.0f}"
                    )
    document.text = "\n".join(texts)
    return document
