"""Reports keep no tables of their own yet: they read actions and rounds."""
