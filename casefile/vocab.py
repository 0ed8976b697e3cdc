"""The controlled vocabularies: entity kinds, claim kinds, stances, statuses, relations, grades."""

ENTITY_KINDS = ("person", "organization", "place", "event", "other")
CLAIM_KINDS = (
    "death",
    "location",
    "role",
    "membership",
    "relationship",
    "travel",
    "arrest",
    "statement",
    "other",
)
STANCES = ("asserts", "denies", "doubts")
CLAIM_STATUSES = ("open", "accepted", "rejected")
LINK_RELATIONS = ("corroborates", "contradicts", "same-as")
# NATO Admiralty code: source reliability A (reliable) … E (unreliable), F (cannot be judged);
# information credibility 1 (confirmed) … 5 (improbable), 6 (cannot be judged).
RELIABILITY_GRADES = ("A", "B", "C", "D", "E", "F")
CREDIBILITY_GRADES = (1, 2, 3, 4, 5, 6)

# Words that name a person in an origin ("Interior Minister Anvar Rasulzoda", "a spokesman");
# plural or collective origins ("military sources", "the ministry") are organizations.
_PERSON_WORDS = frozenset((
    "minister", "official", "spokesman", "spokeswoman", "spokesperson", "president", "general",
    "commander", "officer", "witness", "resident", "father", "mother", "brother", "sister",
    "son", "daughter", "wife", "husband", "relative", "cousin", "uncle", "journalist",
    "reporter", "fighter", "analyst", "lawyer", "judge", "prosecutor", "mayor", "governor",
    "ambassador", "colonel", "sergeant", "imam", "deputy", "source", "man", "woman", "mr",
    "mrs", "ms", "dr"))
_GROUP_WORDS = frozenset((
    "sources", "officials", "ministry", "ministries", "office", "services", "service",
    "agency", "police", "army", "forces", "government", "committee", "court", "news", "media",
    "press", "coalition", "group", "front", "council", "department", "embassy", "tv", "radio",
    "daily", "times", "post", "herald", "wire", "courier", "journal", "tribune", "gazette",
    "ledger", "lantern", "observer", "guardian", "telegraph", "express", "monitor", "weekly",
    "review", "bulletin", "network", "channel", "institute", "centre", "center", "foundation",
    "party", "movement", "brigade", "battalion", "union", "association", "company", "state"))


def guess_origin_kind(name: str) -> str:
    """"person" or "organization" for a new origin typed by the analyst — a suggestion the
    window shows and the analyst can change (a minister is a person, "military sources" not)."""
    words = [w.strip(".,()\"'“”").casefold() for w in name.split()]
    if any(w in _PERSON_WORDS for w in words):  # "a spokesman for the coalition" is a person
        return "person"
    if any(w in _GROUP_WORDS for w in words) or words[:1] == ["the"]:
        return "organization"
    caps = [w for w in name.split() if w[:1].isupper()]
    return "person" if 2 <= len(caps) <= 4 and len(caps) == len(name.split()) else "organization"


def place_phrase(place: str) -> str:
    """Where something happened, as a report says it: "in Syria", "in Wadi Sirr" — every place
    an entity names (a country, a city, a valley) takes "in" ("at Syria" is not English)."""
    return f"in {place}" if place else ""
