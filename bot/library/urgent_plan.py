"""One plan for the most urgent situation a message describes, composed, not stacked.

The triage may find several things at once ("wheezing and her lips are swelling after peanut
butter" is breathing and anaphylaxis). Shown side by side, their first aid contradicted each
other (an inhaler first, "do not lay them flat", then "lie them down": adrenaline comes first
in anaphylaxis, and reaching for the inhaler first is a known fatal error). So a reply gives
the plan of one situation, the most urgent found, in the order the guidance gives, and never
carries a lower tier's text under an emergency. The one thing joined to an emergency is the
crisis support when the person may have harmed themselves (an overdose they took), and then
the helplines appear once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.library.triage import Finding

# Each tier's situations, most urgent first: the first found gives the plan. Anaphylaxis
# before breathing (adrenaline first) and choking before unresponsive (their plans end in
# CPR); the tier's own name is the general plan when only the model read the tier.
SITUATIONS: dict[str, tuple[str, ...]] = {
    "emergency": ("anaphylaxis", "choking", "unresponsive", "breathing", "meningitis",
                  "skin_reaction", "infant_fever", "overdose", "emergency"),
    "crisis": ("harm_child", "crisis", "carer"),
    "same_day": ("herpeticum", "eye", "flare_unwell", "infection", "child_unwell",
                 "tummy_blood", "oozing", "same_day"),
    "distress": ("distress",),
    "caution": ("treatment_change", "diagnose", "infant_probiotic", "work_hands"),
}
# "I took", "I've swallowed", "I deliberately swallowed": the writer is the one who took it.
_WRITER_TOOK = re.compile(
    r"\b(?:i|i've|ive|i have|i had)\s+(?:[a-z]+\s+){0,2}?"
    r"(?:took|taken|swallowed|downed|overdosed|od'?d)\b", re.IGNORECASE)
# Taken on purpose, whoever took it: the crisis support goes with the emergency plan.
_ON_PURPOSE = re.compile(
    r"\b(?:on purpose|deliberately|intentionally|meant to|wanted to die|want to die|to end it|"
    r"end (?:it|my life|things)|kill (?:my|him|her|them)sel(?:f|ves)|not wake up|"
    r"never wake up|suicid\w*)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Plan:
    tier: str
    situation: str  # the template content/templates/triage_<situation>.html.j2
    crisis_too: bool = False  # an emergency where the person may have harmed themselves
    writer_took: bool = False  # an overdose told in the first person: spoken to "you"

    @property
    def number_tiers(self) -> frozenset[str]:
        """Whose numbers the reply lists: the plan's tier, and the crisis lines beside an
        emergency when the person may have harmed themselves."""
        return frozenset({self.tier} | ({"crisis"} if self.crisis_too else set()))

    @property
    def poison(self) -> bool:
        return self.situation == "overdose"


def plan_for(finding: Finding, text: str) -> Plan | None:
    """The plan for a finding, or None when it reached no tier."""
    tier = finding.tier
    if tier is None:
        return None
    found = {rule.guidance for rule in finding.rules if rule.tier == tier}
    situation = next((s for s in SITUATIONS[tier] if s in found), None)
    if situation is None:  # a guidance outside the lists (a new rule): its own plan
        situation = next(rule.guidance for rule in finding.rules if rule.tier == tier)
    tiers = {rule.tier for rule in finding.rules}
    writer_took = situation == "overdose" and _WRITER_TOOK.search(text) is not None
    on_purpose = situation == "overdose" and _ON_PURPOSE.search(text) is not None
    crisis_too = tier == "emergency" and ("crisis" in tiers or writer_took or on_purpose)
    return Plan(tier, situation, crisis_too, writer_took)


def tiers_shown(finding: Finding, text: str) -> set[str]:
    """The tiers whose guidance the reply gives: the rules' and the model's, and crisis
    support when the plan adds it to an emergency (an overdose the writer took)."""
    tiers = {rule.tier for rule in finding.rules}
    plan = plan_for(finding, text)
    return tiers | set(plan.number_tiers) if plan is not None else tiers

