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
