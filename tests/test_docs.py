"""The generated reference pages are current: regenerate with ``python -m optimizer.docs``."""

from __future__ import annotations

import pytest

from optimizer import docs


@pytest.mark.parametrize("page", sorted(docs.PAGES))
def test_generated_page_is_current(page: str) -> None:
    path = docs.ROOT / page
    assert path.exists(), f"{page} is missing: run python -m optimizer.docs"
    assert path.read_text(encoding="utf-8") == docs.PAGES[page](), (
        f"{page} is out of date: run python -m optimizer.docs"
    )


def test_model_page_has_every_block_in_build_order() -> None:
    from models import strategic

    text = docs.model_reference()
    positions = [text.index(f"### `{block.__name__}`") for block in strategic.BLOCKS]
    assert positions == sorted(positions)
    for block in strategic.BLOCKS:
        assert block.__doc__ and block.__doc__.strip(), f"{block.__name__} has no docstring"
