"""Following page tokens through a paged search, checking the rules every paged MLflow search shares."""

from __future__ import annotations

import pytest


def all_pages(search, page_size: int, *, max_pages: int = 1000, **kwargs) -> tuple[list, int]:
    """Every result of ``search(max_results=page_size, page_token=token, **kwargs)``, page by page, and the
    number of pages.

    Rules checked on the way (MLflow's client loops on ``token`` until it is empty): a page is a list, never
    None; no page holds more than ``max_results``; a token never comes back twice (pagination that never ends);
    the last page's token is None or empty.
    """
    results, token, seen_tokens, pages = [], None, set(), 0
    while pages < max_pages:
        page = search(max_results=page_size, page_token=token, **kwargs)
        pages += 1
        assert page is not None, "the search returned None instead of a (possibly empty) PagedList"
        assert len(page) <= page_size, f"asked for max_results={page_size}, got a page of {len(page)}"
        results.extend(page)
        token = getattr(page, "token", None)
        if not token:
            return results, pages
        assert token not in seen_tokens, f"page token {token!r} came back twice: pagination never ends"
        seen_tokens.add(token)
    pytest.fail(f"pagination did not end after {max_pages} pages (the last page must have token None)",
                pytrace=False)
