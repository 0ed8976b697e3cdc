"""The desktop side of the team case: talking to the server, change tracking, merging."""
