"""Models of the practices app; filled by its own issue."""
