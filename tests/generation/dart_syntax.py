"""Dart syntax checks for the tests: tree-sitter-dart, since no Dart SDK can be installed here."""

from functools import cache

import tree_sitter
import tree_sitter_dart


@cache
def dart_parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_dart.language()))


def dart_tree(source: bytes) -> tree_sitter.Tree:
    return dart_parser().parse(source)


def dart_syntax_problems(source: bytes) -> list[str]:
    """Every ERROR and MISSING node of the parse, as `line:column: what`; empty when the file parses."""
    problems = []
    stack = [dart_tree(source).root_node]
    while stack:
        node = stack.pop()
        if node.is_missing or node.type == "ERROR":
            row, column = node.start_point
            kind = f"MISSING {node.type}" if node.is_missing else "ERROR"
            text = source[node.start_byte : node.end_byte][:60].decode(errors="replace")
            problems.append(f"{row + 1}:{column + 1}: {kind} {text!r}")
        stack.extend(reversed(node.children))
    return sorted(problems, key=lambda p: tuple(int(n) for n in p.split(":")[:2]))
