"""Guided narrowing: when the finder is unsure, ask at most three short questions.

A customs expert who is unsure asks what separates the codes still in play: "roasted or
not?", "knitted or woven?", "for men or women?", "what is it mainly made of?", or simply
"which of these kinds of product?".  This module does the same from the candidates' own
texts:

1. **Unsure** means the top two candidates' scores are within :data:`MARGIN` of each
   other, or the first holds less than :data:`CONFIDENT` of the probability mass
   (a softmax over the scores, as the finder's roll-ups use).
2. **Questions** are of two kinds.  *Attribute* questions come from a small lexicon of
   families (processing state, material, construction, wearer, use…; see
   :mod:`tradewind.finder.attributes`) whose values are found in the candidates' texts;
   a family is a question only when at least two of its values occur among the
   candidates.  *Group* questions offer the chapters, headings or subheadings still in
   play, worded as the nomenclature words them.  Every question ends with "Other / don't
   know".
3. **Choice** is by information gain over the candidates' probabilities (C4.5's gain
   ratio among the questions with at least average gain, so a clean yes/no split beats a
   long list that gains a little more); the last allowed question maximises the gain
   itself, since no later question will profit from a finer split.
4. **Answers** re-weight the candidates: a candidate whose text has the chosen value
   keeps its weight, one silent on the family keeps :data:`SILENT` of it, one asserting
   another value keeps :data:`CONFLICT`.  A chapter or heading answer restricts the
   ranking to it and brings in its other subheadings; "other" pushes the listed groups
   down.  Answers are plain ``question:option`` strings, so a page can carry them in
   links and forms without JavaScript, and an API or MCP client as parameters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from tradewind.db import Database
from tradewind.errors import InvalidInput, UnknownValue
from tradewind.finder import attributes
from tradewind.finder.engine import (
    MAX_QUERY_CHARS,
    Candidate,
    FinderResult,
    _path,
    parse_query,
    search_index,
)
from tradewind.finder.fusion import DENSE_K_GUIDED
from tradewind.finder.index import FinderIndex, get_index
from tradewind.i18n import current_language
from tradewind.i18n import gettext as _
from tradewind.i18n import lazy_noop as N_
from tradewind.i18n.labels import InLanguage

MAX_QUESTIONS = 3
POOL = 50  # candidates taken from the ranking
LIVE = 50  # candidates a question is computed over (the whole pool)
MARGIN = 0.3  # top two within this share of the top score: unsure
CONFIDENT = 0.6  # or the top candidate holds less than this probability
TEMPERATURE = 0.5  # share of the top score: flatter than the roll-ups, so more is in play
SILENT = 0.4  # weight kept by a candidate whose text says nothing about the family
CONFLICT = 0.03  # weight kept by a candidate whose text contradicts the answer
OTHER_GROUP = 0.3  # "other" to a chapter/heading/subheading question: listed ones weigh less
MIN_MASS = 0.02  # an option must carry this much probability to be offered
MAX_OPTIONS = 6
MAX_OPTIONS_LAST = 8  # the last question may list a few more (no later one can)
OTHER = "other"
GROUPS = {"chapter": 2, "heading": 4, "sub": 6}
GROUP_QUESTIONS = {
    "chapter": N_("Which group of products is it in?"),
    "heading": N_("Which of these kinds of product is closest?"),
    "sub": N_("Which of these describes it best?"),
}
OTHER_LABEL = N_("Other / don't know")


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    code: str = ""  # for group questions: the chapter, heading or subheading


@dataclass(frozen=True)
class Question:
    id: str  # attribute family id, or "chapter" / "heading" / "sub"
    text: str
    options: tuple[Option, ...]  # the last one is always "other / don't know"

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "text": self.text,
                "options": [{"id": o.id, "label": o.label, "code": o.code,
                             "answer": f"{self.id}:{o.id}"} for o in self.options]}


@dataclass(frozen=True)
class Answered:
    question: str
    option: str
    question_text: str
    option_label: str

    @property
    def token(self) -> str:
        return f"{self.question}:{self.option}"


@dataclass
class GuidedResult:
    """The re-ranked result, what was answered, and the next question (or None)."""

    result: FinderResult
    answers: list[Answered] = field(default_factory=list)
    question: Question | None = None
    unsure: bool = False

    @property
    def asked(self) -> int:
        return len(self.answers)

    def tokens(self) -> list[str]:
        return [a.token for a in self.answers]

    def as_dict(self) -> dict[str, object]:
        return {"unsure": self.unsure, "asked": self.asked, "max_questions": MAX_QUESTIONS,
                "answers": [{"question": a.question, "option": a.option,
                             "question_text": a.question_text, "option_label": a.option_label,
                             "answer": a.token} for a in self.answers],
                "question": self.question.as_dict() if self.question else None}


def parse_answers(raw: list[str] | tuple[str, ...] | None) -> list[tuple[str, str]]:
    """``question:option`` strings → pairs; raises InvalidInput naming the bad one."""
    pairs: list[tuple[str, str]] = []
    for item in raw or ():
        text = (item or "").strip()
        if not text:
            continue
        question, sep, option = text.partition(":")
        question, option = question.strip(), option.strip()
        if not sep or not option or (question not in GROUPS and question not in attributes.BY_ID):
            raise UnknownValue(_("Unknown answer “%(answer)s”: expected question:option, "
                                 "as the finder offers it.", answer=text[:60]))
        if question in GROUPS and option != OTHER and (
                not option.isdigit() or len(option) != GROUPS[question]):
            raise UnknownValue(_("Unknown answer “%(answer)s”: expected question:option, "
                                 "as the finder offers it.", answer=text[:60]))
        if question in attributes.BY_ID and option != OTHER and option not in {
                v.id for v in attributes.BY_ID[question].values}:
            raise UnknownValue(_("Unknown answer “%(answer)s”: expected question:option, "
                                 "as the finder offers it.", answer=text[:60]))
        pairs.append((question, option))
    if len(pairs) > MAX_QUESTIONS:
        raise InvalidInput(_("At most %(n)s answers are used.", n=MAX_QUESTIONS))
    return pairs


class _Session:
    def __init__(self, index: FinderIndex, result: FinderResult, english: str) -> None:
        self.index = index
        self.result = result
        self.english = english
        self.scores: dict[str, float] = {c.code: max(c.score, 1e-6) for c in result.candidates}
        self.weights: dict[str, float] = dict.fromkeys(self.scores, 1.0)
        self.asked: set[str] = set()
        self.query_features = attributes.features(english)
        self._affinity: dict[int, float] | None = None
        self._last_listed: dict[str, set[str]] = {}
        self.picked = False  # the user chose a subheading: nothing left to ask
        self.max_options = MAX_OPTIONS

    # ---------------------------------------------------------------- ranking
    def ranking(self) -> list[tuple[str, float]]:
        eff = [(code, s * self.weights.get(code, 1.0)) for code, s in self.scores.items()]
        return sorted((e for e in eff if e[1] > 0), key=lambda e: (-e[1], e[0]))

    def probabilities(self, ranked: list[tuple[str, float]]) -> dict[str, float]:
        if not ranked:
            return {}
        top = ranked[0][1]
        temperature = max(TEMPERATURE * top, 1e-9)
        exp = {code: math.exp((s - top) / temperature) for code, s in ranked}
        total = sum(exp.values())
        return {code: v / total for code, v in exp.items()}

    def unsure(self) -> bool:
        ranked = self.ranking()
        if len(ranked) < 2 or self.picked:
            return False
        (_c1, s1), (_c2, s2) = ranked[0], ranked[1]
        probs = self.probabilities(ranked[:LIVE])
        return (s1 - s2) / s1 < MARGIN or probs[ranked[0][0]] < CONFIDENT

    # ---------------------------------------------------------------- texts
    def features_of(self, code: str) -> dict[str, frozenset[str]]:
        return attributes.features(self.index.descriptions.get(code, ""))

    def _bring_in(self, prefix: str) -> None:
        """Add every subheading under ``prefix`` that the ranking did not reach."""
        docs = self.index.children.get(prefix, [])
        missing = [d for d in docs if self.index.codes[d] not in self.scores]
        if not missing:
            return
        affinity = self._affinities()
        floor = min(self.scores.values()) if self.scores else 1.0
        best = max((affinity.get(d, 0.0) for d in missing), default=0.0) or 1.0
        for doc in missing:
            code = self.index.codes[doc]
            self.scores[code] = floor * (0.3 + 0.4 * affinity.get(doc, 0.0) / best)
            self.weights[code] = 1.0

    def _affinities(self) -> dict[int, float]:
        """Plain word overlap of the query with every subheading (for codes brought in)."""
        if self._affinity is None:
            parsed = parse_query(self.index, self.english)
            aff: dict[int, float] = {}
            for st in set(parsed.stems):
                idf = self.index.idf.get(st, 0.0) * parsed.weights.get(st, 1.0)
                for doc, w in self.index.postings.get(st, {}).items():
                    aff[doc] = aff.get(doc, 0.0) + idf * w
            self._affinity = aff
        return self._affinity

    # ---------------------------------------------------------------- answers
    def apply(self, question: str, option: str) -> None:
        self.asked.add(question)
        if question in GROUPS:
            n = GROUPS[question]
            if option == OTHER:
                listed = self._last_listed.get(question, set())
                for code in self.scores:
                    if code[:n] in listed:
                        self.weights[code] *= OTHER_GROUP
                return
            if n < 6:
                self._bring_in(option)
            else:
                self.picked = True
            for code in self.scores:
                if code[:n] != option:
                    self.weights[code] = 0.0 if n < 6 else self.weights[code] * CONFLICT
            return
        if option == OTHER:
            return
        for code in self.scores:
            values = self.features_of(code).get(question)
            if not values:
                self.weights[code] *= SILENT
            elif option not in values:
                self.weights[code] *= CONFLICT

    # ---------------------------------------------------------------- questions
    def next_question(self, remaining: int) -> Question | None:
        ranked = self.ranking()[:LIVE]
        probs = self.probabilities(ranked)
        if len(probs) < 2:
            return None
        prior = _entropy(probs.values())
        self.max_options = MAX_OPTIONS_LAST if remaining <= 1 else MAX_OPTIONS
        scored: list[tuple[float, float, Question]] = []
        for family in attributes.FAMILIES:
            if family.id in self.asked or family.id in self.query_features:
                continue
            q = self._attribute_question(family, probs, prior)
            if q:
                scored.append(q)
        for group, n in GROUPS.items():
            if group in self.asked:
                continue
            q = self._group_question(group, n, probs, prior)
            if q:
                scored.append(q)
        scored = [s for s in scored if s[0] > 1e-6]
        if not scored:
            return None
        if remaining <= 1:
            return max(scored, key=lambda s: s[0])[2]
        mean_gain = sum(s[0] for s in scored) / len(scored)
        eligible = [s for s in scored if s[0] >= mean_gain]
        return max(eligible, key=lambda s: (s[1], s[0]))[2]

    def _attribute_question(self, family: attributes.Family, probs: dict[str, float],
                            prior: float) -> tuple[float, float, Question] | None:
        feats = {code: self.features_of(code).get(family.id, frozenset()) for code in probs}
        mass: dict[str, float] = {}
        for code, p in probs.items():
            for value in feats[code]:
                mass[value] = mass.get(value, 0.0) + p / len(feats[code])
        offered = [v for v in family.values if mass.get(v.id, 0.0) >= MIN_MASS][:MAX_OPTIONS]
        if len(offered) < 2:
            return None
        ids = {v.id for v in offered}
        answer_mass: dict[str, float] = {}
        posts: dict[str, list[float]] = {}
        for v in offered:
            answer_mass[v.id] = mass[v.id]
            posts[v.id] = [p * (1.0 if v.id in feats[c] else SILENT if not feats[c]
                                else CONFLICT) for c, p in probs.items()]
        other = max(0.0, 1.0 - sum(answer_mass.values()))
        expected = sum(m * _entropy(posts[k]) for k, m in answer_mass.items()) + other * prior
        gain = prior - expected
        split = _entropy([*answer_mass.values(), other])
        options = tuple(Option(v.id, _(v.label)) for v in offered if v.id in ids)
        question = Question(family.id, _(family.question),
                            (*options, Option(OTHER, _(OTHER_LABEL))))
        return gain, gain / max(split, 1e-9), question

    def _group_question(self, group: str, n: int, probs: dict[str, float],
                        prior: float) -> tuple[float, float, Question] | None:
        mass: dict[str, float] = {}
        for code, p in probs.items():
            mass[code[:n]] = mass.get(code[:n], 0.0) + p
        offered = [k for k, m in sorted(mass.items(), key=lambda kv: (-kv[1], kv[0]))
                   if m >= MIN_MASS][:self.max_options]
        if len(offered) < 2:
            return None
        listed = set(offered)
        answer_mass = {k: mass[k] for k in offered}
        other = max(0.0, 1.0 - sum(answer_mass.values()))
        # A group answer keeps only that group: its posterior entropy is within the group.
        expected = sum(m * _entropy([p for c, p in probs.items() if c[:n] == k])
                       for k, m in answer_mass.items())
        rest = [p * (OTHER_GROUP if c[:n] in listed else 1.0) for c, p in probs.items()]
        expected += other * _entropy(rest)
        gain = prior - expected
        split = _entropy([*answer_mass.values(), other])
        options = tuple(Option(k, _label(self.index, k), k) for k in offered)
        self._last_listed[group] = listed
        return gain, gain / max(split, 1e-9), Question(
            group, _(GROUP_QUESTIONS[group]), (*options, Option(OTHER, _(OTHER_LABEL))))


def _label(index: FinderIndex, code: str) -> str:
    """The group's description, in the reader's language where the operator imported it
    (marked with its language, so that pages mark the English ones)."""
    lang = current_language.get()
    local = index.localised.get(lang, {}).get(code)
    text = local or index.descriptions.get(code, code)
    short = text if len(text) <= 140 else text[:137].rstrip() + "…"
    return InLanguage(short, lang) if local else short


def _entropy(weights: object) -> float:
    values = [float(w) for w in weights if w > 0]  # type: ignore[attr-defined]
    total = sum(values)
    if total <= 0:
        return 0.0
    return -sum(w / total * math.log2(w / total) for w in values)


def guide(index: FinderIndex, result: FinderResult, answers: list[tuple[str, str]],
          *, english: str | None = None, limit: int = 10) -> GuidedResult:
    """Re-rank ``result`` with the answers given so far and pick the next question.

    ``result`` should hold up to :data:`POOL` candidates; ``english`` is the query as
    searched (after translation).  Answers that no longer fit (a question not asked)
    still apply, so a link keeps working when the index changes.
    """
    session = _Session(index, result, english or result.query)
    answered: list[Answered] = []
    for asked, option in answers:
        label = option
        if asked in GROUPS:
            # Rebuild the options as they were offered, so "other" knows the listed groups.
            if option == OTHER:
                session.next_question(MAX_QUESTIONS - len(answered))
            q_text = _(GROUP_QUESTIONS[asked])
            if option != OTHER:
                label = _label(index, option)
        else:
            family = attributes.BY_ID[asked]
            q_text = _(family.question)
            label = next((_(v.label) for v in family.values if v.id == option), label)
        if option == OTHER:
            label = _(OTHER_LABEL)
        session.apply(asked, option)
        answered.append(Answered(asked, option, q_text, label))
    if result.is_code or not session.scores:
        return GuidedResult(result, answered, None, False)
    unsure = session.unsure()
    question: Question | None = None
    if unsure and len(answered) < MAX_QUESTIONS:
        question = session.next_question(MAX_QUESTIONS - len(answered))
    ranked = session.ranking()
    by_code = {c.code: c for c in result.candidates}
    candidates: list[Candidate] = []
    for code, score in ranked[:limit]:
        cand = by_code.get(code)
        if cand is None:
            cand = Candidate(code=code, description=index.descriptions[code], score=0.0,
                             path=_path(index, code),
                             reason=_("brought in by your answers (same heading or chapter)"))
        reasons = [cand.reason]
        if answered:
            reasons.append(_("fits your answers"))
        candidates.append(Candidate(code=cand.code, description=cand.description,
                                    score=round(score, 4), path=cand.path,
                                    reason="; ".join(reasons), matched=cand.matched,
                                    synonyms=cand.synonyms, sources=cand.sources,
                                    evidence=list(cand.evidence)))
    narrowed = FinderResult(query=result.query, candidates=candidates,
                            headings=result.headings, chapters=result.chapters,
                            terms=result.terms, corrections=result.corrections,
                            ignored=result.ignored, is_code=result.is_code,
                            ambiguous=result.ambiguous and not answered, notes=result.notes)
    return GuidedResult(narrowed, answered, question, unsure)


def guided_products(db: Database, query: str, answers: list[tuple[str, str]],
                    *, limit: int = 10) -> GuidedResult:
    """The finder's search (any language, with evidence) narrowed by ``answers``."""
    from tradewind.finder import search_products
    from tradewind.finder.multilingual import to_english

    result = search_products(db, query, limit=POOL, dense_k=DENSE_K_GUIDED)
    translation = to_english(query) if len(query or "") <= MAX_QUERY_CHARS else None
    english = translation.english if translation and translation.language and \
        translation.english.strip() else query
    return guide(get_index(db), result, answers, english=english, limit=limit)


def guided_search(index: FinderIndex, query: str, answers: list[tuple[str, str]],
                  *, limit: int = 10) -> GuidedResult:
    """Search ``query`` (English) on ``index`` and narrow with ``answers``."""
    # A wider pool of encoder neighbours: the questions narrow it (DENSE_K_GUIDED chosen
    # on the UK search references: 80.8 % → 82.8 % right within three questions, 20 → 80).
    result = search_index(index, query, limit=POOL, dense_k=DENSE_K_GUIDED)
    return guide(index, result, answers, english=query, limit=limit)
