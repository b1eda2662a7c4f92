"""YAML as we let people write it: :func:`load` reads a hand-edited file (the claims ledger) with
``yaml.SafeLoader``'s types, and refuses, naming the line, what ``yaml.safe_load`` lets through:

- anchors and aliases (``&a`` / ``*a``): nothing in our files repeats itself, and a few hundred bytes
  of nested aliases expand to billions of nodes (the "billion laughs"); refused at the first anchor,
  before anything is expanded;
- a key given twice in one mapping: ``yaml.safe_load`` keeps the last silently;
- a date written unquoted (``period: 2025-06-18``): YAML reads it as a date object, not the text
  written; quote it.

Each mapping is a :class:`Located` dict that knows the line of each of its keys, so a later check
(a field that must be text) can say where the value is.

>>> load("a: 1\\nb: [x, 'y']\\n")
{'a': 1, 'b': ['x', 'y']}
>>> load("a: &x 1\\nb: *x\\n")
Traceback (most recent call last):
...
analysis.safeyaml.Refused: line 1: anchor &x: anchors and aliases are not allowed (write the value out)
"""

from __future__ import annotations

import yaml

TIMESTAMP = "tag:yaml.org,2002:timestamp"


class Refused(yaml.YAMLError):
    """YAML we do not accept; the message starts with the line."""

    def __init__(self, message: str, line: int):
        self.line = line
        super().__init__(f"line {line}: {message}")


class Located(dict):
    """A mapping from the file, with the line (from 1) where it and each of its keys starts."""

    line: int = 0
    lines: dict

    def line_of(self, key) -> int:
        return getattr(self, "lines", {}).get(key, self.line)


# libyaml's parser where PyYAML was built with it (ten times faster on the ledger); the types and
# the checks below are Python either way.
_Base = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader


def _refuse_anchors(text: str) -> None:
    """Refuse the first anchor or alias, from the parser's events: before anything is composed,
    let alone expanded."""
    for event in yaml.parse(text, Loader=_Base):
        if isinstance(event, yaml.AliasEvent):
            raise Refused(f"alias *{event.anchor}: anchors and aliases are not allowed (write the value out)",
                          event.start_mark.line + 1)
        if getattr(event, "anchor", None) is not None:
            raise Refused(f"anchor &{event.anchor}: anchors and aliases are not allowed (write the value out)",
                          event.start_mark.line + 1)


class _Loader(_Base):
    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep)
        self.flatten_mapping(node)  # merge keys (<<) need an alias, refused above
        mapping, lines = Located(), {}
        mapping.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                seen = key in lines
            except TypeError:
                raise Refused(f"a key must be text or a number, not {type(key).__name__}", line) from None
            if seen:
                raise Refused(f"duplicate key {key!r} (first at line {lines[key]})", line)
            if value_node.tag == TIMESTAMP:
                raise Refused(f"{key}: {value_node.value!r} is read as a date, not as text: write it in quotes",
                              value_node.start_mark.line + 1)
            lines[key] = line
            mapping[key] = self.construct_object(value_node, deep=deep)
        mapping.lines = lines
        return mapping

    def construct_yaml_map(self, node):
        data = Located()
        yield data
        built = self.construct_mapping(node)
        data.update(built)
        data.line, data.lines = built.line, built.lines

    def construct_yaml_timestamp(self, node):  # a date outside a mapping (a list item)
        raise Refused(f"{node.value!r} is read as a date, not as text: write it in quotes", node.start_mark.line + 1)


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)
_Loader.add_constructor(TIMESTAMP, _Loader.construct_yaml_timestamp)


def load(text: str):
    """The document in ``text``; :class:`Refused` (a ``yaml.YAMLError``) for what this module
    refuses, other ``yaml.YAMLError`` for text that is not YAML."""
    _refuse_anchors(text)
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
