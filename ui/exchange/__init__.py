"""What the analyst exchanges with others: bundles in and out (the room of ui/ for sharing)."""
