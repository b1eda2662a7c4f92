import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.formatting import format_day, format_number, format_percent, format_points, house_typography


@pytest.mark.parametrize("args, expected", [
    ((-81.4, "fr"), "\u221281,4\u202f%"),
    ((-81.4, "en"), "\u221281.4%"),
    ((72, "fr", 0), "+72\u202f%"),
    ((72, "en", 0), "+72%"),
    ((-81.35, "fr", 0), "\u221281\u202f%"),
    ((-0.04, "fr"), "0,0\u202f%"),
    ((1234.5, "fr", 1), "+1\u202f234,5\u202f%"),
])
def test_format_percent_exact_characters(args, expected):
    assert format_percent(*args) == expected


def test_unsigned_percent():
    assert format_percent(3.372, "fr", signed=False) == "3,4\u202f%"


@pytest.mark.parametrize("value, lang, expected", [
    (686176, "fr", "686\u202f176"), (686176, "en", "686,176"),
    (4572486, "fr", "4\u202f572\u202f486"), (4572486, "en", "4,572,486"),
    (94, "fr", "94"), (-1200, "fr", "\u22121\u202f200"),
])
def test_format_number_exact_characters(value, lang, expected):
    assert format_number(value, lang) == expected


def test_points():
    assert format_points(-2.14, "en") == "\u22122.1 points"


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "81", None])
def test_refuses_non_numbers(bad):
    with pytest.raises(ValueError):
        format_percent(bad, "fr")


def test_refuses_unknown_language():
    with pytest.raises(ValueError, match="unknown language 'de'"):
        format_number(1, "de")


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_numbers_never_use_hyphen_or_plain_space(value):
    for lang in ("fr", "en"):
        text = format_number(value, lang)
        assert "-" not in text and " " not in text and "\u00a0" not in text
        assert int(text.replace("\u2212", "-").replace("\u202f", "").replace(",", "")) == value


@given(st.integers(min_value=-10**59, max_value=10**59))
def test_large_integers_print_every_digit_exactly(value):
    for lang, group in (("fr", "\u202f"), ("en", ",")):
        text = format_number(value, lang)
        assert int(text.replace("\u2212", "-").replace(group, "")) == value


def test_integer_beyond_float_precision():
    assert format_number(2**63 + 1, "en") == "9,223,372,036,854,775,809"
    assert format_number(10**30 + 1, "fr") == "1" + "\u202f000" * 9 + "\u202f001"


@pytest.mark.parametrize("value, message", [
    (1e308, "cannot format 1e\\+308 exactly: a float this large has lost its last digits"),
    (-2.0**60, "a float this large"),
    (10**60, "more than 60 digits"),
])
def test_too_large_is_refused_clearly(value, message):
    for call in (format_number, format_percent, format_points):
        with pytest.raises(ValueError, match=message):
            call(value, "fr")


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_any_float_formats_or_is_refused_with_a_message(value):
    try:
        text = format_number(value, "en", decimals=1)
    except ValueError as error:
        assert "a float this large" in str(error)
    else:
        assert float(text.replace("\u2212", "-").replace(",", "")) == pytest.approx(round(value, 1), abs=0.051)


@pytest.mark.parametrize("text, lang, expected", [
    ("870 503 signalements", "fr", "870\u202f503 signalements"),
    ("baisse de 21,2 % sur l'année", "fr", "baisse de 21,2\u202f% sur l\u2019année"),
    ("Source : NCMEC ; 2024 : transcription", "fr", "Source\u202f: NCMEC\u202f; 2024\u202f: transcription"),
    ("« X Corp »", "fr", "«\u00a0X Corp\u00a0»"),
    ("fell -81.4 % : X's figure", "en", "fell \u221281.4%: X\u2019s figure"),
    ("ids x-reports-drop-2025, years 2019-2023, 08:00, https://x.com/?a=1", "fr",
     "ids x-reports-drop-2025, years 2019-2023, 08:00, https://x.com/?a=1"),
    ("en 2024 686 176", "fr", "en 2024 686\u202f176"),
])
def test_house_typography_exact_characters(text, lang, expected):
    assert house_typography(text, lang) == expected
    assert house_typography(expected, lang) == expected  # idempotent


@pytest.mark.parametrize("text, expected", [
    ("le 1er juillet 2025, la 1re fois", "le 1\u1d49\u02b3 juillet 2025, la 1\u02b3\u1d49 fois"),
    ("du 1er semestre", "du 1\u1d49\u02b3 semestre"),
    ("11er, 1ers, x1er", "11er, 1ers, x1er"),  # not an ordinal "1er" on its own
])
def test_french_ordinals_in_superscript(text, expected):
    assert house_typography(text, "fr") == expected
    assert house_typography(expected, "fr") == expected
    assert house_typography(text, "en") == text


def test_a_quotation_keeps_its_spelling():
    """A verbatim quote inside our own text is not respelt: the article's "1er" stays, and so does a
    misspelling marked [sic]."""
    quoted = "Next.ink écrit « entre le 1er et le 19 janvier » et « son rappart [sic] », le 1er février."
    assert house_typography(quoted, "fr") == ("Next.ink écrit «\u00a0entre le 1er et le 19 janvier\u00a0» et "
                                              "«\u00a0son rappart [sic]\u00a0», le 1\u1d49\u02b3 février.")
    nested = "X « aurait commencé à utiliser une technologie « maison » le 1er » : 1er"
    assert house_typography(nested, "fr").endswith("le 1er\u00a0»\u202f: 1\u1d49\u02b3")
    assert "1er" in house_typography("« jamais fermée, le 1er", "fr")


def test_the_first_of_the_month_in_french():
    assert format_day("2025-07-01", "fr") == "1\u1d49\u02b3\u00a0juillet\u00a02025"
    assert format_day("2025-07-01", "en") == "1\u00a0July\u00a02025"
