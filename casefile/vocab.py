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
# How a stance reads next to what a claim says: one wording for every view and export, so that a
# denial or a doubt never reads like the claim it denies.
STANCE_MARKS = {"asserts": "", "denies": "denied", "doubts": "doubted"}
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


# Where the name of a new entity is typed in a claim: subject, object or origin.
ENTITY_FIELDS = ("subject", "object", "origin")
# The object of these kinds of claim is a group ("membership: Islamic State"), of the others
# (a relationship) a person.
_GROUP_OBJECT_KINDS = frozenset(("membership", "role"))


def guess_entity_kind(name: str, *, field: str = "origin", claim_kind: str = "") -> str:
    """"person" or "organization" for a new entity the analyst names in a claim's ``field`` —
    a suggestion the window shows and the analyst can change (a minister is a person,
    "military sources" or "Islamic State" not). When the name says nothing, the field decides:
    an origin or the object of a membership or role is an organization, else a person."""
    words = [w.strip(".,()\"'“”").casefold() for w in name.split()]
    if any(w in _PERSON_WORDS for w in words):  # "a spokesman for the coalition" is a person
        return "person"
    if any(w in _GROUP_WORDS for w in words) or words[:1] == ["the"]:
        return "organization"
    caps = [w for w in name.split() if w[:1].isupper()]
    if 2 <= len(caps) <= 4 and len(caps) == len(name.split()):
        return "person"
    group = field == "origin" or (field == "object" and claim_kind in _GROUP_OBJECT_KINDS)
    return "organization" if group else "person"


def place_phrase(place: str) -> str:
    """Where something happened, as a report says it: "in Syria", "in Wadi Sirr" — every place
    an entity names (a country, a city, a valley) takes "in" ("at Syria" is not English)."""
    return f"in {place}" if place else ""


def with_stance(what: str, stance: str) -> str:
    """``what`` a claim says (its kind, value or object) as recorded: "death" when asserted,
    "death (denied)", "death (doubted)"."""
    mark = STANCE_MARKS.get(stance, stance)
    return f"{what} ({mark})" if mark else what


def stated(statement: str, what: str, stance: str) -> str:
    """A claim's statement in a list, led by ``with_stance`` unless it asserts:
    "death (denied): He may still be alive and hiding"."""
    return statement if stance == "asserts" else f"{with_stance(what, stance)}: {statement}"
