"""What the rooms of the window share: the Shell they talk to, edits (controller, commands,
notifier), the error boundary, background tasks, table models, plain text."""
