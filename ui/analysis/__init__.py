"""Analysis widgets: timeline, relationship graph, conflicts, duplicates, mentions, search."""
