"""Regex alternations of many words built as tries: the date month names, furniture phrases."""

from __future__ import annotations

import re

_Trie = dict[str, "_Trie"]


def trie_alternation(words: tuple[str, ...]) -> str:
    """A regex alternation of `words` built as a trie (shared prefixes factored out): the
    engine tries a few first letters at a position instead of every word in turn. The same
    strings match as with a flat alternation, though not always the same span of them."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: _Trie) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in node.items() if char]
        if not branches:
            return ""
        if "" in node:  # a word ends here: what follows is optional
            return "(?:" + "|".join(branches) + ")?"
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return pattern(trie)
