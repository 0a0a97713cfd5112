"""Import known burned-in text regions from RSNA CTP and pydicom/deid into pixelscrub's TOML rules.

Both sources are re-readable: a newer DicomPixelAnonymizer.script or deid recipe goes through
import_regions and replaces models/regions/ctp.toml or deid.toml. Parsing follows each tool's own
reading of its files, so a rule means here what it meant there (details in models/regions/README.md).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from pydicom.datadict import keyword_for_tag

from pixelscrub.pixels.regions.boxes import Box
from pixelscrub.pixels.regions.rules import All, Any, Condition, Not, RegionRule, Test

_TAG = re.compile(r"[\[(]\s*([0-9A-Fa-f]{4})\s*,\s*([0-9A-Fa-f]{4})\s*[\])]")


def normalise_attribute(text: str) -> str:
    """A DICOM keyword for "[gggg,eeee]"/"(gggg,eeee)" where pydicom knows the tag, else "(GGGG,EEEE)";
    keywords pass through (misspelt ones too: the source never matched on them either)."""
    found = _TAG.fullmatch(text.strip())
    if found is None:
        return text.strip()
    group, element = found[1].upper(), found[2].upper()
    return keyword_for_tag(int(group + element, 16)) or f"({group},{element})"


def _unique(rules: list[RegionRule]) -> list[RegionRule]:
    """Suffix repeated names with 2, 3, ... so each rule can be named in a report."""
    seen: set[str] = set()
    named = []
    for rule in rules:
        name, n = rule.name, 1
        while name in seen:
            n += 1
            name = f"{rule.name} {n}"
        seen.add(name)
        named.append(dataclasses.replace(rule, name=name))
    return named


# --- CTP DicomPixelAnonymizer.script ---------------------------------------------------------------
# Signatures are `{ expression }` blocks; every "(x,y,w,h)" between one block and the next is a region
# of the first (CTP's own reading). Free text between blocks names them: unindented lines a vendor,
# indented lines a detail, and "****" banners around a modality title start a new section.

_SCRIPT = re.compile(r"\{[^}]*\}")
_RECT = re.compile(r"\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)")
_SKIP = re.compile(r"(?:\s+|//[^\n]*)*")
_TOKEN = re.compile(r"""
    (?P<op>[()*+!])
  | (?P<const>true|false)\b
  | (?P<attr>\[[^\]]*\]|[A-Za-z]\w*) \s*\.\s* (?P<method>\w+) \s*\(\s* "(?P<value>[^"]*)" \s*\)
""", re.VERBOSE)
_METHODS = {  # CTP method -> (op, ignore_case)
    "equals": ("equals", False), "equalsIgnoreCase": ("equals", True),
    "contains": ("contains", False), "containsIgnoreCase": ("contains", True),
    "startsWith": ("startswith", False), "startsWithIgnoreCase": ("startswith", True),
    "endsWith": ("endswith", False), "endsWithIgnoreCase": ("endswith", True),
    "matches": ("regex", False),
}


def _ctp_tokens(script: str) -> list[re.Match]:
    tokens, pos = [], _SKIP.match(script).end()
    while pos < len(script):
        token = _TOKEN.match(script, pos)
        if token is None:
            raise ValueError(f"cannot read CTP expression at {script[pos:pos + 40]!r}")
        tokens.append(token)
        pos = _SKIP.match(script, token.end()).end()
    return tokens


def _ctp_test(token: re.Match) -> Condition:
    if token["method"] not in _METHODS:
        raise ValueError(f"unknown CTP method {token['method']!r}")
    op, ignore_case = _METHODS[token["method"]]
    value = token["value"]
    if token["method"] == "matches":
        value = rf"\A(?:{value})\Z"  # Java's String.matches holds only on the whole value
    return Test(normalise_attribute(token["attr"]), op, value, ignore_case)


class _CtpExpression:
    """Recursive descent over CTP's grammar: `+` (OR) binds looser than `*` (AND), `!` (NOT) tightest."""

    def __init__(self, script: str) -> None:
        self.tokens, self.pos = _ctp_tokens(script), 0

    def parse(self) -> Condition:
        parsed = self._chain("+", Any)
        if self.pos != len(self.tokens):
            raise ValueError(f"unexpected {self.tokens[self.pos][0]!r} in CTP expression")
        return parsed

    def _peek(self) -> str | None:
        return self.tokens[self.pos]["op"] if self.pos < len(self.tokens) else None

    def _chain(self, op: str, kind: type[All] | type[Any]) -> Condition:
        parts = [self._chain("*", All) if op == "+" else self._factor()]
        while self._peek() == op:
            self.pos += 1
            parts.append(self._chain("*", All) if op == "+" else self._factor())
        return parts[0] if len(parts) == 1 else kind(tuple(parts))

    def _factor(self) -> Condition:
        if self.pos == len(self.tokens):
            raise ValueError("CTP expression ends early")
        token = self.tokens[self.pos]
        self.pos += 1
        if token["op"] == "!":
            return Not(self._factor())
        if token["op"] == "(":
            inner = self._chain("+", Any)
            if self._peek() != ")":
                raise ValueError("unbalanced parenthesis in CTP expression")
            self.pos += 1
            return inner
        if token["op"]:
            raise ValueError(f"unexpected {token['op']!r} in CTP expression")
        if token["const"]:
            return All(()) if token["const"] == "true" else Any(())
        return _ctp_test(token)


@dataclasses.dataclass
class _Heading:
    """The free-text headings read so far, to name the next signature."""

    vendor: str = ""
    detail: str = ""
    in_banner: bool = False

    def read(self, text: str) -> None:
        for line in _RECT.sub("", text).split("\n"):
            words = " ".join(line.split())
            if not words:
                continue
            if set(words) == {"*"}:
                self.in_banner, self.vendor, self.detail = not self.in_banner, "", ""
            elif not self.in_banner and line[0].isspace():
                self.detail = words
            elif not self.in_banner:
                self.vendor, self.detail = words, ""

    @property
    def name(self) -> str:
        return " / ".join(part for part in (self.vendor, self.detail) if part) or "signature"


def parse_ctp(text: str, source: str) -> list[RegionRule]:
    """Every signature of a DicomPixelAnonymizer.script, with its rectangles (x, y, w, h)."""
    text = text.replace("\r\n", "\n")
    scripts = list(_SCRIPT.finditer(text))
    ends = [0] + [s.end() for s in scripts]
    starts = [s.start() for s in scripts] + [len(text)]
    heading, rules = _Heading(), []
    for i, script in enumerate(scripts):
        heading.read(text[ends[i]:starts[i]])
        regions = tuple(Box(*map(int, r.groups())) for r in _RECT.finditer(text, ends[i + 1], starts[i + 1]))
        rules.append(RegionRule(heading.name, source, _CtpExpression(script[0][1:-1]).parse(), regions))
    return _unique(rules)


# --- pydicom/deid recipes (%filter sections) ----------------------------------------------------------
# A LABEL's condition lines fold left to right as deid evaluates them: a line starting with `+` ANDs
# onto what came before, `||` ORs, no operator ANDs; inside a line, `+`/`||` between tests fold the
# same way first, so `a + b || c` on one line under `d` reads d AND ((a AND b) OR c).

_DEID_TESTS = ("contains", "notcontains", "equals", "notequals", "missing", "present", "empty")
_INLINE = re.compile(r"\s*(\|\||\+)\s*(?=(?:%s)\s)" % "|".join(_DEID_TESTS))  # not the `+` in "AS+"
_LEADING = re.compile(r"(\|\||\+)\s*")
_REGEX_CHARS = frozenset(".^$*+?{}[]\\|()")
_KEEP = ("keepcoordinates", "ctpkeepcoordinates")


def _join(left: Condition | None, joiner: str, right: Condition) -> Condition:
    if left is None:
        return right
    kind = Any if joiner == "||" else All
    return kind(left.children + (right,)) if isinstance(left, kind) else kind((left, right))


def _deid_contains(field: str, value: str) -> Test:
    """deid's contains is a case-insensitive regex search; plain text reads better as `contains`."""
    return Test(field, "regex" if _REGEX_CHARS & set(value) else "contains", value, True)


def _deid_test(text: str) -> Condition:
    action, field, value = (text.split(None, 2) + ["", ""])[:3]
    action, field, value = action.lower(), normalise_attribute(field), value.strip()
    takes_value = action not in ("missing", "present", "empty")
    if not field or action not in _DEID_TESTS or takes_value != bool(value):
        raise ValueError(f"cannot read deid filter {text!r}")
    if not takes_value:
        return Test(field, action)
    if action in ("contains", "notcontains"):
        found = _deid_contains(field, value)
        return found if action == "contains" else Not(found)
    alternatives = tuple(Test(field, action, part.strip(), True) for part in value.split("|"))  # deid docs: CT|MRI
    if len(alternatives) == 1:
        return alternatives[0]
    return Any(alternatives) if action == "equals" else All(alternatives)


def _deid_line(line: str) -> tuple[str, Condition]:
    """(the operator joining this line to the ones before, its condition)."""
    leading = _LEADING.match(line)
    joiner = leading[1] if leading else "+"
    parts = _INLINE.split(line[leading.end():] if leading else line)
    condition = _deid_test(parts[0])
    for op, part in zip(parts[1::2], parts[2::2]):
        condition = _join(condition, op, _deid_test(part))
    return joiner, condition


@dataclasses.dataclass
class _Label:
    name: str
    filter_list: str
    when: Condition | None = None
    regions: list[Box] = dataclasses.field(default_factory=list)
    whole_image: bool = False

    def add(self, line: str) -> None:
        keyword, _, spec = line.partition(" ")
        keyword = keyword.lower()
        if keyword in _KEEP:
            return  # areas deid keeps unblanked: no reason to call text there PHI-likely
        if keyword in ("coordinates", "ctpcoordinates"):
            self._coordinates(keyword, spec.strip())
        else:
            joiner, condition = _deid_line(line)
            self.when = _join(self.when, joiner, condition)

    def _coordinates(self, keyword: str, spec: str) -> None:
        if spec.lower() == "all" or spec.startswith("from:"):
            self.whole_image = True  # header-given areas are unknown until read: the image bounds them
            return
        a, b, c, d = (int(part) for part in spec.split(","))
        self.regions.append(Box(a, b, c, d) if keyword == "ctpcoordinates" else Box(a, b, c - a, d - b))

    def rule(self, source: str) -> RegionRule:
        """A label without condition lines holds for every image, as deid reads it."""
        return RegionRule(self.name, f"{source} ({self.filter_list})", self.when or All(()),
                          tuple(self.regions), self.whole_image)


def parse_deid(text: str, source: str) -> list[RegionRule]:
    """Graylist and blacklist LABELs of a deid recipe. Whitelist labels (marked clean) are dropped:
    they would only ever excuse an image from being read."""
    labels: list[_Label] = []
    filter_list = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#") or line.upper().startswith("FORMAT"):
            continue
        if line.startswith("%"):
            section, *name = line.split("#")[0].split()
            filter_list = " ".join(name) if section.lower() == "%filter" else None
        elif filter_list is None:
            continue
        elif line.upper().startswith("LABEL"):
            labels.append(_Label(" ".join(line[5:].split("#")[0].split()), filter_list))
        elif not labels or labels[-1].filter_list != filter_list:
            raise ValueError(f"{source}:{number}: filter line outside a LABEL: {line!r}")
        else:
            labels[-1].add(line)
    return _unique([label.rule(source) for label in labels if label.filter_list.lower() != "whitelist"])


# --- writing -----------------------------------------------------------------------------------------

def _string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m[0]):04x}", escaped) + '"'


def _toml_condition(condition: Condition, indent: str) -> str:
    if isinstance(condition, Test):
        fields = [f"attribute = {_string(condition.attribute)}", f"op = {_string(condition.op)}"]
        fields += [f"value = {_string(condition.value)}"] if condition.value else []
        fields += ["ignore_case = true"] if condition.ignore_case else []
        return "{ " + ", ".join(fields) + " }"
    if isinstance(condition, Not):
        return f"{{ not = {_toml_condition(condition.child, indent)} }}"
    key = "all" if isinstance(condition, All) else "any"
    inner = indent + "    "
    items = "".join(f"{inner}{_toml_condition(child, inner)},\n" for child in condition.children)
    return f"{{ {key} = [\n{items}{indent}] }}" if items else f"{{ {key} = [] }}"


def to_toml(rules: list[RegionRule], header_comment: str) -> str:
    """The regions TOML for `rules` (format in models/regions/README.md), headed by a comment."""
    lines = [f"# {line}".rstrip() for line in header_comment.splitlines()]
    for rule in rules:
        lines += ["", "[[rule]]", f"name = {_string(rule.name)}", f"source = {_string(rule.source)}",
                  f"when = {_toml_condition(rule.when, '')}"]
        lines += ["whole_image = true"] if rule.whole_image else []
        lines.append("regions = [" + ", ".join(f"[{b.x}, {b.y}, {b.w}, {b.h}]" for b in rule.regions) + "]")
    return "\n".join(lines) + "\n"


def _header(paths: list[Path], origin: str) -> str:
    lines = ["Known burned-in text regions, imported from " + ", ".join(p.name for p in paths)]
    lines += [f"Source: {origin}"] if origin else []
    lines += ["Generated by pixelscrub.pixels.regions.rule_import: re-import rather than edit by hand.",
              "Format: models/regions/README.md."]
    return "\n".join(lines)


def import_regions(ctp: Path | None, deid: list[Path], out_dir: Path, *,
                   ctp_origin: str = "", deid_origin: str = "") -> list[Path]:
    """Write ctp.toml and deid.toml into out_dir from the files given; returns the files written.
    The origins (repository, path, commit) go into each file's header comment."""
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs = []
    if ctp is not None:
        rules = parse_ctp(ctp.read_text("utf-8"), ctp.name)
        outputs.append((out_dir / "ctp.toml", rules, _header([ctp], ctp_origin)))
    if deid:
        rules = _unique([rule for path in deid for rule in parse_deid(path.read_text("utf-8"), path.name)])
        outputs.append((out_dir / "deid.toml", rules, _header(deid, deid_origin)))
    for path, rules, header in outputs:
        path.write_text(to_toml(rules, header), "utf-8")
    return [path for path, _, _ in outputs]
