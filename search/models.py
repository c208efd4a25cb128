"""Models of the search app; filled by its own issue."""
