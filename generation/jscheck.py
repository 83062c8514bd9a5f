"""The static checker for custom game logic (`logic.js`).

An LLM may add a `logic.js` holding hook functions for the mechanic's runtime. Before it is
accepted it is parsed with a real JavaScript parser (tree-sitter-javascript, which knows
classes, async, optional chaining, private fields...) and refused, with the reason and the
line:column, if it could reach anything outside the sandbox API.

The policy is default-deny:

- Every identifier is resolved through the program's lexical scopes. One that is not declared
  in the file is a global, and only the globals in `ALLOWED_GLOBALS` may be used, each in the
  ways its entry allows (called, constructed, read as a value, these members). Everything
  else is refused: the network, storage, the page, code from strings, workers, and any global
  we do not know.
- Constructor-chain escapes are closed by name and by data flow: the property names that lead
  from any value to `Function` (`constructor`, `__proto__`, `prototype`, `caller`, `callee`,
  `arguments`...) are refused wherever they appear (dotted access, string keys, destructuring
  patterns), and a computed access `obj[key]` is accepted only when `key` is provably a
  number or a harmless literal (a small type inference over the file's bindings), so a name
  built from pieces at run time can never be looked up.
- `this` is accepted only where it cannot be the global object: class bodies, and object
  methods in a file that starts with "use strict".
- Built-ins are never written (`Math.random = ...`) nor passed around bare (`f(Math)`), so
  the runtime's own objects stay as they are.

The expected shape, one top-level object of hook functions (see `HOOK_NAMES`)::

    "use strict";
    const hooks = {
      onStart(ctx) { ... },
      onScore(ctx, points) { ... },
    };

`logic_wrap` turns a checked source into the script the bundle ships: a strict-mode function
that gets `GF` as a parameter and returns `hooks`, so no declaration leaks onto `window`.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

import tree_sitter_javascript
from django.conf import settings
from tree_sitter import Language, Node, Parser

from gamefactory.errors import ApplicationError

LOGIC_FIELD = "logic.js"

# Limits (overridable in settings); a hook file is a few hundred lines at most.
DEFAULT_MAX_BYTES = 64 * 1024
DEFAULT_MAX_NODES = 40_000
DEFAULT_MAX_DEPTH = 200
MAX_REPORTED_ISSUES = 50

# The hooks the runtime calls, with the arguments it passes.
HOOK_NAMES: dict[str, str] = {
    "onStart": "(ctx): once, when the game has booted (after session_start)",
    "onLevelStart": "(ctx, level): a level begins; level is its number, from 1",
    "onScore": "(ctx, points): points are about to be added; return a number to change them",
    "onLevelEnd": "(ctx, result): a level ended; result = {level, success, score, duration_ms}",
    "onGameOver": "(ctx, result): no lives left; result = {level, score}",
    "onTick": "(ctx, dt): every frame while playing; dt in milliseconds",
    "onInput": "(ctx, input): a control changed; input = {action, pressed}, action is up/down/left/right/primary",
    "onMessage": "(ctx, data): a multiplayer message arrived (what the other player sent)",
}

# What the runtime hands every hook as `ctx` (runtime.js; frozen: assigning to it throws).
CTX_API: dict[str, str] = {
    "level": "the level being played, from 1",
    "score": "the score",
    "lives": "lives left",
    "status": "title, ready, playing, paused, won, lost, completed or ad",
    "timeLeft": "seconds left on the level's clock, or null",
    "addScore(n)": "add (or take away) points; does not call onScore",
    "say(text)": "show a short message over the game",
    "state": "a plain object for the hooks' own data, kept for the whole session",
}

# Categories of refusal (`LogicIssue.code`).
SYNTAX = "syntax"
SIZE = "size"
STRUCTURE = "structure"
NETWORK = "network"
STORAGE = "storage"
PAGE = "page"
CODE = "code_from_string"
WORKER = "worker"
ESCAPE = "escape"
GLOBAL = "unknown_global"
KEY = "computed_key"
BUILTIN_WRITE = "builtin"
THIS = "this"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NETWORK_GLOBALS = _words(
    """fetch XMLHttpRequest WebSocket WebSocketStream EventSource WebTransport RTCPeerConnection
    webkitRTCPeerConnection RTCDataChannel Request Response Image Audio FontFace BroadcastChannel
    MessageChannel sendBeacon"""
)
_STORAGE_GLOBALS = _words(
    "localStorage sessionStorage indexedDB caches cookieStore openDatabase CacheStorage StorageManager"
)
_PAGE_GLOBALS = _words(
    """document window globalThis self parent top opener frames frameElement location navigator
    history postMessage open close alert confirm prompt print requestAnimationFrame customElements
    screen origin name status external Phaser"""
)
_CODE_GLOBALS = _words("eval Function execScript WebAssembly setImmediate AsyncFunction")
_WORKER_GLOBALS = _words(
    "Worker SharedWorker ServiceWorker ServiceWorkerContainer importScripts Worklet AudioWorklet"
)
_ESCAPE_GLOBALS = _words("Reflect Proxy arguments FinalizationRegistry WeakRef")

DENIED_GLOBALS: dict[str, tuple[str, str]] = {}
for _names, _code, _why in (
    (_NETWORK_GLOBALS, NETWORK, "it reaches the network"),
    (_STORAGE_GLOBALS, STORAGE, "it reaches the browser's storage"),
    (_PAGE_GLOBALS, PAGE, "it reaches the page outside the game's sandbox"),
    (_CODE_GLOBALS, CODE, "it runs code made from strings"),
    (_WORKER_GLOBALS, WORKER, "it starts workers"),
    (_ESCAPE_GLOBALS, ESCAPE, "it can escape the sandbox's rules"),
):
    for _name in _names:
        DENIED_GLOBALS[_name] = (_code, _why)

# Property names that lead from any value to `Function`, a prototype or a caller's frame.
ESCAPE_PROPERTIES = _words(
    """constructor prototype __proto__ caller callee arguments __defineGetter__ __defineSetter__
    __lookupGetter__ __lookupSetter__"""
)
# Property names that walk from an object the runtime might hand over back to the page.
_PROPERTY_CODES: dict[str, str] = {name: ESCAPE for name in ESCAPE_PROPERTIES}
for _names, _code in (
    (_words("ownerDocument defaultView contentWindow contentDocument frameElement getRootNode"), PAGE),
    (_words("globalThis document"), PAGE),
    (_words("localStorage sessionStorage indexedDB"), STORAGE),
    (_words("sendBeacon"), NETWORK),
    (_words("importScripts"), WORKER),
):
    for _name in _names:
        _PROPERTY_CODES[_name] = _code
PAGE_PROPERTIES = frozenset(_PROPERTY_CODES) - ESCAPE_PROPERTIES
# What a member of a refused global reaches, when that is more telling than the global itself
# (`navigator.sendBeacon` is a network call, `document.cookie` is storage).
_DENIED_MEMBER_CODES = {
    "sendBeacon": NETWORK,
    "fetch": NETWORK,
    "cookie": STORAGE,
    "localStorage": STORAGE,
    "sessionStorage": STORAGE,
    "indexedDB": STORAGE,
    "caches": STORAGE,
    "storage": STORAGE,
    "serviceWorker": WORKER,
    "eval": CODE,
    "Function": CODE,
}


@dataclass(frozen=True)
class GlobalRule:
    """How one allowed global may be used."""

    call: bool = False
    construct: bool = False
    bare: bool = False  # may be read as a plain value (passed, stored, returned)
    members: frozenset[str] | None = None  # None: no member access at all
    all_members: bool = False
    paths: dict[str, frozenset[str]] = field(default_factory=dict)  # GF.<ns>.<fn>
    function_first_argument: bool = False  # setTimeout/setInterval


_NUMBER_MEMBERS = _words(
    """isInteger isFinite isNaN isSafeInteger parseFloat parseInt MAX_SAFE_INTEGER MIN_SAFE_INTEGER
    MAX_VALUE MIN_VALUE EPSILON POSITIVE_INFINITY NEGATIVE_INFINITY NaN"""
)

# The sandbox API (runtime.js's `window.GF`): GF.<namespace>.<function>. analytics, ads and
# multiplayer are relayed to the player page by postMessage; sound plays the bundle's own sounds.
SANDBOX_API: dict[str, frozenset[str]] = {
    "analytics": frozenset({"track"}),  # track(name, params)
    "ads": frozenset({"show"}),  # show(placementId) -> Promise<{completed}>
    "multiplayer": frozenset({"send", "on"}),  # send(data), on(handler(data))
    "sound": frozenset({"play", "cue"}),  # play(sound), cue(cue)
}

ALLOWED_GLOBALS: dict[str, GlobalRule] = {
    "NaN": GlobalRule(bare=True),
    "Infinity": GlobalRule(bare=True),
    "undefined": GlobalRule(bare=True),
    "isNaN": GlobalRule(call=True, bare=True),
    "isFinite": GlobalRule(call=True, bare=True),
    "parseInt": GlobalRule(call=True, bare=True),
    "parseFloat": GlobalRule(call=True, bare=True),
    "Math": GlobalRule(all_members=True),
    "JSON": GlobalRule(members=frozenset({"parse", "stringify"})),
    "Number": GlobalRule(call=True, members=_NUMBER_MEMBERS),
    "String": GlobalRule(call=True, members=frozenset({"fromCharCode", "fromCodePoint", "raw"})),
    "Boolean": GlobalRule(call=True),
    "BigInt": GlobalRule(call=True),
    "Array": GlobalRule(call=True, construct=True, members=frozenset({"isArray", "from", "of"})),
    "Object": GlobalRule(
        call=True,
        construct=True,
        members=_words("keys values entries freeze isFrozen assign fromEntries hasOwn"),
    ),
    "Date": GlobalRule(construct=True, members=frozenset({"now"})),
    "Map": GlobalRule(construct=True),
    "Set": GlobalRule(construct=True),
    "WeakMap": GlobalRule(construct=True),
    "WeakSet": GlobalRule(construct=True),
    "Promise": GlobalRule(
        construct=True, members=frozenset({"resolve", "reject", "all", "allSettled", "race", "any"})
    ),
    "Symbol": GlobalRule(
        call=True,
        members=frozenset({"iterator", "asyncIterator", "toPrimitive", "hasInstance", "toStringTag"}),
    ),
    "Error": GlobalRule(call=True, construct=True),
    "TypeError": GlobalRule(call=True, construct=True),
    "RangeError": GlobalRule(call=True, construct=True),
    "console": GlobalRule(members=frozenset({"log", "info", "warn", "error", "debug"})),
    "setTimeout": GlobalRule(call=True, function_first_argument=True),
    "setInterval": GlobalRule(call=True, function_first_argument=True),
    "clearTimeout": GlobalRule(call=True),
    "clearInterval": GlobalRule(call=True),
    "GF": GlobalRule(paths=SANDBOX_API),
}

# Members whose refusal is an escape attempt rather than an unknown name.
_ESCAPE_MEMBERS = _words(
    """getPrototypeOf setPrototypeOf defineProperty defineProperties getOwnPropertyDescriptor
    getOwnPropertyDescriptors getOwnPropertyNames getOwnPropertySymbols create captureStackTrace
    prepareStackTrace"""
)
_FUNCTION_SCOPES = _words(
    """function_declaration function_expression generator_function generator_function_declaration
    arrow_function method_definition class_static_block"""
)
_BLOCK_SCOPES = _words("statement_block for_statement for_in_statement catch_clause switch_body")
_CLASS_SCOPES = _words("class class_declaration")
_PLAIN_FUNCTIONS = _words(
    "function_declaration function_expression generator_function generator_function_declaration"
)
_REFUSED_NODES: dict[str, tuple[str, str]] = {
    "with_statement": (ESCAPE, "`with` changes how names resolve"),
    "import_statement": (NETWORK, "`import` loads code; logic.js is a plain script"),
    "export_statement": (STRUCTURE, "`export` is not allowed; define `const hooks = {...}`"),
    "decorator": (SYNTAX, "decorators are not supported by browsers"),
    "using_declaration": (SYNTAX, "`using` declarations are not supported by all browsers"),
    "debugger_statement": (STRUCTURE, "`debugger` statements are not allowed"),
    "hash_bang_line": (SYNTAX, "a #! line is not allowed"),
    # Parsers disagree on where `<!--` and `-->` comments start and end: none at all.
    "html_comment": (SYNTAX, "HTML-style comments (<!-- -->) are not allowed"),
}
_PATTERNS = _words(
    "object_pattern array_pattern pair_pattern rest_pattern assignment_pattern object_assignment_pattern"
)
_WINDOW_HANDLER = re.compile(r"^on[a-z]+$")

# Expressions whose key kind depends on their operands (see `_key_kind`).
_KEY_EXPRESSIONS = _words(
    """parenthesized_expression unary_expression binary_expression ternary_expression
    sequence_expression assignment_expression augmented_assignment_expression"""
)

NUM, SAFE, UNSAFE = 0, 1, 2  # what a key expression may evaluate to (see `_key_kind`)


@dataclass(frozen=True)
class LogicIssue:
    code: str
    message: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"line {self.line}:{self.column}: {self.message}"


@dataclass(frozen=True)
class CheckResult:
    issues: tuple[LogicIssue, ...]
    hooks: tuple[str, ...] = ()
    size_bytes: int = 0
    node_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def reason(self) -> str:
        """The first refusal, as `line L:C: message`; empty when the source was accepted."""
        return str(self.issues[0]) if self.issues else ""

    def as_dict(self) -> dict:
        """A JSON-ready record (for a spec's provenance)."""
        return {
            "ok": self.ok,
            "hooks": list(self.hooks),
            "size_bytes": self.size_bytes,
            "issues": [
                {"code": i.code, "line": i.line, "column": i.column, "message": i.message}
                for i in self.issues
            ],
        }


def logic_check(*, source: str) -> CheckResult:
    """Parse `source` and report everything in it that reaches outside the sandbox API.

    Never raises for bad JavaScript: every problem is a `LogicIssue` with its line:column.
    """
    if not isinstance(source, str):
        return CheckResult(issues=(LogicIssue(SYNTAX, "logic.js must be text", 1, 1),))
    try:
        data = source.encode("utf-8")
    except UnicodeEncodeError:
        return CheckResult(issues=(LogicIssue(SYNTAX, "logic.js is not valid UTF-8 text", 1, 1),))
    max_bytes = getattr(settings, "GENERATION_LOGIC_MAX_BYTES", DEFAULT_MAX_BYTES)
    if len(data) > max_bytes:
        message = f"logic.js is {len(data)} bytes; the limit is {max_bytes}"
        return CheckResult(issues=(LogicIssue(SIZE, message, 1, 1),), size_bytes=len(data))
    return _Checker(data).run()


def logic_validate(*, source: str) -> CheckResult:
    """`logic_check`, raising `ApplicationError` on the field `logic.js` when it refuses."""
    result = logic_check(source=source)
    if not result.ok:
        raise ApplicationError(
            f"logic.js refused: {result.reason}",
            code="logic_refused",
            fields={LOGIC_FIELD: [str(issue) for issue in result.issues]},
        )
    return result


def logic_wrap(*, source: str) -> str:
    """The script a bundle ships for an accepted `logic.js`.

    A strict-mode function, called with the runtime's `GF`, returning the hooks: nothing the
    file declares lands on `window`, and `this` in a detached method is `undefined`.
    """
    return (
        "window.GF_LOGIC = (function (GF) {\n"
        '"use strict";\n'
        f"{source}\n"
        ';return typeof hooks === "undefined" ? null : hooks;\n'
        "})(window.GF);\n"
    )


def logic_rules_prompt() -> str:
    """What an LLM must be told about logic.js, kept next to the rules it describes."""
    hooks = "\n".join(f"  {name}{signature}" for name, signature in HOOK_NAMES.items())
    ctx = "\n".join(f"  ctx.{name}: {meaning}" for name, meaning in CTX_API.items())
    api = ", ".join(f"GF.{ns}.{fn}" for ns, fns in SANDBOX_API.items() for fn in sorted(fns))
    allowed = ", ".join(sorted(name for name in ALLOWED_GLOBALS if name != "GF"))
    return (
        'logic.js is optional. When you write it, it is one plain script starting with "use strict"; '
        "that defines `const hooks = { ... }` with any of these methods:\n"
        f"{hooks}\n"
        "Every hook gets `ctx` first (frozen: never assign to it; keep your data in ctx.state):\n"
        f"{ctx}\n"
        f"The only way out of the game is {api}. Other globals allowed: {allowed}. "
        "No DOM, window, document, network, storage, eval/Function, import, workers, Reflect or "
        "Proxy; never use the names constructor, prototype, __proto__ or arguments. "
        "A computed key obj[k] must be a number expression (write grid[y | 0][x | 0]) or a literal; "
        "use a Map for string keys. setTimeout/setInterval take an arrow function literal. "
        "`this` only inside class bodies or the hooks' own methods."
    )


@cache
def _parser() -> Parser:
    return Parser(Language(tree_sitter_javascript.language()))


# --- scopes ---------------------------------------------------------------------------


@dataclass(eq=False)
class _Binding:
    name: str
    kind: str
    # What was written to it: expression nodes, or the markers "num" (a number for sure),
    # "undefined" and "opaque" (anything: a parameter, a destructured value, a function...).
    writes: list[object] = field(default_factory=list)


@dataclass(eq=False)
class _Scope:
    kind: str  # "function" (also the program) or "block"
    parent: _Scope | None
    names: dict[str, _Binding] = field(default_factory=dict)

    def declare(self, name: str, kind: str) -> _Binding:
        binding = self.names.get(name)
        if binding is None:
            binding = self.names[name] = _Binding(name, kind)
        return binding

    def function_scope(self) -> _Scope:
        scope = self
        while scope.kind != "function" and scope.parent is not None:
            scope = scope.parent
        return scope

    def lookup(self, name: str) -> _Binding | None:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.names:
                return scope.names[name]
            scope = scope.parent
        return None


# --- string and identifier values -------------------------------------------------------

_ESCAPE = re.compile(
    r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[0-3][0-7]{0,2}|[4-7][0-7]?|\r\n|[\s\S])"
)
_SINGLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v"}
_LINE_CONTINUATIONS = {"\n", "\r", "\r\n", "\u2028", "\u2029"}


def _cook(raw: str) -> str:
    """The value of a JS string literal's body (escapes decoded, as the engine would)."""

    def decode(match: re.Match[str]) -> str:
        escape = match.group(1)
        if escape[0] == "u" and len(escape) > 1:
            code_point = int(escape[2:-1] if escape[1] == "{" else escape[1:], 16)
            return chr(min(code_point, 0x10FFFF))
        if escape[0] == "x" and len(escape) == 3:
            return chr(int(escape[1:], 16))
        if escape[0] in "01234567":
            return chr(int(escape, 8))
        if escape in _LINE_CONTINUATIONS:
            return ""
        return _SINGLE_ESCAPES.get(escape, escape)

    return _ESCAPE.sub(decode, raw)


def _name(node: Node) -> str:
    """An identifier's name, with `\\u0065val`-style escapes decoded."""
    text = node.text.decode("utf-8", "replace")
    return _cook(text) if "\\" in text else text


def _literal_key(node: Node) -> str | None:
    """The string value of a literal used as a key, or None when it is not a plain literal."""
    if node.type == "string":
        return _cook(node.text.decode("utf-8", "replace")[1:-1])
    if node.type == "template_string" and not any(c.type == "template_substitution" for c in node.children):
        return _cook(node.text.decode("utf-8", "replace")[1:-1])
    if node.type == "number":
        return node.text.decode()
    return None


def _unparen(node: Node) -> Node:
    while node.type == "parenthesized_expression" and node.named_child_count == 1:
        node = node.named_children[0]
    return node


def _outer(node: Node) -> tuple[Node, Node | None]:
    """The node as its context sees it (above any parentheses), and that context."""
    parent = node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        node, parent = parent, parent.parent
    return node, parent


def _pattern_names(node: Node) -> Iterator[Node]:
    """The identifiers a binding or assignment pattern writes to."""
    kind = node.type
    if kind in ("identifier", "shorthand_property_identifier_pattern"):
        yield node
    elif kind in ("object_pattern", "array_pattern"):
        for child in node.named_children:
            yield from _pattern_names(child)
    elif kind == "pair_pattern":
        value = node.child_by_field_name("value")
        if value is not None:
            yield from _pattern_names(value)
    elif kind in ("assignment_pattern", "object_assignment_pattern"):
        left = node.child_by_field_name("left")
        if left is not None:
            yield from _pattern_names(left)
    elif kind == "rest_pattern":
        for child in node.named_children:
            yield from _pattern_names(child)


def _pattern_members(node: Node) -> Iterator[Node]:
    """Member-expression targets inside an assignment pattern (`[a.b, c[0]] = ...`)."""
    kind = node.type
    if kind in ("member_expression", "subscript_expression"):
        yield node
    elif kind in ("object_pattern", "array_pattern", "rest_pattern"):
        for child in node.named_children:
            yield from _pattern_members(child)
    elif kind == "pair_pattern":
        value = node.child_by_field_name("value")
        if value is not None:
            yield from _pattern_members(value)
    elif kind in ("assignment_pattern", "object_assignment_pattern"):
        left = node.child_by_field_name("left")
        if left is not None:
            yield from _pattern_members(left)


def _member_root(node: Node) -> Node:
    node = _unparen(node)
    while node.type in ("member_expression", "subscript_expression", "call_expression"):
        inner = node.child_by_field_name("object") or node.child_by_field_name("function")
        if inner is None:
            break
        node = _unparen(inner)
    return node


class _Checker:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.issues: list[LogicIssue] = []
        self.scope_of: dict[int, _Scope] = {}
        self.binding_ids: set[int] = set()
        self.assignments: list[Node] = []
        self.kinds: dict[int, int] = {}  # id(binding) -> NUM/SAFE/UNSAFE
        self.bindings: dict[int, _Binding] = {}
        self.strict = False
        self._line_starts = [0] + [i + 1 for i, byte in enumerate(data) if byte == 0x0A]

    # -- reporting --

    def report(self, node: Node, code: str, message: str) -> None:
        row, byte_column = node.start_point
        row = min(row, len(self._line_starts) - 1)
        start = self._line_starts[row]
        column = len(self.data[start : start + byte_column].decode("utf-8", "replace")) + 1
        self.issues.append(LogicIssue(code, message, row + 1, column))

    def result(self, hooks: tuple[str, ...] = (), node_count: int = 0) -> CheckResult:
        unique = sorted(set(self.issues), key=lambda issue: (issue.line, issue.column, issue.code))
        return CheckResult(
            issues=tuple(unique[:MAX_REPORTED_ISSUES]),
            hooks=hooks,
            size_bytes=len(self.data),
            node_count=node_count,
        )

    # -- driver --

    def run(self) -> CheckResult:
        tree = _parser().parse(self.data)
        root = tree.root_node
        node_count = root.descendant_count
        max_nodes = getattr(settings, "GENERATION_LOGIC_MAX_NODES", DEFAULT_MAX_NODES)
        if node_count > max_nodes:
            self.report(root, SIZE, f"logic.js has {node_count} syntax nodes; the limit is {max_nodes}")
            return self.result(node_count=node_count)
        if root.has_error:
            self._report_syntax(root)
            return self.result(node_count=node_count)
        if not self._depth_ok(root):
            return self.result(node_count=node_count)
        self._build_scopes(root)
        self._collect_writes()
        self._infer_key_kinds()
        self.strict = self._has_use_strict(root)
        for node in self._walk(root):
            self._check(node)
        hooks = self._check_shape(root)
        return self.result(hooks=hooks, node_count=node_count)

    @staticmethod
    def _walk(root: Node) -> Iterator[Node]:
        stack = [root]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def _report_syntax(self, root: Node) -> None:
        for node in self._walk(root):
            if node.is_missing:
                self.report(node, SYNTAX, f"syntax error: missing `{node.type}`")
                return
            if node.is_error:
                snippet = node.text.decode("utf-8", "replace").strip().splitlines()
                near = f" near `{snippet[0][:40]}`" if snippet else ""
                self.report(node, SYNTAX, f"syntax error{near}")
                return
        self.report(root, SYNTAX, "syntax error")

    @staticmethod
    def _has_use_strict(root: Node) -> bool:
        for child in root.named_children:
            if child.type == "comment":
                continue
            if child.type == "expression_statement" and child.named_child_count:
                literal = child.named_children[0]
                return literal.type == "string" and literal.text[1:-1] == b"use strict"
            return False
        return False

    def _depth_ok(self, root: Node) -> bool:
        """Checked first, so every later (recursive) step works on a shallow tree."""
        max_depth = getattr(settings, "GENERATION_LOGIC_MAX_DEPTH", DEFAULT_MAX_DEPTH)
        stack = [(root, 0)]
        while stack:
            node, depth = stack.pop()
            if depth > max_depth:
                self.report(node, SIZE, f"logic.js nests deeper than {max_depth} levels")
                return False
            stack.extend((child, depth + 1) for child in node.children)
        return True

    # -- pass 1: scopes and declarations --

    def _build_scopes(self, root: Node) -> None:
        program = _Scope("function", None)
        stack: list[tuple[Node, _Scope]] = [(root, program)]
        while stack:
            node, scope = stack.pop()
            self.scope_of[node.id] = scope
            kind = node.type
            inner = scope
            if kind in _FUNCTION_SCOPES:
                inner = _Scope("function", scope)
                self._declare_function(node, scope, inner)
            elif kind in _CLASS_SCOPES:
                inner = _Scope("block", scope)
                name = node.child_by_field_name("name")
                if name is not None:
                    target = scope if kind == "class_declaration" else inner
                    self._bind(name, target, "class", "opaque")
            elif kind in _BLOCK_SCOPES and not self._is_function_body(node):
                inner = _Scope("block", scope)
            if kind in ("lexical_declaration", "variable_declaration"):
                self._declare_variables(node, scope)
            elif kind == "for_in_statement":
                declaration = node.child_by_field_name("kind")
                left = node.child_by_field_name("left")
                if declaration is not None and left is not None:
                    target = inner.function_scope() if declaration.type == "var" else inner
                    for name in _pattern_names(left):
                        self._bind(name, target, declaration.type, "opaque")
                elif left is not None:
                    self.assignments.append(node)
            elif kind == "catch_clause":
                parameter = node.child_by_field_name("parameter")
                if parameter is not None:
                    for name in _pattern_names(parameter):
                        self._bind(name, inner, "catch", "opaque")
            elif kind in ("assignment_expression", "augmented_assignment_expression", "update_expression"):
                self.assignments.append(node)
            for index in range(node.child_count - 1, -1, -1):
                child = node.children[index]
                field_name = node.field_name_for_child(index)
                # A method's computed name and a field's key are evaluated outside it.
                child_scope = scope if kind == "method_definition" and field_name == "name" else inner
                stack.append((child, child_scope))

    @staticmethod
    def _is_function_body(node: Node) -> bool:
        parent = node.parent
        return (
            node.type == "statement_block"
            and parent is not None
            and parent.type in _FUNCTION_SCOPES
            and parent.child_by_field_name("body") == node
        )

    def _bind(self, name_node: Node, scope: _Scope, kind: str, write: object) -> None:
        name = _name(name_node)
        binding = scope.declare(name, kind)
        binding.writes.append(write)
        self.binding_ids.add(name_node.id)
        self.bindings[id(binding)] = binding
        if name in ("eval", "arguments"):
            self.report(name_node, ESCAPE, f"`{name}` cannot be declared")
        if scope.parent is None and kind in ("var", "function"):
            # Outside the wrapper these become properties of `window` (`var location = url` navigates).
            if _WINDOW_HANDLER.match(name):
                self.report(name_node, PAGE, f"a top-level `{name}` would become the page's `window.{name}`")
            elif name in DENIED_GLOBALS:
                self.report(
                    name_node, DENIED_GLOBALS[name][0], f"a top-level `{name}` would alias `window.{name}`"
                )

    def _declare_function(self, node: Node, outer: _Scope, inner: _Scope) -> None:
        kind = node.type
        name = node.child_by_field_name("name")
        if name is not None and name.type == "identifier":
            if kind in ("function_declaration", "generator_function_declaration"):
                # Block-scoped even outside strict mode: resolving fewer names locally is the safe side.
                self._bind(name, outer, "function", "opaque")
            elif kind in ("function_expression", "generator_function"):
                self._bind(name, inner, "function", "opaque")
        parameter = node.child_by_field_name("parameter")
        if parameter is not None:
            self._bind(parameter, inner, "param", "opaque")
        parameters = node.child_by_field_name("parameters")
        if parameters is not None:
            for child in parameters.named_children:
                for name_node in _pattern_names(child):
                    self._bind(name_node, inner, "param", "opaque")

    def _declare_variables(self, node: Node, scope: _Scope) -> None:
        kind_node = node.child(0)
        kind = kind_node.type if kind_node is not None else "let"
        target = scope.function_scope() if node.type == "variable_declaration" else scope
        if node.type == "variable_declaration":
            kind = "var"
            if target.parent is None:
                self.report(
                    node,
                    STRUCTURE,
                    "top-level `var` aliases properties of `window`; use `let` or `const`",
                )
        for declarator in node.named_children:
            if declarator.type != "variable_declarator":
                continue
            name = declarator.child_by_field_name("name")
            value = declarator.child_by_field_name("value")
            if name is None:
                continue
            if name.type == "identifier":
                self._bind(name, target, kind, value if value is not None else "undefined")
            else:
                for name_node in _pattern_names(name):
                    self._bind(name_node, target, kind, "opaque")

    def _resolve(self, node: Node) -> _Binding | None:
        scope = self.scope_of.get(node.id)
        return scope.lookup(_name(node)) if scope is not None else None

    # -- writes and key kinds --

    def _collect_writes(self) -> None:
        for node in self.assignments:
            if node.type == "update_expression":
                target = node.child_by_field_name("argument")
                if target is not None:
                    self._record_write(target, "num")
            elif node.type == "for_in_statement":
                left = node.child_by_field_name("left")
                if left is not None:
                    for name in _pattern_names(_unparen(left)):
                        self._record_write(name, "opaque")
            else:
                left = node.child_by_field_name("left")
                right = node.child_by_field_name("right")
                if left is None:
                    continue
                left = _unparen(left)
                if left.type == "identifier":
                    self._record_write(
                        left, node if node.type == "augmented_assignment_expression" else right
                    )
                else:
                    for name in _pattern_names(left):
                        self._record_write(name, "opaque")

    def _record_write(self, target: Node, write: object) -> None:
        target = _unparen(target)
        if target.type not in ("identifier", "shorthand_property_identifier_pattern"):
            return
        binding = self._resolve(target)
        if binding is not None:
            binding.writes.append(write)

    def _infer_key_kinds(self) -> None:
        """Least fixed point: start every binding at NUM and raise it until all its writes fit.

        A worklist: when a binding is raised, only the bindings whose writes read it are looked
        at again, so a long chain of assignments costs linear time, not quadratic.
        """
        readers: dict[int, set[int]] = {}
        for binding in self.bindings.values():
            self.kinds[id(binding)] = NUM
            for write in binding.writes:
                if isinstance(write, Node):
                    for name in self._key_dependencies(write):
                        source = self._resolve(name)
                        if source is not None:
                            readers.setdefault(id(source), set()).add(id(binding))
        pending = deque(self.bindings)
        queued = set(pending)
        while pending:
            key = pending.popleft()
            queued.discard(key)
            binding = self.bindings[key]
            current = self.kinds[key]
            if current == UNSAFE:
                continue
            kind = max((self._write_kind(write) for write in binding.writes), default=NUM)
            if kind > current:
                self.kinds[key] = kind
                for reader in readers.get(key, ()):
                    if reader not in queued:
                        queued.add(reader)
                        pending.append(reader)

    @staticmethod
    def _key_dependencies(node: Node) -> Iterator[Node]:
        """The identifiers `_key_kind` reads when judging `node` (it never looks deeper)."""
        stack = [node]
        while stack:
            current = stack.pop()
            if current.type == "identifier":
                yield current
            elif current.type in _KEY_EXPRESSIONS:
                stack.extend(current.named_children)

    def _write_kind(self, write: object) -> int:
        if write in ("num", "undefined"):
            return NUM
        if write == "opaque" or write is None:
            return UNSAFE
        assert isinstance(write, Node)
        if write.type == "augmented_assignment_expression":
            return self._augmented_kind(write)
        return self._key_kind(write)

    def _augmented_kind(self, node: Node) -> int:
        operator = node.child_by_field_name("operator")
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if operator is None or left is None or right is None:
            return UNSAFE
        op = operator.type
        if op in ("&&=", "||=", "??="):
            return max(self._key_kind(left), self._key_kind(right))
        if op == "+=":
            return NUM if self._key_kind(left) == NUM and self._key_kind(right) == NUM else UNSAFE
        return NUM  # -=, *=, /=, %=, **=, <<=, >>=, >>>=, &=, |=, ^= always give a number

    def _key_kind(self, node: Node) -> int:
        """NUM: surely a number/boolean/null/undefined; SAFE: that or a harmless literal string."""
        node = _unparen(node)
        kind = node.type
        if kind in ("number", "true", "false", "null", "undefined"):
            return NUM
        if kind in ("string", "template_string"):
            value = _literal_key(node)
            if value is None:
                return UNSAFE
            return UNSAFE if value in ESCAPE_PROPERTIES or value in PAGE_PROPERTIES else SAFE
        if kind == "identifier":
            binding = self._resolve(node)
            if binding is None:
                return NUM if _name(node) in ("NaN", "Infinity", "undefined") else UNSAFE
            return self.kinds.get(id(binding), UNSAFE)
        if kind == "unary_expression":
            operator = node.child_by_field_name("operator")
            op = operator.type if operator is not None else ""
            if op in ("-", "+", "~", "!", "void", "delete"):
                return NUM
            if op == "typeof":
                return SAFE
            return UNSAFE
        if kind == "update_expression":
            return NUM
        if kind == "binary_expression":
            operator = node.child_by_field_name("operator")
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            op = operator.type if operator is not None else ""
            if left is None or right is None:
                return UNSAFE
            if op in ("&&", "||", "??"):
                return max(self._key_kind(left), self._key_kind(right))
            if op == "+":
                both = self._key_kind(left) == NUM and self._key_kind(right) == NUM
                return NUM if both else UNSAFE
            return NUM  # arithmetic, bitwise, comparisons, in, instanceof
        if kind == "ternary_expression":
            consequence = node.child_by_field_name("consequence")
            alternative = node.child_by_field_name("alternative")
            if consequence is None or alternative is None:
                return UNSAFE
            return max(self._key_kind(consequence), self._key_kind(alternative))
        if kind == "sequence_expression":
            return self._key_kind(node.named_children[-1]) if node.named_child_count else UNSAFE
        if kind == "assignment_expression":
            right = node.child_by_field_name("right")
            return self._key_kind(right) if right is not None else UNSAFE
        if kind == "augmented_assignment_expression":
            return self._augmented_kind(node)
        if kind == "call_expression":
            return NUM if self._is_numeric_call(node) else UNSAFE
        if kind == "member_expression":
            # A well-known symbol (`obj[Symbol.iterator]`) is never a string.
            obj = _unparen(node.child_by_field_name("object") or node)
            prop = node.child_by_field_name("property")
            symbols = ALLOWED_GLOBALS["Symbol"].members or frozenset()
            if (
                obj.type == "identifier"
                and _name(obj) == "Symbol"
                and self._resolve(obj) is None
                and prop is not None
                and _name(prop) in symbols
            ):
                return SAFE
        return UNSAFE

    def _is_numeric_call(self, node: Node) -> bool:
        function = node.child_by_field_name("function")
        if function is None:
            return False
        function = _unparen(function)
        if function.type == "identifier":
            return self._resolve(function) is None and _name(function) in (
                "Number",
                "parseInt",
                "parseFloat",
                "isNaN",
                "isFinite",
            )
        if function.type == "member_expression":
            obj = _unparen(function.child_by_field_name("object") or function)
            prop = function.child_by_field_name("property")
            if obj.type != "identifier" or prop is None or self._resolve(obj) is not None:
                return False
            owner, member = _name(obj), _name(prop)
            return (
                owner == "Math"
                or (owner == "Number" and member in _NUMBER_MEMBERS)
                or (owner == "Date" and member == "now")
            )
        return False

    # -- pass 2: the checks --

    def _check(self, node: Node) -> None:
        kind = node.type
        refused = _REFUSED_NODES.get(kind)
        if refused is not None:
            self.report(node, *refused)
        elif kind.startswith("jsx_"):
            if kind in ("jsx_element", "jsx_self_closing_element"):
                self.report(node, SYNTAX, "JSX is not JavaScript a browser runs")
        elif kind == "identifier":
            if node.id not in self.binding_ids:
                self._check_reference(node)
        elif kind == "shorthand_property_identifier":
            self._check_reference(node)
        elif kind == "shorthand_property_identifier_pattern":
            self._check_property_name(node, _name(node))
            if node.id not in self.binding_ids:
                self._check_reference(node)
        elif kind == "member_expression":
            prop = node.child_by_field_name("property")
            if prop is not None and prop.type == "property_identifier":
                self._check_property_name(prop, _name(prop))
        elif kind == "subscript_expression":
            self._check_subscript(node)
        elif kind == "pair_pattern":
            self._check_pattern_key(node)
        elif kind == "pair":
            key = node.child_by_field_name("key")
            if key is not None and key.type in ("property_identifier", "string"):
                value = _name(key) if key.type == "property_identifier" else _literal_key(key)
                if value == "__proto__":
                    self.report(key, ESCAPE, "an object literal cannot set `__proto__`")
        elif kind == "call_expression":
            function = node.child_by_field_name("function")
            if function is not None and function.type == "import":
                self.report(node, NETWORK, "dynamic `import()` loads code from the network")
        elif kind == "meta_property":
            if node.text.startswith(b"import"):
                self.report(node, NETWORK, "`import.meta` is not available to a plain script")
        elif kind == "this":
            self._check_this(node)
        elif kind in ("assignment_expression", "augmented_assignment_expression"):
            left = node.child_by_field_name("left")
            if left is not None:
                self._check_write_target(_unparen(left))
        elif kind == "update_expression":
            argument = node.child_by_field_name("argument")
            if argument is not None:
                self._check_write_target(_unparen(argument))
        elif kind == "unary_expression":
            operator = node.child_by_field_name("operator")
            argument = node.child_by_field_name("argument")
            if operator is not None and operator.type == "delete" and argument is not None:
                self._check_write_target(_unparen(argument))
        elif kind == "for_in_statement" and node.child_by_field_name("kind") is None:
            left = node.child_by_field_name("left")
            if left is not None:
                self._check_write_target(_unparen(left))

    def _check_property_name(self, node: Node, name: str) -> None:
        code = _PROPERTY_CODES.get(name)
        if code is None:
            return
        if code == ESCAPE:
            self.report(node, ESCAPE, f"`{name}` leads out of the sandbox (constructor chain)")
        else:
            self.report(node, code, f"`.{name}` leads outside the game's sandbox")

    def _check_subscript(self, node: Node) -> None:
        index = node.child_by_field_name("index")
        if index is None:
            return
        literal = _literal_key(_unparen(index))
        if literal is not None:
            self._check_property_name(index, literal)
            return
        if self._key_kind(index) == UNSAFE:
            text = index.text.decode("utf-8", "replace")
            self.report(
                index,
                KEY,
                f"computed key `[{text[:40]}]` is not provably a number or a literal; "
                "write a number expression such as `[i | 0]`, or use a Map",
            )

    def _check_pattern_key(self, node: Node) -> None:
        key = node.child_by_field_name("key")
        if key is None:
            return
        if key.type == "property_identifier":
            self._check_property_name(key, _name(key))
        elif key.type in ("string", "number"):
            literal = _literal_key(key)
            if literal is not None:
                self._check_property_name(key, literal)
        elif key.type == "computed_property_name":
            expression = key.named_children[0] if key.named_child_count else None
            if expression is None:
                return
            literal = _literal_key(_unparen(expression))
            if literal is not None:
                self._check_property_name(expression, literal)
            elif self._key_kind(expression) == UNSAFE:
                self.report(
                    expression, KEY, "a computed key in a destructuring pattern must be a number or a literal"
                )

    def _check_this(self, node: Node) -> None:
        child, parent = node, node.parent
        while parent is not None:
            kind = parent.type
            # A computed method or field name is evaluated outside the class, with the outer `this`.
            computed_name = (kind == "method_definition" and parent.child_by_field_name("name") == child) or (
                kind == "field_definition" and parent.child_by_field_name("property") == child
            )
            if computed_name:
                pass
            elif kind in ("field_definition", "class_static_block"):
                return
            elif kind == "method_definition":
                if parent.parent is not None and parent.parent.type == "class_body":
                    return
                if self.strict:
                    return
                self.report(
                    node,
                    THIS,
                    '`this` in an object method can be the global object; start the file with "use strict" '
                    "or use a class",
                )
                return
            elif kind in _PLAIN_FUNCTIONS:
                self.report(
                    node,
                    THIS,
                    "`this` inside a `function` can be the global object; use an arrow function or a class",
                )
                return
            child, parent = parent, parent.parent
        self.report(node, THIS, "top-level `this` is the global object")

    def _check_write_target(self, target: Node) -> None:
        if target.type in ("object_pattern", "array_pattern"):
            for member in _pattern_members(target):
                self._check_write_target(member)
            return
        if target.type not in ("member_expression", "subscript_expression"):
            return  # an identifier: a global one is reported where it is referenced
        root = _member_root(target)
        if root.type == "identifier" and self._resolve(root) is None:
            name = _name(root)
            if name in ALLOWED_GLOBALS:
                self.report(target, BUILTIN_WRITE, f"logic.js cannot modify the built-in `{name}`")

    def _check_reference(self, node: Node) -> None:
        name = _name(node)
        if name == "arguments":
            self.report(node, ESCAPE, "`arguments` is not allowed (arguments.callee/caller escape)")
            return
        binding = self._resolve(node)
        if binding is not None:
            return
        denied = DENIED_GLOBALS.get(name)
        if denied is not None:
            code, why = denied
            _, context = _outer(node)
            prop = context.child_by_field_name("property") if context is not None else None
            if context is not None and context.type == "member_expression" and prop is not None:
                member = _name(prop)
                if member in _DENIED_MEMBER_CODES:
                    code = _DENIED_MEMBER_CODES[member]
                    self.report(
                        node, code, f"`{name}.{member}` is not available: it reaches outside the game"
                    )
                    return
            self.report(node, code, f"`{name}` is not available: {why}")
            return
        rule = ALLOWED_GLOBALS.get(name)
        if rule is None:
            self.report(node, GLOBAL, f"`{name}` is not defined; logic.js may only use the sandbox API")
            return
        self._check_global_use(node, name, rule)

    def _check_global_use(self, node: Node, name: str, rule: GlobalRule) -> None:
        outer, context = _outer(node)
        context_kind = context.type if context is not None else ""
        if context is None:
            return
        if (
            context_kind in ("assignment_expression", "augmented_assignment_expression")
            and (context.child_by_field_name("left") == outer)
            or (
                context_kind == "update_expression"
                or context_kind in _PATTERNS
                or (context_kind == "for_in_statement" and context.child_by_field_name("left") == outer)
            )
        ):
            self.report(node, BUILTIN_WRITE, f"logic.js cannot assign to the built-in `{name}`")
        elif context_kind in ("member_expression", "subscript_expression") and (
            context.child_by_field_name("object") == outer
        ):
            self._check_global_member(node, context, name, rule)
        elif context_kind == "call_expression" and context.child_by_field_name("function") == outer:
            if not rule.call:
                self.report(node, GLOBAL, f"`{name}` cannot be called")
            elif rule.function_first_argument:
                self._check_timer_call(node, context, name)
        elif context_kind == "new_expression" and context.child_by_field_name("constructor") == outer:
            if not rule.construct:
                self.report(node, GLOBAL, f"`new {name}` is not allowed")
        elif (
            context_kind == "binary_expression"
            and context.child_by_field_name("right") == outer
            and (op := context.child_by_field_name("operator")) is not None
            and op.type == "instanceof"
        ) or context_kind == "class_heritage":
            if not rule.construct:
                self.report(node, GLOBAL, f"`{name}` is not a class logic.js may use")
        elif not rule.bare:
            if rule.function_first_argument:
                self.report(node, CODE, f"`{name}` may only be called directly, with a function literal")
            else:
                self.report(
                    node,
                    BUILTIN_WRITE,
                    f"the built-in `{name}` cannot be used as a value (it could be modified elsewhere)",
                )

    def _check_global_member(self, node: Node, context: Node, name: str, rule: GlobalRule) -> None:
        if context.type == "member_expression":
            prop = context.child_by_field_name("property")
            member = _name(prop) if prop is not None else ""
        else:
            index = context.child_by_field_name("index")
            literal = _literal_key(_unparen(index)) if index is not None else None
            if literal is None:
                return  # a computed key is judged by _check_subscript
            member = literal
        if member in ESCAPE_PROPERTIES:
            return  # reported by the property-name check
        if rule.paths:
            self._check_sandbox_path(node, context, name, member, rule)
            return
        if rule.all_members or (rule.members is not None and member in rule.members):
            return
        code = ESCAPE if member in _ESCAPE_MEMBERS else GLOBAL
        self.report(context, code, f"`{name}.{member}` is not part of the sandbox API")

    def _check_sandbox_path(
        self, node: Node, context: Node, name: str, member: str, rule: GlobalRule
    ) -> None:
        functions = rule.paths.get(member)
        api = ", ".join(f"{name}.{ns}.{fn}" for ns, fns in rule.paths.items() for fn in sorted(fns))
        if functions is None:
            self.report(context, GLOBAL, f"`{name}.{member}` is not part of the sandbox API ({api})")
            return
        outer, parent = _outer(context)
        if (
            parent is None
            or parent.type != "member_expression"
            or parent.child_by_field_name("object") != outer
            or (prop := parent.child_by_field_name("property")) is None
            or _name(prop) not in functions
        ):
            self.report(context, GLOBAL, f"use the sandbox API as a whole path ({api})")

    def _check_timer_call(self, node: Node, call: Node, name: str) -> None:
        arguments = call.child_by_field_name("arguments")
        if arguments is None or arguments.type != "arguments":
            self.report(node, CODE, f"`{name}` as a template tag runs its text as code")
            return
        first = arguments.named_children[0] if arguments.named_child_count else None
        if first is None or _unparen(first).type not in ("arrow_function", "function_expression"):
            self.report(
                first or node,
                CODE,
                f"`{name}` needs a function literal as its first argument (a string would run as code)",
            )

    # -- the file's shape --

    def _check_shape(self, root: Node) -> tuple[str, ...]:
        declarations = []
        for statement in root.named_children:
            if statement.type not in ("lexical_declaration", "variable_declaration"):
                continue
            for declarator in statement.named_children:
                name = (
                    declarator.child_by_field_name("name")
                    if declarator.type == "variable_declarator"
                    else None
                )
                if name is not None and name.type == "identifier" and _name(name) == "hooks":
                    declarations.append(declarator)
        if len(declarations) != 1:
            self.report(
                root, STRUCTURE, "logic.js must define `const hooks = { ... }` once, at the top level"
            )
            return ()
        declarator = declarations[0]
        value = declarator.child_by_field_name("value")
        value = _unparen(value) if value is not None else None
        if value is None or value.type != "object":
            self.report(declarator, STRUCTURE, "`hooks` must be an object literal of hook functions")
            return ()
        names = []
        for member in value.named_children:
            if member.type == "comment":
                continue
            key, function = self._hook_member(member)
            if key is None:
                self.report(member, STRUCTURE, "each entry of `hooks` must be a named hook function")
                continue
            if key not in HOOK_NAMES:
                known = ", ".join(HOOK_NAMES)
                self.report(member, STRUCTURE, f"unknown hook `{key}`; the runtime calls {known}")
                continue
            if not function:
                self.report(member, STRUCTURE, f"hook `{key}` must be a function")
                continue
            names.append(key)
        return tuple(names)

    @staticmethod
    def _hook_member(member: Node) -> tuple[str | None, bool]:
        if member.type == "method_definition":
            name = member.child_by_field_name("name")
            if name is not None and name.type == "property_identifier":
                return _name(name), True
            return None, False
        if member.type == "pair":
            key = member.child_by_field_name("key")
            value = member.child_by_field_name("value")
            if key is None or value is None:
                return None, False
            if key.type == "property_identifier":
                name = _name(key)
            elif key.type == "string":
                name = _literal_key(key) or ""
            else:
                return None, False
            return name, _unparen(value).type in ("arrow_function", "function_expression", "identifier")
        return None, False
