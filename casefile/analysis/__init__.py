"""Pure analysis over plain data: names, conflicts, corroboration, timelines, graph layout."""
