"""The market-access answer: what duty a product from one economy faces in another on a date.

It gathers the named tariff and agreement queries into one :class:`MarketAccessAnswer`
(used by the web page, the API and the CLI) and says it in plain language.  Whatever is
missing or doubtful is stated: no schedule for the destination, an old import, duty text
that could not be read (shown verbatim), preferences that cannot be ranked.  Nothing is
guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from tradewind.access.unions import (
    UnionTaxes,
    is_customs_union,
    resolve_member_state,
    union_sentences,
    union_taxes,
)
from tradewind.agreements.queries import AgreementInfo, AgreementLink, is_group
from tradewind.countries.reference import country_name, resolve_country
from tradewind.datasets.queries import Provenance
from tradewind.errors import ConflictingInput, InvalidCode, InvalidInput
from tradewind.i18n import current_language
from tradewind.i18n import gettext as _
from tradewind.i18n import lazy_noop as N_
from tradewind.i18n.duties import reader_duty
from tradewind.i18n.formatting import format_day, format_percent_value
from tradewind.i18n.grammar import GROUPS, country_phrase, short_name
from tradewind.i18n.labels import label as code_label
from tradewind.i18n.labels import sentence_quoting_english
from tradewind.nomenclature.codes import normalize_code
from tradewind.nomenclature.notes import FLAG_TEXTS
from tradewind.tariffs.duty import Duty
from tradewind.tariffs.queries import (
    AdditionalDuty,
    DomesticTax,
    ScheduleInfo,
    TariffRate,
    ValuationBasis,
    domestic_taxes,
    rates_for,
)

#: A schedule imported longer ago than this is flagged as possibly out of date.
STALE_AFTER_DAYS = 365
EDITION = "HS2022"

# General guidance by HS chapter, stated as such (not a destination-specific requirement).
_CHAPTER_GUIDANCE: tuple[tuple[range, str], ...] = (
    (range(1, 25), N_("Food, plants and animal products usually need sanitary or phytosanitary "
                   "(SPS) certificates and must meet the destination's food-safety rules.")),
    (range(28, 39), N_("Chemicals may need registration, safety data sheets and hazard labels "
                    "in the destination's language.")),
    (range(50, 64), N_("Textiles and clothing usually need fibre-content and care labels.")),
    (range(84, 86), N_("Machines and electrical goods usually need proof of conformity with "
                    "the destination's safety and electromagnetic-compatibility standards.")),
    (range(94, 96), N_("Furniture and toys usually need proof of conformity with product-safety "
                    "standards.")),
)


def resolve_economy(conn: Connection, text: str) -> str:
    """ISO3 for a country code or name, or a group code such as EUN."""
    try:
        return resolve_country(text)  # no database round trip for the usual case
    except InvalidInput:
        code = (text or "").strip().upper()
        if len(code) == 3 and is_group(conn, code):
            return code
        raise


def economy_label(code: str) -> str:
    if code in GROUPS:
        return short_name(code, current_language.get())
    return country_name(code, current_language.get())


def parse_product(text: str) -> str:
    """A 6-digit HS code from user input ("0901.11" → "090111")."""
    digits = normalize_code(text, national=True)
    if len(digits) < 6:
        raise InvalidInput(N_("%(text)r is an HS chapter or heading: the duty depends on the "
                              "6-digit subheading; pick one in the HS code finder"), text=text,
                           field="product")
    return digits[:6]


def fmt_percent(value: Decimal) -> str:
    """A percentage as the reader's language writes it (12.8% / 12,8 %)."""
    return format_percent_value(value, digits=4)


@dataclass
class RateView:
    """One rate as shown: verbatim text, canonical form, and whether it was understood."""

    kind: str  # mfn | preferential | quota_in | quota_out
    national_code: str
    description: str
    scheme: str
    duty_text: str
    formatted: str
    parse_ok: bool
    problem: str
    ad_valorem: Decimal | None  # percent when Free or purely ad valorem
    duty: Duty
    agreement_id: int | None = None
    agreement_name: str = ""
    via: str | None = None
    quota_volume: float | None = None
    quota_unit: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None

    @classmethod
    def of(cls, rate: TariffRate, agreement: AgreementInfo | None = None) -> RateView:
        return cls(
            kind=rate.rate_type, national_code=rate.national_code, description=rate.description,
            scheme=rate.scheme, duty_text=rate.duty.text, formatted=rate.duty.formatted(),
            parse_ok=rate.duty.parse_ok, problem=rate.duty.problem,
            ad_valorem=rate.duty.ad_valorem_percent, duty=rate.duty,
            agreement_id=rate.agreement_id, agreement_name=agreement.name if agreement else "",
            via=rate.via, quota_volume=rate.quota_volume, quota_unit=rate.quota_unit,
            valid_from=rate.valid_from, valid_to=rate.valid_to)

    @property
    def label(self) -> str:
        if self.kind == "mfn":
            return _("MFN")
        return self.agreement_name or self.scheme or _("Preference")

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "national_code": self.national_code,
            "description": self.description, "scheme": self.scheme, "label": self.label,
            "duty_text": self.duty_text, "formatted": self.formatted, "parse_ok": self.parse_ok,
            "problem": self.problem,
            "ad_valorem": str(self.ad_valorem) if self.ad_valorem is not None else None,
            "agreement_id": self.agreement_id, "agreement": self.agreement_name or None,
            "via": self.via, "quota_volume": self.quota_volume, "quota_unit": self.quota_unit,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
        }


@dataclass
class LineAnswer:
    """One national tariff line under the HS subheading."""

    national_code: str
    description: str
    mfn: RateView | None
    preferences: list[RateView]
    quotas: list[RateView]
    best: RateView | None  # lowest rankable rate among MFN and preferences
    saving_points: Decimal | None  # MFN percent minus best percent
    unranked: list[RateView]  # rates that cannot be ranked (specific, compound, unparsed)

    def as_dict(self) -> dict[str, Any]:
        return {
            "national_code": self.national_code, "description": self.description,
            "mfn": self.mfn.as_dict() if self.mfn else None,
            "preferences": [p.as_dict() for p in self.preferences],
            "quotas": [q.as_dict() for q in self.quotas],
            "best": self.best.as_dict() if self.best else None,
            "saving_points": str(self.saving_points) if self.saving_points is not None
            else None,
            "unranked": [u.as_dict() for u in self.unranked],
        }


@dataclass
class PreferenceConditions:
    """What an origin must show to use an agreement's preference."""

    agreement_id: int
    agreement_name: str
    agreement_type: str
    via: str | None
    general_rule: str = ""
    cumulation: str = ""
    proof_of_origin: str = ""
    legal_text_url: str = ""
    product_rules: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"agreement_id": self.agreement_id, "agreement": self.agreement_name,
                "type": self.agreement_type, "via": self.via,
                "general_rule": self.general_rule, "cumulation": self.cumulation,
                "proof_of_origin": self.proof_of_origin, "legal_text_url": self.legal_text_url,
                "product_rules": self.product_rules}


@dataclass
class MarketAccessAnswer:
    product: str
    product_description: str
    origin: str
    destination: str
    as_of: date
    schedule: ScheduleInfo | None
    lines: list[LineAnswer]
    additional: list[AdditionalDuty]
    taxes: list[DomesticTax]
    valuation: ValuationBasis
    conditions: list[PreferenceConditions]
    agreements: list[AgreementLink]
    agreements_without_preference: list[AgreementLink]
    origin_wto_member: bool
    destination_wto_member: bool
    requirements: list[str]
    sentences: list[str]
    warnings: list[str]
    provenance: list[Provenance]
    # --- right answers (issue 11): a customs union as destination ---
    member_state: str | None = None  # the member state whose taxes are shown
    union_taxes: UnionTaxes | None = None  # each member's taxes until one is chosen
    # Issue 9: measures by MAST chapter, procedure, documents checklist, notifications.
    market_requirements: Any = None
    requirements_summary: str = ""

    @property
    def is_sample(self) -> bool:
        return any(p.is_sample for p in self.provenance)

    @property
    def has_schedule(self) -> bool:
        return self.schedule is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "product": self.product, "product_description": self.product_description,
            "origin": self.origin, "destination": self.destination,
            "as_of": self.as_of.isoformat(),
            "schedule": ({"id": self.schedule.id, "economy": self.schedule.economy,
                          "name": self.schedule.name, "currency": self.schedule.currency,
                          "nomenclature": self.schedule.nomenclature}
                         if self.schedule else None),
            "lines": [line.as_dict() for line in self.lines],
            "additional_duties": [_additional_dict(a) for a in self.additional],
            "taxes": [{"kind": t.kind, "name": t.name, "rate_text": t.duty.text,
                       "formatted": t.duty.formatted(), "parse_ok": t.duty.parse_ok,
                       "base": t.base, "hs_prefix": t.hs_prefix} for t in self.taxes],
            "valuation_basis": {"basis": self.valuation.basis, "source": self.valuation.source,
                                "note": self.valuation.note},
            "conditions": [c.as_dict() for c in self.conditions],
            "agreements": [{"id": link.agreement.id, "name": link.agreement.name,
                            "type": link.agreement.type, "origin_party": link.party_a,
                            "destination_party": link.party_b, "one_way": link.one_way,
                            "grantor": link.grantor} for link in self.agreements],
            "wto": {"origin": self.origin_wto_member, "destination": self.destination_wto_member},
            "requirements": self.requirements,
            "market_requirements": ({**self.market_requirements.as_dict(),
                                     "summary": self.requirements_summary}
                                    if self.market_requirements is not None else None),
            "sentences": self.sentences,
            "warnings": self.warnings,
            "sample": self.is_sample,
            "provenance": [p.as_dict() for p in self.provenance],
            "member_state": self.member_state,
            "union_taxes": self.union_taxes.as_dict() if self.union_taxes else None,
        }


def _additional_dict(a: AdditionalDuty) -> dict[str, Any]:
    return {"heading": a.heading, "authority": a.authority, "description": a.description,
            "duty_text": a.duty.text, "formatted": a.duty.formatted(),
            "parse_ok": a.duty.parse_ok, "problem": a.duty.problem,
            "origin_mode": a.origin_mode, "product_scope": a.product_scope,
            "product_codes": list(a.product_codes)}


def _rank(view: RateView) -> Decimal | None:
    return view.ad_valorem if view.parse_ok else None


def _line_answers(mfn: list[TariffRate], prefs: list[TariffRate], quota: list[TariffRate],
                  agreements: dict[int, AgreementInfo]) -> list[LineAnswer]:
    by_code: dict[str, LineAnswer] = {}
    order: list[str] = []

    def line(rate: TariffRate) -> LineAnswer:
        if rate.national_code not in by_code:
            by_code[rate.national_code] = LineAnswer(rate.national_code, rate.description, None,
                                                     [], [], None, None, [])
            order.append(rate.national_code)
        return by_code[rate.national_code]

    for rate in mfn:
        item = line(rate)
        if item.mfn is None:
            item.mfn = RateView.of(rate)
    for rate in prefs:
        line(rate).preferences.append(
            RateView.of(rate, agreements.get(rate.agreement_id) if rate.agreement_id else None))
    for rate in quota:
        line(rate).quotas.append(
            RateView.of(rate, agreements.get(rate.agreement_id) if rate.agreement_id else None))
    for item in by_code.values():
        candidates = ([item.mfn] if item.mfn else []) + item.preferences
        ranked = [(value, c) for c in candidates if (value := _rank(c)) is not None]
        item.unranked = [c for c in candidates if _rank(c) is None]
        if ranked:
            # lowest percentage; on a tie prefer MFN (no paperwork needed)
            ranked.sort(key=lambda pair: (pair[0], pair[1].kind != "mfn"))
            # a percentage beats a specific or unread rate only when it is zero
            if item.unranked and ranked[0][0] != 0:
                continue
            item.best = ranked[0][1]
            mfn_pct = _rank(item.mfn) if item.mfn else None
            if mfn_pct is not None and item.best.ad_valorem is not None:
                item.saving_points = mfn_pct - item.best.ad_valorem
    return [by_code[code] for code in order]


def _describe_rate(view: RateView) -> str:
    if not view.parse_ok:
        return _("“%(text)s” (not understood automatically: read it as written)",
                 text=view.duty_text)
    if view.ad_valorem is not None:
        return _("0% (duty-free)") if view.ad_valorem == 0 else fmt_percent(view.ad_valorem)
    return reader_duty(view.duty)


def _requirements(product: str, eu_flags: list[str],
                  conditions: list[PreferenceConditions]) -> list[str]:
    out: list[str] = []
    order = list(FLAG_TEXTS)
    for flag in sorted(eu_flags, key=lambda f: order.index(f) if f in order else 99):
        title, text = FLAG_TEXTS.get(flag, (flag, ""))
        out.append(f"{_(title)}: {_(text)}" if text else title)
    chapter = int(product[:2])
    for chapters, text in _CHAPTER_GUIDANCE:
        if chapter in chapters:
            out.append(_("General guidance: %(text)s", text=_(text)))
    for c in conditions:
        if c.proof_of_origin:
            out.append(sentence_quoting_english(
                "To claim %(agreement)s: %(proof)s", ("proof",),
                agreement=c.agreement_name, proof=c.proof_of_origin))
    return out


def market_access(conn: Connection, product: str, origin: str, destination: str,
                  as_of: date | None = None, *,
                  member_state: str | None = None) -> MarketAccessAnswer:
    """The answer of :func:`compute_market_access`, computed once per inputs, language, day
    and dataset version and shared by every instance (:mod:`tradewind.aggcache`)."""
    from tradewind.aggcache import cached_aggregate
    from tradewind.i18n import current_language

    inputs = (str(product), str(origin), str(destination), as_of, member_state or None,
              current_language.get(), date.today())
    return cached_aggregate(  # type: ignore[no-any-return]
        conn, "market_access", inputs,
        lambda: compute_market_access(conn, product, origin, destination, as_of,
                                      member_state=member_state))


def compute_market_access(conn: Connection, product: str, origin: str, destination: str,
                          as_of: date | None = None, *,
                          member_state: str | None = None) -> MarketAccessAnswer:
    """The full answer for (product, origin, destination, date); inputs are user text.

    When the destination is a customs union, ``member_state`` (user text) chooses whose VAT
    and excise apply; without it the answer lists each tax as a range over the members.
    """
    day = as_of or date.today()
    hs6 = parse_product(product)
    origin_code = resolve_economy(conn, origin)
    destination_code = resolve_economy(conn, destination)
    if origin_code == destination_code:
        raise ConflictingInput(N_("the origin and the destination are the same economy"),
                           field="destination")

    facts = rates_for(conn, destination_code, hs6, origin_code, day)
    if facts.hs_description is None:
        raise InvalidCode(code=product, edition=EDITION, reason=N_("no such subheading"),
                          field_name="product", missing=True)
    schedule = facts.schedule
    warnings: list[str] = []
    provenance = facts.provenance
    mfn, prefs, quota = facts.mfn, facts.preferential, facts.quotas
    if schedule is None:
        warnings.append(_("No tariff schedule for %(destination)s is available on %(date)s: "
                          "the duty cannot be stated. An operator can import one.",
                          destination=economy_label(destination_code), date=day.isoformat()))
    else:
        dataset = next((p for p in provenance if p.id == schedule.dataset_id), None)
        if dataset is not None:
            age = (datetime.now(UTC) - dataset.imported_at).days
            if age > STALE_AFTER_DAYS:
                warnings.append(_("The %(name)s schedule was imported %(days)s days ago: rates "
                                  "may have changed since.", name=schedule.name, days=age))
        if not mfn:
            warnings.append(_("The %(name)s schedule has no line for HS %(code)s on %(date)s.",
                              name=schedule.name, code=hs6, date=day.isoformat()))
    extra, taxes, basis = facts.additional, facts.taxes, facts.valuation
    member_code: str | None = None
    in_union: UnionTaxes | None = None
    if is_customs_union(conn, destination_code):
        if member_state and member_state.strip():
            member_code = resolve_member_state(conn, destination_code, member_state, day)
            taxes = domestic_taxes(conn, member_code, hs6, day)
        else:
            in_union = union_taxes(conn, destination_code, hs6, day)
    elif member_state and member_state.strip():
        raise ConflictingInput(N_("A member state can only be chosen when the destination is a "
                              "customs union."), field="member_state")
    agreements = facts.agreements
    agreement_ids = set(agreements)
    lines = _line_answers(mfn, prefs, quota, agreements)

    conditions: list[PreferenceConditions] = []
    via_of = {r.agreement_id: r.via for r in prefs if r.agreement_id is not None}
    for agreement_id, info in agreements.items():
        rules = facts.origin_rules.get(agreement_id)
        conditions.append(PreferenceConditions(
            agreement_id=agreement_id, agreement_name=info.name, agreement_type=info.type,
            via=via_of.get(agreement_id),
            general_rule=rules.general_rule if rules else "",
            cumulation=rules.cumulation if rules else "",
            proof_of_origin=rules.proof_of_origin if rules else "",
            legal_text_url=(rules.legal_text_url if rules and rules.legal_text_url
                            else info.legal_text_url),
            product_rules=[r.rule_text for r in facts.product_rules.get(agreement_id, [])]))

    links = facts.links
    without = [link for link in links if link.agreement.id not in agreement_ids]
    origin_wto = facts.is_wto_member(origin_code)
    destination_wto = facts.is_wto_member(destination_code)
    in_eu = "EUN" in (destination_code, *facts.destination_groups) or (
        schedule is not None and schedule.economy == "EUN")
    requirements = _requirements(hs6, facts.hs_flags if in_eu else [], conditions)

    for item in lines:
        for view in ([item.mfn] if item.mfn else []) + item.preferences + item.quotas:
            if not view.parse_ok:
                warnings.append(_("Line %(line)s: the %(label)s duty “%(text)s” could not be "
                                  "read automatically; it is shown as written and not "
                                  "counted as zero.", line=item.national_code, label=view.label,
                                  text=view.duty_text))
    for a in extra:
        if not a.duty.parse_ok:
            warnings.append(_("The additional duty %(heading)s “%(text)s” could not be read "
                              "automatically; it is shown as written.", heading=a.heading,
                              text=a.duty.text))
    if taxes == [] and schedule is not None and in_union is None:
        warnings.append(_("No VAT, GST or excise is recorded for %(destination)s.",
                          destination=economy_label(member_code or destination_code)))

    answer = MarketAccessAnswer(
        product=hs6, product_description=facts.hs_description, origin=origin_code,
        destination=destination_code, as_of=day, schedule=schedule, lines=lines,
        additional=extra, taxes=taxes, valuation=basis, conditions=conditions,
        agreements=links, agreements_without_preference=without,
        origin_wto_member=origin_wto, destination_wto_member=destination_wto,
        requirements=requirements, sentences=[], warnings=warnings, provenance=provenance,
        member_state=member_code, union_taxes=in_union)
    answer.sentences = explain(answer)
    _attach_requirements(conn, answer)
    return answer


def _attach_requirements(conn: Connection, answer: MarketAccessAnswer) -> None:
    """The non-tariff side of the answer (same query as the requirements page)."""
    from tradewind.procedures.answer import attach_procedures, summary
    from tradewind.requirements.queries import requirements_for

    found = requirements_for(conn, product=answer.product, destination=answer.destination,
                             origin=answer.origin, as_of=answer.as_of)
    answer.market_requirements = attach_procedures(conn, found)
    answer.requirements_summary = summary(found, economy_label(answer.destination))


def explain(answer: MarketAccessAnswer) -> list[str]:
    """The answer in plain sentences (in the current language)."""
    origin = economy_label(answer.origin)
    destination = economy_label(answer.destination)
    in_origin = country_phrase(answer.origin, "in")
    from_origin = country_phrase(answer.origin, "from")
    out = [_("%(product)s (HS %(code)s) made %(in_origin)s and sold %(to_destination)s on "
             "%(date)s:", product=answer.product_description, code=answer.product,
             in_origin=in_origin, to_destination=country_phrase(answer.destination, "to"),
             date=format_day(answer.as_of))]
    if answer.schedule is None:
        out.append(_("We have no tariff schedule for %(destination)s, so we cannot say "
                     "which duty applies.", destination=destination))
    elif not answer.lines:
        out.append(_("The schedule has no tariff line for this product on that date."))
    else:
        mfn_texts = sorted({_describe_rate(item.mfn) for item in answer.lines if item.mfn})
        if len(mfn_texts) == 1:
            out.append(_("The normal (MFN) import duty is %(rate)s.", rate=mfn_texts[0]))
        elif mfn_texts:
            out.append(_("The normal (MFN) import duty depends on the national tariff line "
                         "(%(count)s lines): %(rates)s.", count=len(answer.lines),
                         rates="; ".join(mfn_texts)))
        if not answer.origin_wto_member and answer.destination_wto_member:
            out.append(_("%(origin)s is not a WTO member on this date: %(destination)s is not "
                         "bound to grant it the MFN rate.", origin=origin,
                         destination=destination))
        seen: set[tuple[str, str]] = set()
        for item in answer.lines:
            for pref in item.preferences:
                key = (pref.label, _describe_rate(pref))
                if key in seen:
                    continue
                seen.add(key)
                out.append(_("Under %(scheme)s, goods %(from_origin)s pay %(rate)s if they "
                             "meet its rules of origin.", scheme=pref.label,
                             from_origin=from_origin, rate=key[1]))
        if not any(item.preferences for item in answer.lines):
            out.append(_("No preferential rate for goods %(from_origin)s is recorded for this "
                         "product.", from_origin=from_origin))
        bests = {(item.best.label, _describe_rate(item.best), item.saving_points)
                 for item in answer.lines if item.best is not None}
        if len(bests) == 1:
            label, rate, saving = next(iter(bests))
            if saving:
                out.append(_("Best rate: %(rate)s under %(scheme)s, %(points)s percentage "
                             "points below MFN.", rate=rate, scheme=label,
                             points=f"{saving.normalize():f}"))
            else:
                out.append(_("Best rate: %(rate)s (%(scheme)s).", rate=rate, scheme=label))
        if any(item.unranked for item in answer.lines):
            out.append(_("Some rates are charged per quantity or combine several parts, so "
                         "they cannot be ranked without the value and quantity: use the "
                         "landed-cost calculator to compare them."))
        for item in answer.lines:
            ins = [q for q in item.quotas if q.kind == "quota_in"]
            outs = [q for q in item.quotas if q.kind == "quota_out"]
            for q in ins:
                volume = (f"{q.quota_volume:,.0f} {q.quota_unit or ''}".strip()
                          if q.quota_volume else _("a limited volume"))
                out.append(_("Tariff-rate quota on line %(line)s: %(rate)s within "
                             "%(volume)s%(beyond)s.", line=item.national_code,
                             rate=_describe_rate(q),
                             volume=volume,
                             beyond=_(", %(rate)s beyond it", rate=_describe_rate(outs[0]))
                             if outs else ""))
    for a in answer.additional:
        rate = reader_duty(a.duty) if a.duty.parse_ok else f"“{a.duty.text}”"
        out.append(_("Goods %(from_origin)s also pay an additional %(rate)s (%(heading)s, "
                     "%(authority)s).", from_origin=from_origin, rate=rate, heading=a.heading,
                     authority=code_label(a.authority)))
    basis = answer.valuation.basis
    out.append(_("Duties are charged on the %(basis)s value (%(explained)s).", basis=basis,
                 explained=_("goods plus freight and insurance to the border") if basis == "CIF"
                 else _("goods at the port of export, without international freight and "
                        "insurance")))
    for tax in answer.taxes:
        rate = reader_duty(tax.duty) if tax.duty.parse_ok else f"“{tax.duty.text}”"
        if tax.kind in ("VAT", "GST", "sales", "consumption"):
            out.append(_("At import, %(name)s of %(rate)s is charged on %(base)s.",
                         name=tax.name, rate=rate,
                         base=tax.base or _("the customs value plus duties")))
        else:
            out.append(_("%(name)s (%(kind)s): %(rate)s.", name=tax.name, kind=code_label(tax.kind),
                         rate=rate))
    if answer.union_taxes is not None:
        out.extend(union_sentences(answer.union_taxes, destination))
    elif answer.member_state:
        out.append(_("VAT and excise are those of %(member)s, the member state of import.",
                     member=economy_label(answer.member_state)))
    for link in answer.agreements_without_preference:
        if link.one_way:
            out.append(_("%(agreement)s is a one-way scheme granted by %(grantor)s, but no "
                         "preferential rate under it is recorded for this product.",
                         agreement=link.agreement.name, grantor=economy_label(link.grantor or "")))
            continue
        out.append(_("%(agreement)s links %(origin)s and %(destination)s, but no preferential "
                     "rate under it is recorded for this product.",
                     agreement=link.agreement.name, origin=origin, destination=destination))
    return out
