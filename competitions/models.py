"""Models of the competitions app; filled by its own issue."""
