"""A recipe's ingredients and steps, from its schema.org Recipe object (JSON-LD).

Food pages often set the ingredient list and the method in widgets that a text extractor
takes for furniture (tables of quantities, numbered step cards, "jump to recipe" boxes).
Their JSON-LD carries both as plain lists, so the parse step can add the lines that the
page text lacks.
"""

from __future__ import annotations

import html
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from worker.parse.normalise import collapse

_MAX_LINES = 200  # a recipe has a few dozen; more is a site's whole catalogue in one object
_MAX_DEPTH = 4


def recipe_lines(jsonld: list[dict[str, Any]]) -> list[str]:
    """The ingredient lines, then the steps (with section names), of the page's first Recipe;
    [] when it has none."""
    for obj in jsonld:
        types = obj.get("@type")
        names = types if isinstance(types, list) else [types]
        if not any(isinstance(t, str) and t.lower().rsplit("/", 1)[-1] == "recipe" for t in names):
            continue
        lines: list[str] = []
        ingredients = obj.get("recipeIngredient") or obj.get("ingredients") or []
        _collect(ingredients, lines, 0)
        _collect(obj.get("recipeInstructions") or [], lines, 0)
        return list(dict.fromkeys(line for line in lines if line))[:_MAX_LINES]
    return []


def _collect(value: Any, out: list[str], depth: int) -> None:
    """Text lines of an ingredient list or of recipeInstructions: a string (one step per
    line), a list, a HowToStep ({"text": ...}) or a HowToSection ({"name", "itemListElement"})."""
    if depth > _MAX_DEPTH or len(out) >= _MAX_LINES:
        return
    if isinstance(value, str):
        out.extend(_plain(line) for line in value.split("\n"))
    elif isinstance(value, list):
        for item in value:
            _collect(item, out, depth + 1)
    elif isinstance(value, dict):
        steps = value.get("itemListElement")
        if steps is not None:
            if isinstance(value.get("name"), str):
                out.append(_plain(value["name"]))
            _collect(steps, out, depth + 1)
        elif "text" in value:
            _collect(value["text"], out, depth + 1)
        elif isinstance(value.get("name"), str):
            out.append(_plain(value["name"]))


def _plain(text: str) -> str:
    """One line of text: entities decoded, any markup the publisher left in dropped."""
    text = html.unescape(text)
    if "<" in text and ">" in text:
        text = LexborHTMLParser(text).text(separator=" ") or ""
    return collapse(text)
