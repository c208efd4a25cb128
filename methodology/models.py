"""Models of the methodology app; filled by its own issue."""
