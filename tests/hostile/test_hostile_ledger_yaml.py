"""Hostile YAML in the claims ledger: what ``yaml.safe_load`` accepts and we refuse (aliases, a key
given twice, a value YAML reads as something other than the text written), each refusal naming the
line, and the field where there is one (:mod:`analysis.safeyaml`)."""

import pytest

from analysis import claims, safeyaml
from analysis.errors import DataError

LEDGER = claims.LEDGER.read_text(encoding="utf-8")
ENTRY = '- id: x-ncmec-reports-2024\n'
LINE = LEDGER[:LEDGER.index(ENTRY)].count("\n") + 1  # the entry's first line
NUMBER = LEDGER[:LEDGER.index(ENTRY)].count("\n- id: ") + 1  # its entry number
PERIOD = '  period: "2024"\n'

_LEVELS = "".join(
    ['- id: a\n  note: &a [' + ", ".join(['"lollollollol"'] * 9) + ']\n']
    + [f"  {b}: &{b} [" + ", ".join(f"*{a}" for _ in range(9)) + "]\n" for a, b in zip("abcdefgh", "bcdefghi")]
)
_HEADER = "# nine levels of nine aliases: 9^9 strings once expanded"
LAUGHS = _HEADER + "." * (675 - len(_HEADER) - 1 - len(_LEVELS)) + "\n" + _LEVELS  # 675 bytes


def _edit(tmp_path, old: str, new: str, count: int = 1):
    assert LEDGER.count(old) >= count
    path = tmp_path / "claims.yaml"
    path.write_text(LEDGER.replace(old, new, count), encoding="utf-8")
    return path


def _refused(path) -> str:
    claims._parse_ledger.cache_clear()
    with pytest.raises(DataError) as raised:
        claims.load(path)
    message = str(raised.value)
    assert "\n" not in message
    return message


def test_alias_bomb_is_refused_at_its_first_anchor(tmp_path):
    """Nine levels of nine aliases: 9⁹ (387 million) strings once expanded; refused before any is."""
    assert len(LAUGHS.encode()) == 675
    path = tmp_path / "claims.yaml"
    path.write_text(LAUGHS)
    assert _refused(path) == f"{path}: line 3: anchor &a: anchors and aliases are not allowed (write the value out)"


def test_one_alias_is_refused(tmp_path):
    path = _edit(tmp_path, PERIOD, '  period: &year "2024"\n  period_start: *year\n')
    assert _refused(path) == (f"{path}: line {LINE + 7}: anchor &year: anchors and aliases are not allowed "
                              "(write the value out)")


def test_merge_key_is_refused(tmp_path):
    path = _edit(tmp_path, ENTRY, ENTRY + "  <<: *first\n")
    assert _refused(path) == f"{path}: line {LINE + 1}: alias *first: anchors and aliases are not allowed (write the value out)"


def test_duplicate_key_is_refused(tmp_path):
    path = _edit(tmp_path, PERIOD, PERIOD + '  period: "2025"\n')
    assert _refused(path) == f"{path}: line {LINE + 8}: duplicate key 'period' (first at line {LINE + 7})"


def test_duplicate_key_in_a_nested_mapping_is_refused(tmp_path):
    path = _edit(tmp_path, "compute: {function: ", "compute: {args: {}, args: {}, function: ")
    assert "duplicate key 'args' (first at line" in _refused(path)


def test_unquoted_date_is_refused_naming_the_field(tmp_path):
    path = _edit(tmp_path, PERIOD, "  period: 2025-06-18\n")
    assert _refused(path) == (f"{path}: line {LINE + 7}: period: '2025-06-18' is read as a date, not as text: "
                              "write it in quotes")


@pytest.mark.parametrize("written, read", [("2024", "2024 is read as a int"), ("yes", "True is read as a bool"),
                                           ("1.5", "1.5 is read as a float")])
def test_text_field_read_as_another_type_is_refused(tmp_path, written, read):
    path = _edit(tmp_path, PERIOD, f"  period: {written}\n")
    assert _refused(path) == (f"{path}, row {NUMBER}, column period: claim 'x-ncmec-reports-2024': period {read}, "
                              f"not as text (line {LINE + 7}): write it in quotes")


def test_the_ledger_reads_as_before():
    import yaml

    assert safeyaml.load(LEDGER) == yaml.safe_load(LEDGER)


def test_text_that_is_not_yaml_names_its_line_and_character(tmp_path):
    """libyaml's messages do not name the character they stop at: the error does."""
    path = _edit(tmp_path, PERIOD, "\t" + PERIOD.lstrip(" "))
    row = LEDGER[:LEDGER.index(PERIOD)].count("\n") + 1
    assert _refused(path) == (f"{path}, row {row}: not valid YAML: found a tab character that violates indentation "
                              "(character 1: '\\t')")
