"""A recipe's ingredients and steps come from its JSON-LD when the page text lacks them."""

from __future__ import annotations

import json

from worker.parse import extract_article
from worker.parse.extract import explain
from worker.parse.recipe import recipe_lines

URL = "https://food.example/2024/05/01/plum-cake"
INTRO = (
    "<p>This plum cake is the one my grandmother baked every September, when the trees in "
    "her garden gave more fruit than the family could eat.</p>"
)
RECIPE = {
    "@context": "https://schema.org",
    "@type": "Recipe",
    "name": "Plum cake",
    "recipeIngredient": ["500 g plums", "250 g flour", "1 packet vanilla pudding powder"],
    "recipeInstructions": [
        {
            "@type": "HowToSection",
            "name": "For the dough:",
            "itemListElement": [
                {"@type": "HowToStep", "text": "Mix the flour with the butter &amp; sugar."},
                {"@type": "HowToStep", "text": "<p>Press the dough into the <b>tin</b>.</p>"},
            ],
        },
        {"@type": "HowToStep", "text": "Halve the plums and lay them on the dough."},
    ],
}


def _page(body: str, recipe: dict[str, object] = RECIPE) -> str:
    return (
        f'<html><head><script type="application/ld+json">{json.dumps(recipe)}</script></head>'
        f"<body><article><h1>Plum cake</h1>{body}</article></body></html>"
    )


def test_recipe_lines_read_ingredients_then_sections_and_steps_as_plain_text() -> None:
    assert recipe_lines([RECIPE]) == [
        "500 g plums",
        "250 g flour",
        "1 packet vanilla pudding powder",
        "For the dough:",
        "Mix the flour with the butter & sugar.",
        "Press the dough into the tin .",
        "Halve the plums and lay them on the dough.",
    ]


def test_instructions_given_as_one_string_are_one_step_per_line() -> None:
    recipe = {"@type": ["Recipe"], "recipeInstructions": "Preheat the oven.\nBake for an hour."}
    assert recipe_lines([{"@type": "WebPage"}, recipe]) == [
        "Preheat the oven.",
        "Bake for an hour.",
    ]


def test_no_recipe_gives_no_lines() -> None:
    assert recipe_lines([{"@type": "NewsArticle", "recipeIngredient": ["salt"]}]) == []


def test_a_page_whose_text_lacks_the_recipe_gets_it_after_its_text() -> None:
    body = extract_article(_page(INTRO * 2), URL).body
    assert body.startswith("This plum cake")
    assert "1 packet vanilla pudding powder" in body
    assert body.index("For the dough:") < body.index("Halve the plums")
    assert "7 recipe line(s) from json-ld" in explain(_page(INTRO * 2), URL)["body"]["rule"]


def test_a_page_that_shows_the_recipe_gets_no_second_copy() -> None:
    shown = (
        "<ul><li>500 g plums</li><li>250 g flour</li><li>1 packet vanilla pudding powder</li>"
        "</ul><ol><li>Mix the flour with the butter and sugar.</li><li>Press the dough into "
        "the tin.</li><li>Halve the plums and lay them on the dough.</li></ol>"
    )
    body = extract_article(_page(INTRO * 2 + shown), URL).body
    assert body.count("250 g flour") == 1
    assert body.count("Halve the plums") == 1


def test_steps_numbered_in_json_ld_but_not_on_the_page_are_not_added_twice() -> None:
    steps = [
        "Mix the flour with the butter and the sugar until it crumbles.",
        "Press the dough into the tin and prick it all over with a fork.",
        "Halve the plums and lay them on the dough in close rows.",
        "Bake the cake for forty minutes until the edges turn golden.",
    ]
    numbered = {**RECIPE, "recipeInstructions": [f"{i}. {s}" for i, s in enumerate(steps, 1)]}
    shown = "".join(f"<p>{step}</p>" for step in steps)
    ingredients = (
        "<ul><li>500 g plums</li><li>250 g flour</li><li>1 packet vanilla pudding powder</li></ul>"
    )
    body = extract_article(_page(INTRO + ingredients + shown, numbered), URL).body
    assert body.count("Halve the plums") == 1
