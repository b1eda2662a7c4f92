"""What a number rests on, what our check found, and the one status word readers see.

Three words, defined here and nowhere else:

- **evidence**: what a figure rests on, from strongest to weakest (:data:`EVIDENCE`). Every row of
  every series and every mark a chart draws carries one; a computation is only as strong as its
  weakest input, and arithmetic on a reported figure is *arithmetic on reported figures*.
- **verdict**: what checking a published figure found (:data:`VERDICTS`).
- **status**: what readers see, derived from both by :func:`status`: "verified" only where a
  figure matches a primary document; otherwise words that say the grade, in French and English.

>>> weakest(PRIMARY, TRANSCRIPTION)
'transcription'
>>> computed(PRIMARY, REPORTED)
'arithmetic-on-reported'
>>> status(MATCHES, PRIMARY), status(MATCHES, TRANSCRIPTION)
('verified', 'matches a third-party transcription')
>>> status(MATCHES, THIRD_PARTY_STATISTICS, "fr")
'concorde avec les statistiques d’un tiers'
>>> within_published_precision(-81.43, -81.4, decimals=1)
True
"""

from __future__ import annotations

PRIMARY = "primary"  # the producer's own document (NCMEC's PDF, X's own report), read by our code
TRANSCRIPTION = "transcription"  # a named third party's transcription of a primary document it cites
THIRD_PARTY_STATISTICS = "third-party-statistics"  # statistics a named third party computed (shantay)
REPORTED = "reported"  # a figure someone reported (the press, X Safety's post): nothing to check it with
ARITHMETIC_ON_REPORTED = "arithmetic-on-reported"  # our computation on at least one reported figure
UNSOURCED = "unsourced"  # a transcription that cites no document: it may neither verify nor contradict
COLLECTED = "collected"  # collected by us (our own App Store snapshots)
SYNTHETIC = "synthetic"  # made up, for tests and demonstrations: never published

# From strongest to weakest.
EVIDENCE = (PRIMARY, TRANSCRIPTION, THIRD_PARTY_STATISTICS, REPORTED, ARITHMETIC_ON_REPORTED, UNSOURCED,
            COLLECTED, SYNTHETIC)

MATCHES = "matches"  # recomputed within the published rounding
CONTRADICTED = "contradicted"  # recomputed, and the data say otherwise
CANNOT_BE_CHECKED = "cannot-be-checked"  # no public data we hold can confirm or refute it
REPORTED_ONLY = "reported-only"  # it rests on who said it: no data exist to check it with
VERDICTS = (MATCHES, CONTRADICTED, CANNOT_BE_CHECKED, REPORTED_ONLY)

# What a figure rests on, as readers read it (a chart's CSV, a legend, the README).
DESCRIPTION = {
    PRIMARY: {"en": "primary document", "fr": "document d’origine"},
    TRANSCRIPTION: {"en": "third-party transcription of a primary document",
                    "fr": "transcription d’un document d’origine par un tiers"},
    THIRD_PARTY_STATISTICS: {"en": "third-party statistics", "fr": "statistiques calculées par un tiers"},
    REPORTED: {"en": "reported figure", "fr": "chiffre rapporté"},
    ARITHMETIC_ON_REPORTED: {"en": "arithmetic on reported figures", "fr": "calcul sur des chiffres rapportés"},
    UNSOURCED: {"en": "unsourced transcription (unverified)", "fr": "transcription sans source (non vérifiée)"},
    COLLECTED: {"en": "collected by us", "fr": "relevé par nos soins"},
    SYNTHETIC: {"en": "synthetic (never published)", "fr": "synthétique (jamais publié)"},
}
# What a figure that matches its check is called, by what the check rests on.
_MATCHES = {
    PRIMARY: {"en": "verified", "fr": "vérifié"},
    TRANSCRIPTION: {"en": "matches a third-party transcription", "fr": "concorde avec une transcription par un tiers"},
    THIRD_PARTY_STATISTICS: {"en": "matches third-party statistics", "fr": "concorde avec les statistiques d’un tiers"},
    REPORTED: {"en": "matches a reported figure", "fr": "concorde avec un chiffre rapporté"},
    ARITHMETIC_ON_REPORTED: {"en": "arithmetic checked, on reported figures",
                             "fr": "calcul vérifié, sur des chiffres rapportés"},
    COLLECTED: {"en": "matches our own records", "fr": "concorde avec nos relevés"},
}
_CONTRADICTED = {
    PRIMARY: {"en": "contradicted by a primary document", "fr": "contredit par un document d’origine"},
    TRANSCRIPTION: {"en": "contradicted by a third-party transcription",
                    "fr": "contredit par une transcription par un tiers"},
    THIRD_PARTY_STATISTICS: {"en": "contradicted by third-party statistics",
                             "fr": "contredit par les statistiques d’un tiers"},
    REPORTED: {"en": "contradicted by a reported figure", "fr": "contredit par un chiffre rapporté"},
    ARITHMETIC_ON_REPORTED: {"en": "contradicted by arithmetic on reported figures",
                             "fr": "contredit par un calcul sur des chiffres rapportés"},
    COLLECTED: {"en": "contradicted by our own records", "fr": "contredit par nos relevés"},
}
_WITHOUT_CHECK = {
    CANNOT_BE_CHECKED: {"en": "cannot be checked with public data", "fr": "invérifiable avec les données publiques"},
    REPORTED_ONLY: {"en": "reported only", "fr": "seulement rapporté"},
}


def check_evidence(word: str, where: str = "") -> str:
    """``word`` if it is an evidence grade; a ValueError naming the known ones otherwise."""
    if word not in EVIDENCE:
        raise ValueError(f"unknown evidence {word!r}{' in ' + where if where else ''}; known: {', '.join(EVIDENCE)}")
    return word


def weakest(*grades: str) -> str:
    """The weakest of the grades: what a combination of them rests on."""
    for grade in grades:
        check_evidence(grade)
    return max(grades, key=EVIDENCE.index)


def computed(*inputs: str) -> str:
    """The evidence of our computation on figures of these grades: the weakest, and arithmetic
    (not the figure itself) where that is a reported one."""
    found = weakest(*inputs)
    return ARITHMETIC_ON_REPORTED if found == REPORTED else found


def publishable(grade: str) -> bool:
    """Whether a figure of this grade may be drawn for readers, and so verify or contradict a claim
    (unsourced and synthetic figures may not: a claim resting on them cannot be checked)."""
    return check_evidence(grade) not in (UNSOURCED, SYNTHETIC)


def status(verdict: str, grade: str, lang: str = "en") -> str:
    """The status readers see for a figure whose check found ``verdict``, resting on ``grade``."""
    check_evidence(grade)
    if verdict == MATCHES:
        words = _MATCHES.get(grade)
    elif verdict == CONTRADICTED:
        words = _CONTRADICTED.get(grade)
    elif verdict in _WITHOUT_CHECK:
        words = _WITHOUT_CHECK[verdict]
    else:
        raise ValueError(f"unknown verdict {verdict!r}; known: {', '.join(VERDICTS)}")
    if words is None:
        raise ValueError(f"no status for the verdict {verdict!r} on {grade!r} evidence: such figures can "
                         "neither verify nor contradict a claim")
    return words[lang]


def verified(verdict: str, grade: str) -> bool:
    """Whether the figure is verified: it matches, and what it matches is a primary document."""
    return verdict == MATCHES and grade == PRIMARY


def tolerance(decimals: int) -> float:
    """Half a unit of the last published digit: 81.4 covers 81.35 to 81.45."""
    return 0.5 * 10 ** -decimals


def within_published_precision(value: float, published: float, decimals: int) -> bool:
    """Whether ``value`` rounds to ``published`` at the published precision."""
    return abs(value - published) <= tolerance(decimals) + 1e-9
