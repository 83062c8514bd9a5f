"""A small evaluator of Dart source text, for the tests: no Dart SDK can be installed here.

It walks the tree-sitter-dart parse of the *real* generated file and runs the integer code the
platform shares between languages (the runtime's `gfRng`, the mechanics' `rngSeed`): functions and
static methods, closures that capture and update their enclosing variables, `var`/`final`
declarations, assignments, `return`, calls, `+ - * / ~/ % & | ^ << >> >>>` on Dart's 64-bit ints
(`/` gives a double), `[index]` and `.length` on the JSON data a mechanic reads, `as` casts,
integer, double and simple string literals. Anything else raises `DartUnsupported` naming the
node: it never guesses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.generation.dart_syntax import dart_syntax_problems, dart_tree


class DartUnsupported(Exception):
    """The evaluator met Dart it does not know: extend it rather than guess."""


class _Return(Exception):
    def __init__(self, value):
        self.value = value


def _int64(value: int) -> int:
    """Dart's int on the VM: 64-bit two's complement."""
    value &= (1 << 64) - 1
    return value - (1 << 64) if value >> 63 else value


def _text(node) -> str:
    return node.text.decode()


@dataclass
class _Scope:
    names: dict = field(default_factory=dict)
    parent: _Scope | None = None

    def find(self, name: str) -> _Scope:
        scope = self
        while scope is not None:
            if name in scope.names:
                return scope
            scope = scope.parent
        raise DartUnsupported(f"unknown name {name!r}")


@dataclass
class DartFunction:
    params: list[str]
    body: object  # a tree-sitter node: function_body, function_expression_body or block
    scope: _Scope
    evaluator: DartEvaluator

    def __call__(self, *args):
        if len(args) != len(self.params):
            raise DartUnsupported(f"called with {len(args)} arguments, takes {len(self.params)}")
        scope = _Scope(dict(zip(self.params, args, strict=True)), self.scope)
        return self.evaluator.run_body(self.body, scope)


_BINARY = {
    "additive_expression", "multiplicative_expression", "shift_expression", "bitwise_and_expression",
    "bitwise_or_expression", "bitwise_xor_expression",
}  # fmt: skip
_OPERATOR_NODES = {"additive_operator", "multiplicative_operator", "shift_operator", "&", "|", "^"}


class DartEvaluator:
    """Load a Dart file (`source`), then `function("gfRng")` or `static_method("MazeMechanic", "rngSeed")`."""

    def __init__(self, source: bytes):
        problems = dart_syntax_problems(source)
        if problems:
            raise DartUnsupported(f"the source does not parse: {problems[:3]}")
        self.root = dart_tree(source).root_node
        self.globals = _Scope()

    # --- finding functions --------------------------------------------------------------------

    def _signature_and_body(self, siblings, name: str):
        siblings = list(siblings)
        for index, node in enumerate(siblings):
            signature = node
            if node.type == "method_signature":
                signature = next((c for c in node.named_children if c.type == "function_signature"), None)
            if signature is None or signature.type != "function_signature":
                continue
            if _text(signature.child_by_field_name("name") or self._identifier(signature)) != name:
                continue
            body = siblings[index + 1] if index + 1 < len(siblings) else None
            if body is None or body.type != "function_body":
                raise DartUnsupported(f"{name} has no body")
            return signature, body
        raise DartUnsupported(f"no function {name!r}")

    @staticmethod
    def _identifier(signature):
        return next(c for c in signature.named_children if c.type == "identifier")

    def _function(self, signature, body, scope: _Scope) -> DartFunction:
        params_node = next(c for c in signature.named_children if c.type == "formal_parameter_list")
        return DartFunction(self._params(params_node), body, scope, self)

    @staticmethod
    def _params(params_node) -> list[str]:
        names = []
        for param in params_node.named_children:
            if param.type != "formal_parameter":
                raise DartUnsupported(f"parameter kind {param.type}")
            names.append(_text([c for c in param.named_children if c.type == "identifier"][-1]))
        return names

    def function(self, name: str) -> DartFunction:
        """A top-level function of the file."""
        signature, body = self._signature_and_body(self.root.children, name)
        return self._function(signature, body, self.globals)

    def static_method(self, class_name: str, name: str) -> DartFunction:
        """A static method of a class of the file (it may call the file's top-level functions)."""
        for node in self.root.named_children:
            if (
                node.type == "class_definition"
                and _text(node.child_by_field_name("name") or node.named_children[0]) == class_name
            ):
                body = next(c for c in node.named_children if c.type == "class_body")
                signature, function_body = self._signature_and_body(body.children, name)
                return self._function(signature, function_body, self.globals)
        raise DartUnsupported(f"no class {class_name!r}")

    # --- statements ---------------------------------------------------------------------------

    def run_body(self, body, scope: _Scope):
        if body.type in ("function_body", "function_expression_body"):
            children = body.children
            if children and children[0].type == "=>":
                return self.expression(children[1:-1] if children[-1].type == ";" else children[1:], scope)
            block = next(c for c in body.named_children if c.type == "block")
            return self.run_body(block, scope)
        if body.type != "block":
            raise DartUnsupported(f"body {body.type}")
        try:
            for statement in body.named_children:
                self.statement(statement, scope)
        except _Return as done:
            return done.value
        return None

    def statement(self, node, scope: _Scope) -> None:
        kind = node.type
        if kind == "local_variable_declaration":
            for definition in node.named_children:
                if definition.type != "initialized_variable_definition":
                    raise DartUnsupported(f"declaration {definition.type}")
                parts = definition.children
                equals = next(i for i, c in enumerate(parts) if c.type == "=")
                name = _text(parts[equals - 1])
                scope.names[name] = self.expression(parts[equals + 1 :], scope)
        elif kind == "local_function_declaration":
            lambda_node = node.named_children[0]
            signature, body = lambda_node.named_children
            scope.names[_text(self._identifier(signature))] = self._function(signature, body, scope)
        elif kind == "expression_statement":
            self.expression([c for c in node.children if c.type != ";"], scope)
        elif kind == "return_statement":
            parts = [c for c in node.children if c.type not in ("return", ";")]
            raise _Return(self.expression(parts, scope) if parts else None)
        else:
            raise DartUnsupported(f"statement {kind}: {_text(node)[:60]!r}")

    # --- expressions --------------------------------------------------------------------------

    def expression(self, nodes, scope: _Scope):
        """A run of sibling nodes forming one expression (tree-sitter-dart leaves calls flat:
        `imul` then its `selector`), possibly with binary operators between the operands."""
        nodes = [n for n in nodes if n.type != "comment"]
        if any(n.type in _OPERATOR_NODES for n in nodes):
            return self._binary(nodes, scope)
        value = self.value(nodes[0], scope)
        for selector in nodes[1:]:
            if selector.type != "selector":
                raise DartUnsupported(f"after a value: {selector.type}")
            value = self._select(value, selector, scope)
        return value

    def _binary(self, nodes, scope: _Scope):
        operands: list[list] = [[]]
        operators: list[str] = []
        for node in nodes:
            if node.type in _OPERATOR_NODES:
                operators.append(_text(node))
                operands.append([])
            else:
                operands[-1].append(node)
        value = self.expression(operands[0], scope)
        for operator, operand in zip(operators, operands[1:], strict=True):
            value = self._apply(operator, value, self.expression(operand, scope))
        return value

    @staticmethod
    def _apply(operator: str, a, b):
        if operator == "/":
            return a / b
        if isinstance(a, float) or isinstance(b, float):
            if operator in ("+", "-", "*"):
                return {"+": a + b, "-": a - b, "*": a * b}[operator]
            raise DartUnsupported(f"{operator} on a double")
        if operator == "+":
            return _int64(a + b)
        if operator == "-":
            return _int64(a - b)
        if operator == "*":
            return _int64(a * b)
        if operator == "~/":
            return _int64(int(a / b)) if abs(a) < 2**53 else _int64(a // b)
        if operator == "%":
            return a % abs(b)
        if operator == "&":
            return _int64(a & b)
        if operator == "|":
            return _int64(a | b)
        if operator == "^":
            return _int64(a ^ b)
        if operator == "<<":
            return _int64(a << b)
        if operator == ">>":
            return a >> b
        if operator == ">>>":
            return (a & ((1 << 64) - 1)) >> b
        raise DartUnsupported(f"operator {operator}")

    def value(self, node, scope: _Scope):
        kind = node.type
        if kind in _BINARY:
            return self.expression(node.children, scope)
        if kind == "decimal_integer_literal":
            return int(_text(node).replace("_", ""))
        if kind == "hex_integer_literal":
            return int(_text(node).replace("_", ""), 16)
        if kind == "decimal_floating_point_literal":
            return float(_text(node))
        if kind == "string_literal":
            text = _text(node)
            if len(text) < 2 or text[0] not in "'\"" or text[-1] != text[0] or any(c in text for c in "$\\"):
                raise DartUnsupported(f"string {text!r}")
            return text[1:-1]
        if kind == "identifier":
            name = _text(node)
            return scope.find(name).names[name]
        if kind == "parenthesized_expression":
            return self.expression([c for c in node.children if c.type not in ("(", ")")], scope)
        if kind == "type_cast_expression":
            return self.expression([c for c in node.children if c.type != "type_cast"], scope)
        if kind == "assignment_expression":
            return self._assign(node, scope)
        if kind == "function_expression":
            params_node = next(c for c in node.named_children if c.type == "formal_parameter_list")
            body = next(c for c in node.named_children if c.type == "function_expression_body")
            return DartFunction(self._params(params_node), body, scope, self)
        raise DartUnsupported(f"expression {kind}: {_text(node)[:60]!r}")

    def _assign(self, node, scope: _Scope):
        target, operator, *rest = node.children
        if target.type != "assignable_expression" or len(target.named_children) != 1:
            raise DartUnsupported(f"assignment to {_text(target)!r}")
        name = _text(target.named_children[0])
        owner = scope.find(name)
        value = self.expression(rest, scope)
        op = _text(operator)
        if op != "=":
            value = self._apply(op[:-1], owner.names[name], value)
        owner.names[name] = value
        return value

    def _select(self, value, selector, scope: _Scope):
        inner = selector.named_children[0]
        if inner.type == "argument_part":
            arguments = next(c for c in inner.named_children if c.type == "arguments")
            args = []
            for argument in arguments.named_children:
                if argument.type != "argument":
                    raise DartUnsupported(f"argument {argument.type}")
                args.append(self.expression(argument.children, scope))
            if not callable(value):
                raise DartUnsupported(f"calling {value!r}")
            return value(*args)
        if inner.type == "unconditional_assignable_selector":
            part = inner.named_children[0]
            if part.type == "index_selector":
                index = self.expression([c for c in part.children if c.type not in ("[", "]")], scope)
                return value[index]
            if part.type == "identifier" and _text(part) == "length":
                return len(value)
        raise DartUnsupported(f"selector {_text(selector)!r}")
