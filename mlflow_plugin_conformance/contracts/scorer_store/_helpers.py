"""What only the scorer-store contract uses: a scorer that needs no model to be stored."""

from __future__ import annotations


def conformance_scorer(name: str, guidelines: list[str]):
    """A built-in (LLM-judge) scorer: serialisable without running code, never called here (no LLM needed)."""
    from mlflow.genai.scorers import Guidelines

    return Guidelines(name=name, guidelines=list(guidelines))
