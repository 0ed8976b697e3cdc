"""The team case in the window: share, join, the sync indicator, live refresh, sync conflicts."""
