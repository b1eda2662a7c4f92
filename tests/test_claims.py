import json
import re
from urllib.parse import urlparse

import pytest
import yaml

from analysis import claims, cli, datapackage, evidence, factcheck, formatting, paths, verify
from analysis.errors import DataError
from conftest import ledger_copy


def test_every_article_claim_is_in_the_ledger():
    article = (paths.RAW / "press" / "nextink-2026-02-05-article-claims.md").read_text()
    article_ids = {line.split("|")[1].strip() for line in article.splitlines()
                   if line.startswith("| ") and not line.startswith(("| id", "|---"))}
    ledger_ids = {c.id for c in claims.load() if c.kind == "article"}
    assert article_ids <= ledger_ids


def test_found_statuses_equal_expected(ledger_results):
    assert [r.claim.id for r in ledger_results if not r.as_expected] == []
    by_id = {r.claim.id: r for r in ledger_results}
    assert by_id["x-ncmec-reports-2024"].computed.value == 686176
    unsourced = by_id["x-ncmec-reports-2025-vs-2024"]  # 2025 rests on a transcription citing no document
    assert (unsourced.verdict, unsourced.evidence) == ("cannot-be-checked", "unsourced")
    assert by_id["x-france-reports-drop"].verdict == "reported-only"
    assert by_id["x-dsa-minors-daily-mean-2025-06-vs-10"].computed.evidence == "third-party-statistics"


def test_verified_is_said_only_of_a_match_with_a_primary_document(ledger_results, results_by_id):
    for result in ledger_results:
        for lang, word in (("en", "verified"), ("fr", "vérifié")):
            assert (result.status(lang) == word) == (result.verdict == "matches" and result.evidence == "primary"), \
                result.claim.id
    assert results_by_id["x-ncmec-reports-2024"].status() == "matches a third-party transcription"
    assert results_by_id["x-dsa-minors-daily-mean-2025-06"].status() == "matches third-party statistics"
    assert results_by_id["x-ncmec-reports-2023"].status() == "verified"


def test_tolerance_is_half_the_last_published_digit():
    claim = claims.claim("x-ncmec-reports-2024-vs-2023")
    assert claim.tolerance == pytest.approx(0.05)
    assert claims.claim("x-ncmec-reports-2024").tolerance == pytest.approx(0.5)


def _by_id(entries, claim_id):
    return next(e for e in entries if e["id"] == claim_id)


@pytest.mark.parametrize("mutate, message", [
    (lambda e: e.append(dict(e[0])), r"row \d+, column id: claim 'x-reports-drop-2025': duplicate id \(first used by entry 1\)"),
    (lambda e: e[1].pop("period"), r"row 2, column period: claim 'x-ncmec-reports-2024': missing field 'period'"),
    (lambda e: e[1]["compute"].update(function="nope"), r"column compute: claim 'x-ncmec-reports-2024': unknown function 'nope'"),
    (lambda e: e[1]["compute"].update(args={"yaer": 2024}), r"column compute: .*arguments do not fit x_reports_to_ncmec"),
    (lambda e: e[1].update(expected="true"), r"column expected: claim 'x-ncmec-reports-2024': unknown verdict 'true'"),
    (lambda e: e[1].update(evidence="verified"), r"column evidence: claim 'x-ncmec-reports-2024': unknown evidence 'verified'"),
    (lambda e: e[1].update(evidence="synthetic"), r"column evidence: .*cannot rest on synthetic data"),
    (lambda e: e[1].update(published="686 176"), r"column published: claim 'x-ncmec-reports-2024': published value '686 176' is not a number"),
    (lambda e: e[1].update(without_data="reported-only"), r"needs exactly one of 'compute' and 'without_data'"),
    (lambda e: e[0].update(colour="red"), r"unknown field 'colour'"),
    (lambda e: e[0].update(period_start="June 2025"), r"column period_start: .*'June 2025' is not YYYY-MM"),
    (lambda e: e[0].update(source_url="next.ink"), r"column source_url: .*'next.ink' is not an http\(s\) address"),
])
def test_bad_ledger_entries_are_named(tmp_path, mutate, message):
    """Reading the ledger names a bad entry; whether its computation names a measure that takes
    its arguments is checked with the measures, before any is run (verify.load_checked)."""
    path, _ = ledger_copy(tmp_path, mutate)
    with pytest.raises(DataError, match=message):
        verify.load_checked(path)
    if "column compute" in message:
        assert claims.load(path)  # the ledger alone does not know the measures


def test_verify_exit_code_flags_a_flipped_claim(tmp_path, capsys):
    assert cli.main(["verify"]) == 0
    ok = capsys.readouterr().out
    assert "x-ncmec-reports-2024" in ok and "matches a third-party transcription" in ok

    path, _ = ledger_copy(tmp_path, lambda e: _by_id(e, "x-ncmec-reports-2024").update(published=686177))
    assert cli.main(["verify", "--ledger", str(path)]) == 1
    assert ("CHANGED x-ncmec-reports-2024 (expected matches on transcription evidence, found contradicted on "
            "transcription evidence)") in capsys.readouterr().err


def test_verify_json_fields(capsys):
    assert cli.main(["verify", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"id", "published", "computed", "evidence", "verdict", "status", "status_fr", "source"} <= set(rows[0])
    transparency = next(r for r in rows if r["id"] == "x-transparency-report")
    assert transparency["computed"] == 1 and transparency["verdict"] == "contradicted"
    assert transparency["evidence"] == "primary" and transparency["status"] == "contradicted by a primary document"
    assert all(r["verified"] == (r["status"] == "verified") for r in rows)
    assert transparency["events"] == [{"what": "X Global Transparency Report, H1 2024", "date": "2024-09-25"}]
    assert next(r for r in rows if r["id"] == "grok-downloads")["computed"] is None


def test_an_event_claim_lists_the_events_with_their_dates(ledger_results):
    result = next(r for r in ledger_results if r.claim.id == "x-transparency-report")
    assert result.claim.unit == "event" and result.claim.published_text() == "none"
    assert result.computed_text("en") == "X Global Transparency Report, H1 2024 (25\u00a0September\u00a02024)"
    assert result.computed_text("fr") == "X Global Transparency Report, H1 2024 (25\u00a0septembre\u00a02024)"
    assert result.claim.tolerance is None


def test_the_standfirst_is_attributed_to_next_ink_and_flagged_as_overstating():
    standfirst = claims.claim("x-reports-drop-2025")
    assert standfirst.said_by.startswith("Next.ink") and "Paris prosecutor" in standfirst.said_by
    assert "overstates its source" in standfirst.note and "June → October 2025" in standfirst.note


def test_2025_change_is_given_in_both_readings(results_by_id):
    without, with_xai = results_by_id["x-ncmec-reports-2025-vs-2024"], results_by_id["x-and-xai-ncmec-reports-2025-vs-2024"]
    assert "X.AI" in without.claim.sentence_en and "x-and-xai-ncmec-reports-2025-vs-2024" in without.claim.note
    assert with_xai.computed.value == pytest.approx((816611 + 135373) / 686176 * 100 - 100)
    assert without.verdict == with_xai.verdict == "cannot-be-checked"


def test_english_translations_of_the_article_say_so():
    for claim in claims.load():
        assert claim.sentence("en").endswith(claims.TRANSLATION_MARK) == (claim.kind == "article")
        assert claim.sentence("fr") == claim.sentence_fr


def test_our_ledger_text_is_set_in_house_typography_and_quotes_stay_verbatim():
    raw = {e["id"]: e for e in yaml.safe_load(claims.LEDGER.read_text())}
    for claim in claims.load():
        assert "'" not in claim.sentence_en + claim.note and " %" not in claim.note
        if claim.kind == "article":
            assert claim.sentence_fr == raw[claim.id]["sentence_fr"]
    derived = claims.claim("x-ncmec-reports-2023")
    assert "870\u202f503" in derived.sentence_fr and "tableau\u202f: «\u00a0Twitter" in derived.sentence_fr


def test_notes_are_written_for_readers():
    """The gallery's fact-check prints every note: none may carry the desk's own instructions."""
    for claim in claims.load():
        assert "do not publish" not in claim.note.lower(), claim.id


def test_readme_says_what_is_verified_and_what_is_not_as_the_ledger_does(ledger_results):
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    section = factcheck.readme_section(ledger_results)
    assert section in readme, ("README out of date: run "
                               "python -c 'from analysis import factcheck; factcheck.update_readme()'")
    assert re.search(r"\*\*verified\*\* \(\d+ claims\), resting on the producer’s own document", section)
    assert "`x-transparency-report`" in section


def test_remembered_results_are_reused_until_something_read_changes(tmp_path, data_copy):
    remembered = tmp_path / "claims.json"
    first = verify.check_all(remembered=remembered)
    assert [r.status() for r in verify.check_all(remembered=remembered)] == [r.status() for r in first]
    saved = json.loads(remembered.read_text())
    saved["x-ncmec-reports-2024"]["verdict"] = "contradicted"  # a stored answer is used as it is...
    remembered.write_text(json.dumps(saved))
    again = {r.claim.id: r for r in verify.check_all(remembered=remembered)}
    assert again["x-ncmec-reports-2024"].verdict == "contradicted"
    package = data_copy / "datapackage.json"  # ...until what it read changes: then it is recomputed
    transcription = data_copy / "raw" / "ncmec" / "esp-2024-2025-diaphanous-all-rows.csv"
    transcription.write_text(transcription.read_text() + "\n")
    entry = datapackage.resource("ncmec-esp-2024-2025-transcription", package)
    datapackage.register(transcription, package=package, **{k: v for k, v in entry.items() if k in
                                                            ("name", "title", "evidence", "sources", "licenses",
                                                             "obtained", "accessed")})
    with datapackage.using(package):
        recomputed = {r.claim.id: r for r in verify.check_all(remembered=remembered)}
    assert recomputed["x-ncmec-reports-2024"].verdict == "matches"


def test_verify_shows_one_claim_with_its_evidence_and_check(capsys):
    assert cli.main(["verify", "x-ncmec-reports-2023"]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("**x-ncmec-reports-2023**") and "**verified**" in shown and "870,503" in shown
    assert cli.main(["verify", "x-ncmec-report-2023"]) == 1
    assert "did you mean 'x-ncmec-reports-2023'?" in capsys.readouterr().err


# X's own halves of 2024 (issue 21): they replace the former "year minus first half" claims.
HALVES_2024 = {  # id: (published, verdict, evidence, status)
    "x-h2-2024-reports": (313917, "matches", "transcription", "matches a third-party transcription"),
    "x-h2-2024-suspensions": (1790852, "matches", "transcription", "matches a third-party transcription"),
    "x-h1-2024-suspensions": (2781634, "matches", "primary", "verified"),
    "x-halves-2024-reports": (684505, "matches", "transcription", "matches a third-party transcription"),
    "x-halves-2024-reports-minus-ncmec": (-1671, "matches", "transcription", "matches a third-party transcription"),
    "x-halves-2024-suspensions": (4572486, "matches", "transcription", "matches a third-party transcription"),
    "x-reports-per-100-suspensions-2024-h2": (17.5, "matches", "transcription", "matches a third-party transcription"),
}


def test_x_s_own_halves_of_2024_are_in_the_ledger(results_by_id):
    assert not {"x-h2-2024-reports-implied", "x-h2-2024-suspensions-implied"} & set(results_by_id)
    for claim_id, (published, verdict, grade, status) in HALVES_2024.items():
        result = results_by_id[claim_id]
        assert (result.claim.published, result.verdict, result.evidence, result.status()) == (
            published, verdict, grade, status), claim_id
        if grade == "transcription":
            assert result.claim.source_url == "https://transparency.x.com/en/reports/global-reports/2025-transparency-report"
        assert "physical child abuse" in result.claim.note, claim_id  # X's category is not NCMEC's
    both = results_by_id["x-halves-2024-reports"]
    assert both.computed.value == 370588 + 313917
    gap = results_by_id["x-halves-2024-reports-minus-ncmec"]
    assert gap.computed.value == both.computed.value - results_by_id["x-ncmec-reports-2024"].computed.value
    for text in (both.claim.sentence_fr, gap.claim.sentence_fr):  # both numbers, in house typography
        assert "684\u202f505" in text and "686\u202f176" in text and "1\u202f671" in text
    assert gap.claim.published_text("fr") == "\u22121\u202f671"
    assert results_by_id["x-halves-2024-suspensions"].computed.value == results_by_id["x-accounts-suspended-2024"].claim.published


# NCMEC's Global Platform, France 2024 (issue 21): rounded, referrals only, 2024.
GLOBAL_PLATFORM = {  # id: (published, verdict, evidence)
    "x-france-referrals-2024-h1": (12000, "matches", "transcription"),
    "x-france-referrals-2024-h2": (9100, "matches", "transcription"),
    "x-france-referrals-2024-h1-vs-h2": (-24, "matches", "transcription"),
    "gpcep-france-reports-total-2024": (310519, "matches", "transcription"),
}


def test_the_global_platform_s_france_figures_are_in_the_ledger_with_their_caveats(results_by_id):
    for claim_id, (published, verdict, grade) in GLOBAL_PLATFORM.items():
        result = results_by_id[claim_id]
        assert (result.claim.published, result.verdict, result.evidence) == (published, verdict, grade), claim_id
        assert result.status() == "matches a third-party transcription"
        assert result.claim.source_url.startswith("https://github.com/apparebit/diaphanous/tree/a014262b")
    change = results_by_id["x-france-referrals-2024-h1-vs-h2"]
    assert change.claim.decimals == 0  # the rounding allows no finer: −27.6 % to −20.4 %
    for words in ("referrals only", "2024, not June → October 2025", "x-france-reports-drop"):
        assert words in change.claim.note, words
    # the prosecutor's figure stays reported only: the Global Platform is the nearest measure, not a check
    assert (results_by_id["x-france-reports-drop"].verdict, results_by_id["x-france-reports-drop"].evidence) == ("reported-only", "reported")
    assert "x-france-referrals-2024-h1-vs-h2" in results_by_id["x-france-reports-drop"].claim.note
    total = results_by_id["gpcep-france-reports-total-2024"]
    assert total.computed.value == results_by_id["france-ncmec-reports-2023"].computed.value  # 2023's figure, to the unit
    assert total.claim.note.startswith("A discrepancy, not a 2024 figure")


# Words that say who gave a figure. A sentence of ours that carries a reported figure must name its
# teller or say it was reported: naming the claim's id alone (a link to its row) is not enough.
ATTRIBUTION = re.compile(
    r"according to|\bsaid\b|\bsays?\b|\bgave\b|\bgives\b|\breported\b|\bquoted\b|\bannounced\b|published as|"
    r"Next\.ink|prosecutor|X Safety|NBC|Washington Post|Sensor Tower|"
    r"\bselon\b|d’après|rapporté|annoncé|cité|parquet", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z«“\"(])")


def _figure_patterns(claim: claims.Claim) -> list[re.Pattern]:
    """How our text may write a reported claim's figure, in either language (unsigned: "fell 81 %"
    says −81); none for figures too small to tell apart from other numbers."""
    value = abs(claim.published)
    if value < 10:
        return []
    texts = set()
    for lang in ("en", "fr"):
        texts.add(formatting.format_number(value, lang, claim.decimals))
        if value >= 1e6:
            texts.add(formatting.format_number(value / 1e6, lang, 1) + (" million" if lang == "en" else " millions"))
    percent = r"[\s\u00a0\u202f]?%" if claim.unit.startswith("percent") else ""
    return [re.compile(rf"(?<![\d.,\u202f]){re.escape(text)}(?![\d]|[.,]\d){percent}") for text in texts]


def test_no_sentence_of_ours_states_a_reported_figure_as_fact():
    """Issue 21: a figure only someone reported (Next.ink's "fell 81 %", X Safety's suspensions…) is
    written in our notes and sentences only with who said it, in the same sentence."""
    ledger = claims.load()
    reported = [(c, p) for c in ledger if c.evidence == evidence.REPORTED and c.published is not None
                for p in _figure_patterns(c)]
    assert len({c.id for c, _ in reported}) >= 8
    ours = [(f"{c.id} note", c.note) for c in ledger]
    ours += [(f"{c.id} {field}", getattr(c, field)) for c in ledger if c.kind != "article"
             for field in ("sentence_en", "sentence_fr")]
    unattributed = [f"{where}: {sentence!r} states {claim.id}'s figure"
                    for where, text in ours for sentence in SENTENCE_END.split(text)
                    for claim, pattern in reported if pattern.search(sentence) and not ATTRIBUTION.search(sentence)]
    assert unattributed == []


def test_the_attribution_check_catches_the_editor_s_example():
    sentence = "Either way, it sits badly with a 2025 fall of 81 % in X's reports overall (x-reports-drop-2025)."
    standfirst = claims.claim("x-reports-drop-2025")
    assert any(p.search(sentence) for p in _figure_patterns(standfirst)) and not ATTRIBUTION.search(sentence)
    assert not any(p.search("a fall of 81.4 %") for p in _figure_patterns(standfirst))


def test_every_source_is_the_document_itself_or_says_its_address_was_not_recorded():
    """Issue 21: a reader following a claim's source reaches the document, not a site's home page;
    where we did not record the address, readers are told so."""
    ledger = claims.load()
    home_pages = [(c.id, c.source_url) for c in ledger
                  if c.source_url is not None and urlparse(c.source_url).path in ("", "/")]
    assert home_pages == []
    syndicated = [c.id for c in ledger if c.source_url and "einnews" in c.source_url]
    assert syndicated == []  # NBC News is cited as NBC News, not through a syndicated copy
    standfirst = claims.claim("x-reports-drop-2025")
    assert standfirst.source_url is None
    result = verify.evaluate(standfirst)
    assert factcheck.explanation(result).endswith("Source: URL not recorded.")
    assert result.as_dict()["source_url"] is None
    assert (claims.source_text(None, "fr"), claims.source_text(float("nan"), "en")) == \
        ("URL non relevée", "URL not recorded")


def _article() -> str:
    return (paths.RAW / "press" / "nextink-2026-02-05-article-claims.md").read_text(encoding="utf-8")


def test_the_article_s_words_are_quoted_as_printed_with_their_sic():
    """Issue 21: a verbatim quote keeps its spelling, marked [sic], never silently corrected: each
    article claim's French (its quotations, or the whole sentence) is in the article as printed."""
    article = _article()
    for claim in (c for c in claims.load() if c.kind == "article"):
        quoted = [part for part, inside in formatting.quotations(claim.sentence_fr) if inside]
        for quote in quoted or [claim.sentence_fr]:
            assert quote in article, (claim.id, quote)
    assert "son rappart [sic] de transparence" in claims.claim("x-transparency-report").sentence_fr
    assert claims.claim("x-france-reports-drop").sentence_fr.endswith("pédonpornographie [sic]")


def test_a_translation_in_quotation_marks_says_so():
    """Issue 21: our French quoting an English source (NBC News) marks the quote as our translation;
    a quotation that is not one is the original's words (a name, an English keyword, the article)."""
    article = _article()
    for claim in (c for c in claims.load() if c.kind != "article"):
        parts = formatting.quotations(claim.sentence_fr)
        for (part, inside), (after, _) in zip(parts, parts[1:] + [("", False)]):
            words = part.strip("«» \u00a0\u202f")
            if inside and words not in claim.sentence_en and words not in article:
                assert after.startswith(f" {claims.TRANSLATION_MARK_FR}"), (claim.id, part)
    incidents = claims.claim("ncmec-incidents-2024").sentence_fr
    assert f"présumée\u00a0» {claims.TRANSLATION_MARK_FR}" in incidents and incidents.startswith("Selon NBC News")


def test_our_english_notes_quote_the_article_in_french_not_in_our_translation():
    """A note quoting how the article put a figure quotes its French (our English of it is a
    translation: "more than 300" is not what Next.ink wrote)."""
    for claim in (c for c in claims.load() if c.kind == "article"):
        for quote in re.findall(r'"([^"]+)"|“([^”]+)”', claim.note):
            words = "".join(quote)
            assert words in claim.sentence_fr or words not in claim.sentence_en, (claim.id, words)
    assert '"plus de 300"' in claims.claim("wapo-layoffs").note


def test_a_result_as_a_table_row_prints_values_as_published():
    row = verify.evaluate(claims.claim("x-ncmec-reports-2024")).readers_row()
    assert (row["published"], row["recomputed"], row["status"]) == ("686,176", "686,176", "matches a third-party transcription")
    french = verify.evaluate(claims.claim("x-ncmec-reports-2024-vs-2023")).readers_row("fr")
    assert french["published"] == "\u221221,2\u202f%" and french["recomputed"] == "\u221221,17\u202f%"
