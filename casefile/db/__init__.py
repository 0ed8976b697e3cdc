"""The case database: typed models, engine set-up, migrations, backups."""
